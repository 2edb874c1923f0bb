import assert from "node:assert/strict";
import type { CronJob, CronJobState, CronRunLogEntry } from "../../src/agent/cron_control.ts";
import type { CronJobRunner } from "../../src/automation/cron_runner.ts";
import { CronService } from "../../src/automation/cron_service.ts";
import { CronJobNotRunnableHereError, runsHere } from "../../src/automation/cron_foreign.ts";
import { ManualClock } from "../support/manual_clock.ts";
import { MemoryCronStore } from "../support/memory_cron_store.ts";

const quietLog = { info() {}, warn() {}, error() {}, debug() {} };

/** The managed jobs the reference 2026.9.6 wrote into a fresh state dir (tests/fixtures/reference_cron). */
async function referenceManagedJobs(): Promise<CronJob[]> {
  const fixture: unknown = JSON.parse(
    await Deno.readTextFile(new URL("../fixtures/reference_cron/state_rows.json", import.meta.url)),
  );
  assert.ok(fixture && typeof fixture === "object" && "cron_jobs" in fixture && Array.isArray(fixture.cron_jobs));
  const jobs: CronJob[] = [];
  for (const row of fixture.cron_jobs) {
    if (typeof row.declaration_key !== "string") continue;
    const job = JSON.parse(row.job_json);
    job.state = JSON.parse(row.state_json);
    jobs.push(job);
  }
  assert.equal(jobs.length, 3);
  return jobs;
}

/** A store that counts every write per job id. */
class SpyStore extends MemoryCronStore {
  writes: string[] = [];
  override saveJob(job: CronJob): void {
    this.writes.push(`saveJob:${job.id}`);
    super.saveJob(job);
  }
  override saveState(jobId: string, state: CronJobState): void {
    this.writes.push(`saveState:${jobId}`);
    super.saveState(jobId, state);
  }
  override startRun(run: { runId: string; jobId: string; agentId: string; startedAtMs: number }): void {
    this.writes.push(`startRun:${run.jobId}`);
    super.startRun(run);
  }
  override finishRun(runId: string, entry: CronRunLogEntry): void {
    this.writes.push(`finishRun:${entry.jobId}`);
    super.finishRun(runId, entry);
  }
}

Deno.test("the reference's managed jobs (heartbeat payload, memory-core, skill review) are listed but never scheduled, run or rewritten", async () => {
  const managed = await referenceManagedJobs();
  assert.ok(managed.every((job) => !runsHere(job)));
  const store = new SpyStore();
  const T = Date.parse("2026-12-01T12:00:00Z");
  for (const job of managed) {
    // Overdue and missed since the last run, and one left "running" by a reference that stopped.
    job.state = { ...job.state, nextRunAtMs: T - 3_600_000, lastRunAtMs: T - 90 * 86_400_000, lastRunStatus: "ok" };
    store.jobs.set(job.id, structuredClone(job));
  }
  const running = managed[0]!;
  store.jobs.get(running.id)!.state.runningAtMs = T - 60_000;
  store.receipts.set("ref-run", {
    runId: "ref-run",
    jobId: running.id,
    agentId: "main",
    startedAtMs: T - 60_000,
    status: "running",
  });
  const before = structuredClone([...store.jobs.values()]);
  const clock = new ManualClock(T);
  const calls: string[] = [];
  const runner: CronJobRunner = (job) => {
    calls.push(job.id);
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
  });
  await service.start();
  await clock.advance(7 * 86_400_000);
  assert.deepEqual(calls, [], "nothing ran");
  assert.deepEqual(store.writes, [], "no state, receipt or history written for them");
  assert.deepEqual(store.entries, []);
  assert.deepEqual([...store.jobs.values()], before, "their rows are as the reference left them");
  assert.deepEqual(service.list().map((job) => job.id).sort(), managed.map((job) => job.id).sort(), "listed");
  assert.equal(service.status().jobs, 3);
  assert.equal(service.status().nextWakeAtMs, null, "no wake for jobs this gateway does not run");
  assert.equal(clock.pending, 0, "no timer armed for them");
  for (const job of managed) {
    assert.throws(() => service.run(job.id, "force"), CronJobNotRunnableHereError);
  }
  assert.deepEqual(store.writes, []);
  await service.stop();
});

Deno.test("a user's job with its own declarationKey and a runnable payload is ours to run", () => {
  const job = {
    id: "j",
    name: "mine",
    enabled: true,
    declarationKey: "my-reconciler:daily",
    createdAtMs: 0,
    updatedAtMs: 0,
    schedule: { kind: "every", everyMs: 60_000 },
    sessionTarget: "main",
    wakeMode: "now",
    payload: { kind: "systemEvent", text: "x" },
    state: {},
  } satisfies CronJob;
  assert.equal(runsHere(job), true);
});
