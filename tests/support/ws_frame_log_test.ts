// The frame log the reference-client tests judge by: requests matched to their answers per socket,
// unknown methods listed page by page, and streaming told apart from an answer in one piece.
import assert from "node:assert/strict";
import { shapeOf } from "./method_report.ts";
import { prepareDocument } from "./reference_ui_server.ts";
import { FrameLog, sectionFailures, streamFailure } from "./ws_frame_log.ts";

const req = (id: string, method: string, params?: unknown) => JSON.stringify({ type: "req", id, method, params });
const ok = (id: string, payload: unknown) => JSON.stringify({ type: "res", id, ok: true, payload });
const unknown = (id: string, method: string) =>
  JSON.stringify({
    type: "res",
    id,
    ok: false,
    error: { code: "INVALID_REQUEST", message: `unknown method: ${method}` },
  });
const chat = (state: string, text: string) =>
  JSON.stringify({
    type: "event",
    event: "chat",
    payload: { state, message: { role: "assistant", content: [{ type: "text", text }] } },
  });

Deno.test("frame log: answers match their request on the same socket; unknown methods are listed by page, once each", () => {
  const log = new FrameLog();
  log.enter("chat");
  log.sent(req("1", "connect"), "a");
  log.sent(req("1", "agents.list"), "b");
  log.received(ok("1", { type: "hello-ok" }), "a");
  assert.equal(log.unanswered, 1, "socket b's request 1 is not answered by socket a's");
  log.received(unknown("1", "agents.list"), "b");
  log.enter("usage");
  log.sent(req("2", "agents.list"), "b");
  log.received(unknown("2", "agents.list"), "b");
  log.sent(req("3", "agents.list"), "b");
  log.received(unknown("3", "agents.list"), "b");
  log.sent(req("4", "usage.status"), "b");
  log.received(unknown("4", "usage.status"), "b");
  log.sent(req("5", "never.answered"), "b");
  log.closed("b");
  assert.equal(log.unanswered, 0, "a closed socket's requests are no longer waited for");
  assert.deepEqual([...log.unknownBySection()], [["chat", ["agents.list"]], ["usage", [
    "agents.list",
    "usage.status",
  ]]]);
  assert.equal(
    log.unknownReport(),
    '4 of 6 requests were answered "unknown method", by page:\n  chat: agents.list\n  usage: agents.list, usage.status',
  );
  const tally = log.methodsBySection().get("usage")!.get("agents.list")!;
  assert.deepEqual([tally.count, tally.ok, tally.errors], [2, 0, ["INVALID_REQUEST: unknown method: agents.list"]]);
});

Deno.test("sectionFailures: a section's unknown methods, other errors and failed steps; nothing for a clean one", () => {
  const log = new FrameLog();
  log.enter("usage");
  log.sent(req("1", "usage.status"));
  log.received(unknown("1", "usage.status"));
  log.sent(req("2", "models.list", { sessionKey: "k" }));
  log.received(JSON.stringify({ type: "res", id: "2", ok: false, error: { message: "invalid models.list params" } }));
  log.enter("logs");
  log.sent(req("3", "logs.tail"));
  log.received(ok("3", { lines: [] }));
  const problems = ['usage: the "Reporting range" heading: timed out', "logsx: not this section"];
  assert.deepEqual(sectionFailures(log, "usage", problems), [
    'answered "unknown method" (1 of 2 requests): usage.status',
    'other error answers:\n  models.list {"sessionKey":"k"} → invalid models.list params',
    'steps that failed:\n  the "Reporting range" heading: timed out',
  ]);
  assert.deepEqual(sectionFailures(log, "logs", problems), []);
});

Deno.test("frame log: no report when nothing was unknown", () => {
  const log = new FrameLog();
  log.sent(req("1", "health"));
  log.received(ok("1", {}));
  assert.equal(log.unknownReport(), "");
});

Deno.test("streamFailure: a partial delta before the final streams; one delta with the whole answer does not", () => {
  const streamed = new FrameLog();
  streamed.enter("send");
  for (const frame of [chat("delta", "Hello"), chat("delta", "Hello world."), chat("final", "Hello world.")]) {
    streamed.received(frame);
  }
  assert.equal(streamFailure(streamed, "send", "Hello world."), undefined);
  assert.equal(streamFailure(streamed, "other", "Hello world."), 'no final "chat" event (chat events: none)');

  const whole = new FrameLog();
  whole.enter("send");
  whole.received(chat("delta", "Hello world."));
  whole.received(chat("final", "Hello world."));
  assert.match(streamFailure(whole, "send", "Hello world.")!, /came in one piece/);

  const unfinished = new FrameLog();
  unfinished.enter("send");
  unfinished.received(chat("delta", "Hello"));
  assert.equal(streamFailure(unfinished, "send", "Hello world."), 'no final "chat" event (chat events: delta)');

  const wrong = new FrameLog();
  wrong.enter("send");
  wrong.received(chat("final", "Other."));
  assert.match(streamFailure(wrong, "send", "Hello world.")!, /carries "Other\.", not the answer/);
});

Deno.test("shapeOf: key paths to a depth, arrays by their first element", () => {
  assert.deepEqual(shapeOf({ b: 1, a: { c: [{ d: "x" }], e: [] } }, 2), ["a.c[]{d}", "a.e[]", "b: number"]);
  assert.deepEqual(shapeOf([], 1), ["[]"]);
  assert.deepEqual(shapeOf(null, 1), ["(value): null"]);
});

Deno.test("the reference UI document: mount prefix stamped, relative asset URLs made absolute for deep routes", () => {
  const html = `<html lang="en"><link href="./favicon.svg" /><script src="./assets/index.js"></script></html>`;
  assert.equal(
    prepareDocument(html),
    `<html data-openclaw-control-ui-base-path="" lang="en"><link href="/favicon.svg" /><script src="/assets/index.js"></script></html>`,
  );
});
