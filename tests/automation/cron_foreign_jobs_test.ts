import assert from "node:assert/strict";
import type { CronJob } from "../../src/agent/cron_control.ts";
import type { CronJobRunner } from "../../src/automation/cron_runner.ts";
import { CronService } from "../../src/automation/cron_service.ts";
import { ManualClock } from "../support/manual_clock.ts";
import { MemoryCronStore } from "../support/memory_cron_store.ts";

const quietLog = { info() {}, warn() {}, error() {}, debug() {} };

/** The three jobs the reference 2026.9.6 creates in every state dir, as it stored them (fixture). */
async function referenceManagedJobs(): Promise<CronJob[]> {
  const url = new URL("../fixtures/reference_cron/state_rows.json", import.meta.url);
  const rows: { declaration_key: string | null; job_json: string; state_json: string }[] =
    JSON.parse(await Deno.readTextFile(url)).cron_jobs;
  return rows.filter((row) => row.declaration_key).map((row) => ({
    ...JSON.parse(row.job_json),
    state: JSON.parse(row.state_json),
  }));
}

Deno.test("the reference's managed jobs (heartbeat, memory dreaming, skill review) never run or change on our scheduler", async () => {
  const managed = await referenceManagedJobs();
  assert.deepEqual(managed.map((job) => job.declarationKey).sort(), [
    "heartbeat:main",
    "memory-core:memory-dreaming-promotion",
    "skill-collection-review:main",
  ]);
  // Start after every one of them is overdue (the weekly review's next run is the latest).
  const start = Math.max(...managed.map((job) => job.state.nextRunAtMs!)) + 60_000;
  const clock = new ManualClock(start);
  const store = new MemoryCronStore();
  for (const job of managed) store.jobs.set(job.id, structuredClone(job));
  const before = structuredClone([...store.jobs.values()]);
  const calls: string[] = [];
  const runner: CronJobRunner = (job) => {
    calls.push(job.name);
    return Promise.resolve({ status: "ok" });
  };
  const service = new CronService({
    store,
    runner,
    emit: () => {},
    settings: { enabled: true, skipMissedJobs: false },
    defaultAgentId: () => "main",
    log: quietLog,
    clock,
    limits: { deferredAgentJobDelayMs: 1_000, missedJobStaggerMs: 10 },
  });
  await service.start();
  await clock.advance(3 * 3_600_000);
  assert.deepEqual(calls, [], "none of them ran");
  assert.deepEqual([...store.jobs.values()], before, "their stored definitions and state are untouched");
  assert.equal(store.entries.length, 0, "no run history recorded");
  assert.equal(service.status().nextWakeAtMs, null, "the scheduler does not wake for them");
  assert.equal(clock.pending, 0, "no timer armed for them");
  assert.equal(service.run(managed[0]!.id, "due").ran, false);
  await service.stop();
});
