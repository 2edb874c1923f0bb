import assert from "node:assert/strict";
import { NO_ACTIVE_WORK } from "../support/no_active_work.ts";
import { restartPreflight, restartWaitDetails } from "../../src/rpc/restart_preflight.ts";

const NONE = NO_ACTIVE_WORK;

Deno.test("restart preflight: nothing running is safe to restart now", () => {
  assert.deepEqual(restartPreflight(NONE, []), {
    safe: true,
    counts: {
      queueSize: 0,
      pendingReplies: 0,
      embeddedRuns: 0,
      cronRuns: 0,
      backgroundExecSessions: 0,
      rootRequests: 0,
      activeTasks: 0,
      totalActive: 0,
    },
    blockers: [],
    summary: "safe to restart now",
  });
});

Deno.test("restart preflight: work in progress is named in the reference's order and words", () => {
  const preflight = restartPreflight(
    {
      ...NONE,
      embeddedRuns: 1,
      queuedTurns: 1,
      pendingReplies: 2,
      backgroundExecSessions: 1,
      cronRuns: 1,
      rootRequests: 1,
      terminalSessions: 3,
    },
    ["ws:agent"],
  );
  assert.equal(preflight.safe, false);
  assert.deepEqual(preflight.counts, {
    queueSize: 2,
    pendingReplies: 2,
    embeddedRuns: 1,
    cronRuns: 1,
    backgroundExecSessions: 1,
    rootRequests: 1,
    activeTasks: 0,
    totalActive: 8,
  });
  assert.deepEqual(preflight.blockers.map((b) => b.message), [
    "2 queued or active operation(s)",
    "2 pending reply delivery operation(s)",
    "1 active embedded run(s)",
    "1 active background exec session(s)",
    "1 active cron run(s)",
    "1 active gateway request(s): ws:agent",
  ]);
  assert.deepEqual(preflight.blockers.map((b) => b.kind), [
    "queue",
    "reply",
    "embedded-run",
    "background-exec",
    "cron-run",
    "root-request",
  ]);
  assert.equal(preflight.summary, `restart deferred: ${preflight.blockers.map((b) => b.message).join("; ")}`);
});

Deno.test("restart wait details: the reference's words for each kind of work a deferred restart waits for", () => {
  const { counts } = restartPreflight({
    ...NO_ACTIVE_WORK,
    embeddedRuns: 1,
    pendingReplies: 2,
    backgroundExecSessions: 1,
    rootRequests: 3,
    cronRuns: 1,
  }, []);
  assert.deepEqual(restartWaitDetails(counts), [
    "1 operation(s)",
    "2 reply(ies)",
    "1 embedded run(s)",
    "1 background exec session(s)",
    "3 gateway request(s)",
    "1 cron run(s)",
  ]);
  assert.deepEqual(restartWaitDetails(restartPreflight(NO_ACTIVE_WORK, []).counts), []);
});
