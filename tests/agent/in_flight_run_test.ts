import assert from "node:assert/strict";
import { inFlightRunOf, type LiveRun } from "../../src/agent/in_flight_run.ts";
import { recordProgress } from "../../src/agent/run_progress.ts";

// Which run `chat.history` shows in flight, as the reference picks it (recorded:
// tests/fixtures/inflight/reference_inflight.json): the chat's own newest run, else the executing one.

const KEY = "agent:main:main";

function run(runId: string, extra: Partial<LiveRun> = {}): LiveRun {
  return {
    runId,
    sessionKey: KEY,
    state: "running",
    controller: new AbortController(),
    chatSend: true,
    acceptedAt: 1000,
    executingAt: 1005,
    message: { content: [{ text: `text of ${runId}` }] },
    ...extra,
  };
}

Deno.test("inFlightRunOf() shows the newest chat.send run with its text and acceptance time", () => {
  const runs = [run("old", { acceptedAt: 900 }), run("new", { acceptedAt: 1000, executingAt: undefined })];
  assert.deepEqual(inFlightRunOf(runs, KEY), { runId: "new", text: "text of new", startedAt: 1000 });
});

Deno.test("inFlightRunOf() breaks a tie of acceptance times by the greater run id", () => {
  assert.equal(inFlightRunOf([run("b"), run("c"), run("a")], KEY)?.runId, "c");
});

Deno.test("inFlightRunOf() leaves out stopped, finished and other sessions' runs; no run is undefined", () => {
  const stopped = run("stopped", { acceptedAt: 2000 });
  stopped.controller.abort();
  const runs = [
    stopped,
    run("done", { state: "done", acceptedAt: 3000 }),
    run("other", { sessionKey: "agent:main:x" }),
  ];
  assert.equal(inFlightRunOf(runs, KEY), undefined);
  assert.equal(inFlightRunOf([], KEY), undefined);
});

Deno.test("inFlightRunOf() shows a run with no chat delta yet with empty text", () => {
  assert.deepEqual(inFlightRunOf([run("quiet", { message: undefined })], KEY), {
    runId: "quiet",
    text: "",
    startedAt: 1000,
  });
});

Deno.test("inFlightRunOf() shows an executing agent run as session-abortable, from when it began; a queued one not", () => {
  const agent = run("agent-run", { chatSend: false, acceptedAt: 800, executingAt: 850 });
  assert.deepEqual(inFlightRunOf([agent], KEY), {
    runId: "agent-run",
    text: "text of agent-run",
    startedAt: 850,
    sessionAbortable: true,
  });
  assert.equal(inFlightRunOf([run("queued", { chatSend: false, executingAt: undefined })], KEY), undefined);
  assert.equal(
    inFlightRunOf([agent, run("chat", { acceptedAt: 100 })], KEY)?.runId,
    "chat",
    "the chat's own run first",
  );
});

Deno.test("inFlightRunOf() never shows an unlisted run (a heartbeat's or cron job's turn, a stateless call)", () => {
  const heartbeat = run("heartbeat:1", { chatSend: false, unlisted: true });
  assert.equal(inFlightRunOf([heartbeat], KEY), undefined);
  assert.equal(inFlightRunOf([heartbeat, run("agent-run", { chatSend: false })], KEY)?.runId, "agent-run");
});

Deno.test("inFlightRunOf() carries the run's progress events, and no field when it has none", () => {
  const start = { runId: "tools", seq: 4, ts: 1010, sessionKey: KEY, agentId: "main", stream: "tool" };
  const progress = recordProgress(
    undefined,
    { ...start, data: { phase: "start", name: "read", toolCallId: "c1" } },
    "full",
  );
  const snapshot = inFlightRunOf([run("tools", { progress })], KEY);
  assert.deepEqual(snapshot?.events, [{ ...start, data: { phase: "start", name: "read", toolCallId: "c1" } }]);
  assert.ok(!("events" in inFlightRunOf([run("quiet")], KEY)!), "no progress, no events field");
});
