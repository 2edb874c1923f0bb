import assert from "node:assert/strict";
import { boundInFlightRun, CHAT_HISTORY_MAX_BYTES, jsonUtf8Bytes } from "../../../src/rpc/methods/in_flight_run.ts";

// The in-flight run bounded by a `chat.history` answer's byte budget, as the reference's
// boundInFlightRunSnapshotForChatHistory: whole, else the id, then `startedAt`, then the text if each fits.

const SNAPSHOT = { runId: "run-1", text: "Hello from the", startedAt: 1796280509680 };

Deno.test("boundInFlightRun() keeps a snapshot that fits whole, and passes no snapshot through", () => {
  assert.equal(boundInFlightRun(SNAPSHOT, { messagesBytes: 100, maxBytes: CHAT_HISTORY_MAX_BYTES }), SNAPSHOT);
  assert.equal(boundInFlightRun(undefined, { messagesBytes: 0, maxBytes: 10 }), undefined);
});

Deno.test("boundInFlightRun() drops the text when only the id and start fit, never cutting it", () => {
  const withoutText = { runId: "run-1", text: "", startedAt: SNAPSHOT.startedAt };
  const maxBytes = 500 + jsonUtf8Bytes(withoutText);
  assert.deepEqual(boundInFlightRun(SNAPSHOT, { messagesBytes: 500, maxBytes }), withoutText);
});

Deno.test("boundInFlightRun() keeps the bare id (and session-abortable mark) when nothing else fits", () => {
  const snapshot = { ...SNAPSHOT, sessionAbortable: true };
  assert.deepEqual(boundInFlightRun(snapshot, { messagesBytes: 1000, maxBytes: 1000 }), {
    runId: "run-1",
    text: "",
    sessionAbortable: true,
  });
});

Deno.test("boundInFlightRun() adds the text back without the start when the start alone does not fit", () => {
  // A budget the text fits in but not text and start together: the reference tries the start first.
  const bare = jsonUtf8Bytes({ runId: "run-1", text: SNAPSHOT.text });
  const got = boundInFlightRun(SNAPSHOT, { messagesBytes: 0, maxBytes: bare });
  assert.deepEqual(got, { runId: "run-1", text: SNAPSHOT.text });
});

Deno.test("jsonUtf8Bytes() counts UTF-8 bytes, not UTF-16 units", () => {
  assert.equal(jsonUtf8Bytes("é"), 4);
  assert.equal(jsonUtf8Bytes({ a: "日本" }), 14);
});

/** `n` progress events of one call each, every one the same size. */
function events(n: number) {
  return Array.from({ length: n }, (_, i) => ({
    runId: "run-1",
    seq: i + 1,
    stream: "tool",
    ts: 1796280509700 + i,
    data: { phase: "start", name: "read", toolCallId: `call_${i}`, args: { path: `notes-${i}.txt` } },
  }));
}

Deno.test("boundInFlightRun() keeps the newest events that fit, then the text, as the reference's search", () => {
  const snapshot = { ...SNAPSHOT, events: events(8) };
  const withThree = { runId: "run-1", text: "", events: snapshot.events.slice(5), startedAt: SNAPSHOT.startedAt };
  const maxBytes = 200 + jsonUtf8Bytes(withThree);
  const got = boundInFlightRun(snapshot, { messagesBytes: 200, maxBytes });
  assert.deepEqual(got, withThree, "the three newest fit, the text does not beside them");
  assert.deepEqual(Object.keys(got!), ["runId", "text", "events", "startedAt"], "the reference's field order");
});

Deno.test("boundInFlightRun() keeps an empty events list when not even the newest event fits", () => {
  const snapshot = { ...SNAPSHOT, sessionAbortable: true, events: events(3) };
  const bare = { runId: "run-1", text: "", sessionAbortable: true, events: [] };
  assert.deepEqual(boundInFlightRun(snapshot, { messagesBytes: 0, maxBytes: jsonUtf8Bytes(bare) }), bare);
});

Deno.test("boundInFlightRun() keeps all events and drops only the text when that is what is too big", () => {
  const snapshot = { ...SNAPSHOT, text: "z".repeat(5000), events: events(4) };
  const withoutText = { runId: "run-1", text: "", events: snapshot.events, startedAt: SNAPSHOT.startedAt };
  assert.deepEqual(
    boundInFlightRun(snapshot, { messagesBytes: 0, maxBytes: jsonUtf8Bytes(withoutText) + 100 }),
    withoutText,
  );
});
