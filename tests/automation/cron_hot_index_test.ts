import assert from "node:assert/strict";
import type { CronJob, CronJobDraft } from "../../src/agent/cron_control.ts";
import type { CronEvent } from "../../src/automation/cron_events.ts";
import { CronHotIndex } from "../../src/automation/cron_hot_index.ts";
import { CronService } from "../../src/automation/cron_service.ts";
import { ManualClock } from "../support/manual_clock.ts";
import { MemoryCronStore } from "../support/memory_cron_store.ts";

const T = Date.parse("2026-06-01T10:00:00Z");
const quietLog = { info() {}, warn() {}, error() {}, debug() {} };

function draft(over: Partial<CronJobDraft> = {}): CronJobDraft {
  return {
    name: "job",
    enabled: true,
    schedule: { kind: "every", everyMs: 60_000 },
    sessionTarget: "main",
    wakeMode: "next-heartbeat",
    payload: { kind: "systemEvent", text: "ping" },
    ...over,
  };
}

function stored(id: string, over: Partial<CronJob> = {}): CronJob {
  return { ...draft(), id, createdAtMs: T, updatedAtMs: T, state: { nextRunAtMs: T + 60_000 }, ...over };
}

async function service(store: MemoryCronStore, clock: ManualClock) {
  const ran: CronJob[] = [];
  const events: CronEvent[] = [];
  const cron = new CronService({
    store,
    runner: (job) => {
      ran.push(job);
      return Promise.resolve({ status: "ok" });
    },
    emit: (event) => events.push(event),
    settings: { enabled: true, skipMissedJobs: false },
    defaultAgentId: () => "main",
    log: quietLog,
    clock,
  });
  await cron.start();
  return { cron, ran, events };
}

Deno.test("the index wakes only for enabled, time-scheduled jobs this gateway runs, and announces a moved next run once", () => {
  const index = new CronHotIndex();
  index.note(stored("a", { state: { nextRunAtMs: T + 5_000 } }));
  index.note(stored("off", { enabled: false, state: { nextRunAtMs: T + 1_000 } }));
  index.note(stored("foreign", { declarationKey: "memory-core:dreaming", state: { nextRunAtMs: T + 1_000 } }));
  index.note(stored("none", { state: {} }));
  assert.equal(index.size, 4);
  assert.equal(index.nextWakeAtMs(), T + 5_000);
  assert.equal(index.nextWakeAtMs((id) => id === "a"), undefined);
  assert.deepEqual(index.dueIds(T + 5_000), ["a"]);
  assert.deepEqual(index.withoutNextRun(), ["none"]);
  assert.equal(index.announce("a", T + 5_000), false, "a loaded next run counts as announced");
  assert.equal(index.announce("a", T + 65_000), true);
  assert.equal(index.announce("a", T + 65_000), false);
  index.delete("a");
  assert.equal(index.has("a"), false);
  assert.equal(index.announce("a", 1), false, "an unknown job announces nothing");
});

Deno.test("the scheduler reads jobs from the store: get, list and the runner see what is stored now", async () => {
  const store = new MemoryCronStore();
  const clock = new ManualClock(T);
  store.saveJob(stored("job-1"));
  store.saveJob(stored("job-2", { state: { nextRunAtMs: T + 120_000 } }));
  const { cron, ran } = await service(store, clock);
  // Written behind the scheduler's back (another gateway on the same state dir): it holds no copy of its own.
  const edited = store.jobs.get("job-1")!;
  edited.name = "renamed";
  edited.payload = { kind: "systemEvent", text: "the stored text" };
  assert.equal(cron.get("job-1")!.name, "renamed");
  assert.deepEqual(cron.list().map((job) => job.name), ["renamed", "job"]);
  await clock.advance(60_000);
  assert.equal(ran.length, 1);
  assert.deepEqual(ran[0]!.payload, { kind: "systemEvent", text: "the stored text" }, "the run gets the stored job");
  assert.equal(store.jobs.get("job-1")!.state.lastRunStatus, "ok");
  assert.equal(cron.get("job-1")!.state.nextRunAtMs, T + 120_000);
  // A row added elsewhere is not this scheduler's until it loads it (as when jobs were held in memory).
  store.saveJob(stored("elsewhere"));
  assert.equal(cron.get("elsewhere"), undefined);
  assert.equal(cron.list().length, 2);
  await cron.stop();
});

Deno.test("a job deleted from the store behind the scheduler is forgotten when it comes due, never run", async () => {
  const store = new MemoryCronStore();
  const clock = new ManualClock(T);
  store.saveJob(stored("gone"));
  store.saveJob(stored("kept", { state: { nextRunAtMs: T + 90_000 } }));
  const { cron, ran } = await service(store, clock);
  assert.equal(cron.status().jobs, 2);
  store.jobs.delete("gone");
  await clock.advance(60_000);
  assert.equal(ran.length, 0);
  assert.equal(cron.status().jobs, 1);
  assert.equal(cron.status().nextWakeAtMs, T + 90_000, "the timer moved on to the next job");
  await clock.advance(30_000);
  assert.deepEqual(ran.map((job) => job.id), ["kept"]);
  await cron.stop();
});

