import assert from "node:assert/strict";
import { NO_ACTIVE_WORK } from "../support/no_active_work.ts";
import { activeWorkSnapshot } from "../../src/rpc/active_work.ts";

const none = NO_ACTIVE_WORK;

Deno.test("active work: nothing running is idle with no blockers", () => {
  assert.deepEqual(activeWorkSnapshot(none), { idle: true, totalActive: 0, blockers: [], writeCustody: [] });
});

Deno.test("active work: blockers in the reference's order and words, root requests named", () => {
  const snapshot = activeWorkSnapshot({
    ...none,
    terminalSessions: 1,
    queuedTurns: 2,
    rootRequests: 2,
    cronRuns: 1,
    backgroundExecSessions: 1,
    embeddedRuns: 3,
    pendingReplies: 1,
  }, { holders: ["ws:agent", "http:request"] });
  assert.equal(snapshot.idle, false);
  assert.equal(snapshot.totalActive, 11);
  assert.deepEqual(snapshot.blockers, [
    { kind: "reply", count: 1, message: "1 pending reply delivery operation(s)" },
    { kind: "embedded-run", count: 3, message: "3 active embedded run(s)" },
    { kind: "background-exec", count: 1, message: "1 active background exec session(s)" },
    { kind: "cron-run", count: 1, message: "1 active cron run(s)" },
    { kind: "root-request", count: 2, message: "2 active gateway request(s): http:request, ws:agent" },
    { kind: "queued-turn", count: 2, message: "2 queued chat turn(s)" },
    { kind: "terminal-session", count: 1, message: "1 open terminal session(s)" },
  ]);
});

Deno.test("active work: terminal policy terminate neither counts nor shows open terminals; holders past eight are summed up", () => {
  const holders = Array.from({ length: 10 }, (_, i) => `ws:m${i}`);
  const snapshot = activeWorkSnapshot({ ...none, terminalSessions: 2, rootRequests: 10 }, {
    holders,
    ignoreTerminalSessions: true,
  });
  assert.equal(snapshot.totalActive, 10);
  assert.deepEqual(snapshot.blockers.map((b) => b.kind), ["root-request"]);
  assert.equal(
    snapshot.blockers[0]!.message,
    "10 active gateway request(s): ws:m0, ws:m1, ws:m2, ws:m3, ws:m4, ws:m5, ws:m6, ws:m7, +2 more",
  );
  const idle = activeWorkSnapshot({ ...none, terminalSessions: 1 }, { ignoreTerminalSessions: true });
  assert.equal(idle.idle, true);
  assert.equal(activeWorkSnapshot({ ...none, embeddedRuns: Number.NaN, cronRuns: -1 }).idle, true, "junk counts are 0");
});
