import assert from "node:assert/strict";
import type { DatabaseSync } from "node:sqlite";
import {
  type CronSessionSweepDeps,
  CronSessionSweeper,
  MIN_SWEEP_INTERVAL_MS,
  SWEEP_BATCH,
  SWEEP_MAX_BATCHES,
} from "../../src/automation/cron_session_sweep.ts";
import type { CronRunPruneResult } from "../../src/sessions/cron_run_prune.ts";

/** A sweeper whose database steps answer from a script (then "nothing left"), on a clock the test moves. */
function harness(
  options: { retentionMs?: number | null; steps?: CronRunPruneResult[]; agents?: string[]; publishError?: Error } = {},
) {
  let now = 1_000_000_000;
  const calls: { agentId: string }[] = [];
  const logs: string[] = [];
  const steps = [...(options.steps ?? [])];
  const deps: CronSessionSweepDeps = {
    retentionMs: () => options.retentionMs === undefined ? 86_400_000 : options.retentionMs,
    agentIds: () => options.agents ?? ["main"],
    // The prune itself is covered by tests/sessions/cron_run_prune_test.ts: here each step answers from the script.
    maintain: <T>(agentId: string, _work: (db: DatabaseSync, archive: () => void) => T) => {
      calls.push({ agentId });
      const result = (steps.shift() ?? { runRows: 0, transcripts: 0, more: false }) as T;
      return Promise.resolve(options.publishError ? { result, publishError: options.publishError } : { result });
    },
    inUse: () => false,
    now: () => now,
    log: { info: (m) => logs.push(m), warn: (m) => logs.push(`warn: ${m}`) },
  };
  return { sweeper: new CronSessionSweeper(deps), calls, logs, advance: (ms: number) => (now += ms) };
}

Deno.test("sweep: off when the retention is off", async () => {
  const { sweeper, calls } = harness({ retentionMs: null });
  assert.equal(await sweeper.sweep(), 0);
  assert.equal(calls.length, 0);
});

Deno.test("sweep: steps until nothing is left, then logs what went as the reference's reaper words it", async () => {
  const { sweeper, calls, logs } = harness({
    steps: [{ runRows: 1, transcripts: 99, more: true }, { runRows: 0, transcripts: 7, more: false }],
  });
  assert.equal(await sweeper.sweep(), 107);
  assert.equal(calls.length, 2);
  assert.deepEqual(logs, [
    "cron-reaper: pruned 107 expired cron run session(s) (agent main, retention 86400000 ms)",
  ]);
});

Deno.test("sweep: at most SWEEP_MAX_BATCHES steps per agent; the rest waits for the next sweep", async () => {
  const full = { runRows: 0, transcripts: SWEEP_BATCH, more: true };
  const { sweeper, calls } = harness({ steps: Array.from({ length: SWEEP_MAX_BATCHES + 5 }, () => full) });
  assert.equal(await sweeper.sweep(), SWEEP_BATCH * SWEEP_MAX_BATCHES);
  assert.equal(calls.length, SWEEP_MAX_BATCHES);
});

Deno.test("sweep: once per agent every five minutes, or every retention when that is shorter", async () => {
  const { sweeper, calls, advance } = harness({ agents: ["main", "ops", "main"] });
  await sweeper.sweep();
  assert.deepEqual(calls.map((c) => c.agentId), ["main", "ops"]);
  advance(MIN_SWEEP_INTERVAL_MS - 1);
  await sweeper.sweep();
  assert.equal(calls.length, 2, "throttled");
  advance(1);
  await sweeper.sweep();
  assert.equal(calls.length, 4);

  const short = harness({ retentionMs: 1_000 });
  await short.sweeper.sweep();
  short.advance(999);
  await short.sweeper.sweep();
  assert.equal(short.calls.length, 1);
  short.advance(1);
  await short.sweeper.sweep();
  assert.equal(short.calls.length, 2);
});

Deno.test("sweep: a failing agent is logged and the others are still swept", async () => {
  const logs: string[] = [];
  const failing = new CronSessionSweeper({
    retentionMs: () => 1_000,
    agentIds: () => ["main", "ops"],
    maintain: <T>(agentId: string) =>
      agentId === "main"
        ? Promise.reject(new Error("database is locked"))
        : Promise.resolve({ result: { runRows: 2, transcripts: 0, more: false } as T }),
    inUse: () => false,
    log: { info: (m) => logs.push(m), warn: (m) => logs.push(`warn: ${m}`) },
  });
  assert.equal(await failing.sweep(), 2);
  assert.match(logs[0]!, /^warn: cron-reaper: failed to sweep session store: Error: database is locked/);
  assert.match(logs[1]!, /^cron-reaper: pruned 2 expired cron run session\(s\) \(agent ops/);
});

Deno.test("sweep: archive files that stay pending are logged in the reference's words; the pruning still counts", async () => {
  const pending = new Error(
    "Session deletion committed, but 1 transcript archive file export(s) remain pending in SQLite; retry the operation to publish them.",
  );
  const { sweeper, logs } = harness({ steps: [{ runRows: 2, transcripts: 0, more: false }], publishError: pending });
  assert.equal(await sweeper.sweep(), 2);
  assert.deepEqual(logs, [
    `warn: cron-reaper: transcript cleanup failed: ${pending.message}`,
    "cron-reaper: pruned 2 expired cron run session(s) (agent main, retention 86400000 ms)",
  ]);
});
