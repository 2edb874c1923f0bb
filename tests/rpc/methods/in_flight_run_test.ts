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