Deno.test("a job disabled or moved behind the scheduler stops waking it: no 2 s poll, no past next wake", async () => {
  for (const change of ["disabled", "moved"] as const) {
    const store = new MemoryCronStore();
    const clock = new ManualClock(T);
    store.saveJob(stored("job-1"));
    const { cron, ran } = await service(store, clock);
    const row = store.jobs.get("job-1")!;
    if (change === "disabled") row.enabled = false;
    else row.state.nextRunAtMs = T + 3_600_000;
    let reads = 0;
    const getJob = store.getJob.bind(store);
    store.getJob = (id) => (reads += 1, getJob(id));
    await clock.advance(10 * 60_000);
    assert.equal(ran.length, 0, change);
    assert.ok(reads <= 1, `${change}: the job is read once when it comes due, not every 2 s (${reads} reads)`);
    const wake = cron.status().nextWakeAtMs;
    assert.equal(wake, change === "disabled" ? null : T + 3_600_000, change);
    await cron.stop();
  }
});

Deno.test("a run only its receipt says was going (the job's state does not) is recorded interrupted at start", async () => {
  const store = new MemoryCronStore();
  const clock = new ManualClock(T);
  store.saveJob(stored("job-1", { state: { nextRunAtMs: T + 600_000 } }));
  store.startRun({ runId: "run-1", jobId: "job-1", agentId: "main", startedAtMs: T - 30_000 });
  const { cron, events } = await service(store, clock);
  const state = cron.get("job-1")!.state;
  assert.equal(state.lastRunStatus, "error");
  assert.equal(state.lastError, "cron: job interrupted by gateway restart");
  assert.equal(state.lastRunAtMs, T - 30_000);
  assert.equal(store.entries[0]?.runId, "run-1");
  assert.ok(events.some((e) => e.action === "finished" && e.jobId === "job-1"));
  await cron.stop();
});

Deno.test("a missed job edited, disabled or removed while start-up catch-up runs earlier ones is taken as it is now", async () => {
  const store = new MemoryCronStore();
  const clock = new ManualClock(T);
  // Eight missed jobs: five run at once (in this order), three are deferred after them.
  const schedule = { kind: "every" as const, everyMs: 60_000, anchorMs: T - 120_000 };
  for (let i = 0; i < 8; i++) store.saveJob(stored(`job-${i}`, { schedule, state: { nextRunAtMs: T - 60_000 + i } }));
  const ran: CronJob[] = [];
  let release: (() => void) | undefined;
  const cron = new CronService({
    store,
    runner: (job) => {
      ran.push(job);
      if (job.id !== "job-0") return Promise.resolve({ status: "ok" });
      return new Promise((resolve) => release = () => resolve({ status: "ok" }));
    },
    emit: () => {},
    settings: { enabled: true, skipMissedJobs: false },
    defaultAgentId: () => "main",
    log: quietLog,
    clock,
  });
  const started = cron.start();
  await clock.advance(0);
  assert.deepEqual(ran.map((job) => job.id), ["job-0"], "the first missed job is running");
  cron.update("job-2", (job) => ({ ...job, enabled: false }));
  cron.update("job-5", (job) => ({ ...job, payload: { kind: "systemEvent", text: "edited" } }));
  cron.update("job-6", (job) => ({ ...job, enabled: false }));
  cron.remove("job-7");
  release!();
  await started;
  await clock.advance(20_000);
  assert.deepEqual(ran.map((job) => job.id), ["job-0", "job-1", "job-3", "job-4", "job-5"]);
  assert.deepEqual(ran.at(-1)!.payload, { kind: "systemEvent", text: "edited" }, "the deferred run is the edited job");
  assert.equal(store.jobs.get("job-2")!.enabled, false, "the disable stays stored");
  assert.equal(store.jobs.get("job-6")!.enabled, false, "the disable stays stored");
  assert.equal(store.jobs.has("job-7"), false, "a removed job is not written back");
  await cron.stop();
});

Deno.test("a run its job's state says was going is recorded interrupted without writing back the ended receipt's id", async () => {
  const store = new MemoryCronStore();
  const clock = new ManualClock(T);
  const state = { nextRunAtMs: T - 60_000, runningAtMs: T - 60_000, runningReceiptId: "receipt-1" };
  store.saveJob(stored("job-1", { state: state as CronJob["state"] }));
  const { cron } = await service(store, clock);
  const saved = store.jobs.get("job-1")!.state;
  assert.equal(saved.lastError, "cron: job interrupted by gateway restart");
  assert.equal("runningReceiptId" in saved, false, "the store ended that receipt; the job must not name it again");
  await cron.stop();
});
