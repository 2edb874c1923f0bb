import assert from "node:assert/strict";
import type { CronJob, CronJobDraft } from "../../src/agent/cron_control.ts";
import { CronJobNotFoundError } from "../../src/agent/cron_control.ts";
import type { CronJobRunner, CronRunResult } from "../../src/automation/cron_runner.ts";
import type { CronEvent } from "../../src/automation/cron_events.ts";
import { CronService, type CronSettings } from "../../src/automation/cron_service.ts";
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

interface Harness {
  clock: ManualClock;
  store: MemoryCronStore;
  service: CronService;
  events: CronEvent[];
  calls: { job: CronJob; trigger: string }[];
  answer: (job: CronJob) => CronRunResult | Promise<CronRunResult>;
}

async function harness(
  options: {
    store?: MemoryCronStore;
    clock?: ManualClock;
    settings?: Partial<CronSettings>;
    answer?: Harness["answer"];
  } = {},
): Promise<Harness> {
  const clock = options.clock ?? new ManualClock(T);
  const store = options.store ?? new MemoryCronStore();
  const events: CronEvent[] = [];
  const calls: Harness["calls"] = [];
  const h = { clock, store, events, calls, answer: options.answer ?? (() => ({ status: "ok" as const })) } as Harness;
  const runner: CronJobRunner = (job, context) => {
    calls.push({ job, trigger: context.trigger });
    return Promise.resolve(h.answer(job));
  };
  h.service = new CronService({
    store,
    runner,
    emit: (event) => events.push(event),
    settings: { enabled: true, skipMissedJobs: false, ...options.settings },
    defaultAgentId: () => "main",
    log: quietLog,
    clock,
  });
  await h.service.start();
  return h;
}

Deno.test("an `every` job fires on its interval with one timer armed, and records state, history and events", async () => {
  const h = await harness();
  const job = h.service.add(draft());
  assert.equal(job.state.nextRunAtMs, T + 60_000);
  assert.equal(h.clock.pending, 1, "one timer for the nearest job");
  for (let i = 0; i < 20; i++) h.service.add(draft({ schedule: { kind: "every", everyMs: 3_600_000 } }));
  assert.equal(h.clock.pending, 1, "still one timer with 21 jobs");
  assert.equal(h.clock.nextAt, T + 60_000);
  await h.clock.advance(59_999);
  assert.equal(h.calls.length, 0);
  await h.clock.advance(1);
  assert.equal(h.calls.length, 1);
  assert.equal(h.calls[0]!.trigger, "schedule");
  const after = h.service.get(job.id)!;
  assert.equal(after.state.lastRunStatus, "ok");
  assert.equal(after.state.lastRunAtMs, T + 60_000);
  assert.equal(after.state.nextRunAtMs, T + 120_000);
  assert.equal(after.state.consecutiveErrors, 0);
  assert.equal(after.state.runningAtMs, undefined);
  assert.deepEqual(h.events.filter((e) => e.jobId === job.id).map((e) => e.action), [
    "added",
    "started",
    "finished",
    "scheduled",
  ], "the reference's sequence: the moved next run is announced after the outcome");
  const scheduled = h.events.find((e) => e.action === "scheduled")!;
  assert.equal("nextRunAtMs" in scheduled ? scheduled.nextRunAtMs : undefined, T + 120_000);
  assert.equal("failureNotificationDelivery" in h.events.find((e) => e.action === "finished")!, false);
  const finished = h.events.find((e) => e.action === "finished")!;
  assert.equal(finished.status, "ok");
  assert.equal(finished.runAtMs, T + 60_000);
  assert.equal(finished.nextRunAtMs, T + 120_000);
  const { entries, total } = h.service.runs({ jobId: job.id, limit: 10, offset: 0 });
  assert.equal(total, 1);
  assert.equal(entries[0]!.status, "ok");
  assert.match(entries[0]!.runId!, new RegExp(`^cron:${job.id}:${T + 60_000}:`));
  assert.equal(h.store.jobs.get(job.id)!.state.lastRunStatus, "ok", "state persisted");
  await h.clock.advance(60_000);
  assert.equal(h.calls.length, 2);
  await h.service.stop();
});

Deno.test("a one-shot `at` job runs once; deleteAfterRun removes it after success, otherwise it is disabled", async () => {
  const h = await harness();
  const keep = h.service.add(draft({ schedule: { kind: "at", at: new Date(T + 5_000).toISOString() } }));
  const gone = h.service.add(
    draft({ schedule: { kind: "at", at: new Date(T + 5_000).toISOString() }, deleteAfterRun: true }),
  );
  await h.clock.advance(5_000);
  assert.equal(h.calls.length, 2);
  assert.equal(h.service.get(gone.id), undefined);
  assert.equal(h.store.jobs.has(gone.id), false);
  assert.ok(h.events.some((e) => e.jobId === gone.id && e.action === "removed"));
  const kept = h.service.get(keep.id)!;
  assert.equal(kept.enabled, false);
  assert.equal(kept.state.nextRunAtMs, undefined);
  await h.clock.advance(3_600_000);
  assert.equal(h.calls.length, 2, "never again");
  await h.service.stop();
});

Deno.test("a failing recurring job backs off 30 s, 1 min, 5 min ... and its error shows in state, history and status", async () => {
  const h = await harness({ answer: () => ({ status: "error", error: "model said no" }) });
  const job = h.service.add(draft({ schedule: { kind: "every", everyMs: 10_000 } }));
  await h.clock.advance(10_000);
  let state = h.service.get(job.id)!.state;
  assert.equal(state.lastRunStatus, "error");
  assert.equal(state.lastError, "model said no");
  assert.equal(state.consecutiveErrors, 1);
  assert.equal(state.nextRunAtMs, T + 10_000 + 30_000, "natural 20 s pushed back to 30 s after the failure");
  await h.clock.advance(30_000);
  state = h.service.get(job.id)!.state;
  assert.equal(state.consecutiveErrors, 2);
  assert.equal(state.nextRunAtMs, T + 40_000 + 60_000);
  await h.clock.advance(60_000);
  state = h.service.get(job.id)!.state;
  assert.equal(state.consecutiveErrors, 3);
  assert.equal(state.nextRunAtMs, T + 100_000 + 300_000);
  assert.equal(h.calls.length, 3);
  const { entries } = h.service.runs({ jobId: job.id, limit: 10, offset: 0, statuses: ["error"] });
  assert.equal(entries.length, 3);
  assert.equal(entries[0]!.error, "model said no");
  // Success resets the streak and the natural interval resumes.
  h.answer = () => ({ status: "ok" });
  await h.clock.advance(300_000);
  state = h.service.get(job.id)!.state;
  assert.equal(state.consecutiveErrors, 0);
  assert.equal(state.nextRunAtMs, T + 400_000 + 10_000);
  await h.service.stop();
});

Deno.test("a transient error on a recurring job retries sooner than its natural slot; ten failures in a row auto-disable it", async () => {
  const h = await harness({ answer: () => ({ status: "error", error: "429 Too Many Requests" }) });
  const job = h.service.add(draft({ schedule: { kind: "every", everyMs: 3_600_000 } }));
  await h.clock.advance(3_600_000);
  assert.equal(h.service.get(job.id)!.state.nextRunAtMs, T + 3_600_000 + 30_000, "retry in 30 s, not in an hour");
  h.answer = () => ({ status: "error", error: "boom" });
  for (let i = 0; i < 12; i++) await h.clock.advance(3_600_000);
  const after = h.service.get(job.id)!;
  assert.equal(after.enabled, false);
  assert.equal(after.state.autoDisabled?.reason, "consecutive-failures");
  assert.equal(after.state.consecutiveErrors, 10);
  assert.equal(h.calls.length, 10);
  await h.service.stop();
});

Deno.test("a one-shot with a transient error retries up to 3 times, a permanent error disables it", async () => {
  const h = await harness({ answer: () => ({ status: "error", error: "fetch failed" }) });
  const job = h.service.add(draft({ schedule: { kind: "at", at: new Date(T + 1_000).toISOString() } }));
  await h.clock.advance(1_000);
  assert.equal(h.service.get(job.id)!.state.nextRunAtMs, T + 1_000 + 30_000);
  await h.clock.advance(30_000 + 60_000 + 300_000 + 900_000);
  assert.equal(h.calls.length, 4, "first run and three retries");
  assert.equal(h.service.get(job.id)!.enabled, false);
  const other = h.service.add(draft({ schedule: { kind: "at", at: new Date(h.clock.now() + 1_000).toISOString() } }));
  h.answer = () => ({ status: "error", error: "invalid payload" });
  await h.clock.advance(1_000);
  assert.equal(h.service.get(other.id)!.enabled, false);
  await h.service.stop();
});

Deno.test("at most 8 jobs run at once; the rest run as slots free up", async () => {
  const releases: (() => void)[] = [];
  const h = await harness({
    answer: () => new Promise<CronRunResult>((resolve) => releases.push(() => resolve({ status: "ok" }))),
  });
  for (let i = 0; i < 10; i++) {
    h.service.add(draft({ schedule: { kind: "at", at: new Date(T + 1_000).toISOString() } }));
  }
  await h.clock.advance(1_000);
  assert.equal(h.calls.length, 8);
  assert.equal(h.service.status().running, 8);
  releases.shift()!();
  await h.clock.advance(0);
  assert.equal(h.calls.length, 9, "the freed slot is taken at once");
  for (const release of releases.splice(0)) release();
  await h.clock.advance(0);
  assert.equal(h.calls.length, 10);
  for (const release of releases.splice(0)) release();
  await h.clock.advance(1);
  await h.service.stop();
});

Deno.test("run(): force runs now and keeps the pending slot, due refuses when not due, unknown ids throw", async () => {
  const h = await harness();
  const job = h.service.add(draft({ schedule: { kind: "every", everyMs: 60_000 } }));
  assert.deepEqual(h.service.run(job.id, "due"), { ran: false, reason: "not-due" });
  const started = h.service.run(job.id, "force");
  assert.ok(started.ran);
  assert.match(started.runId, new RegExp(`^manual:${job.id}:${T}:1$`));
  assert.deepEqual(h.service.run(job.id, "force"), { ran: false, reason: "already-running" });
  const entry = await started.done;
  assert.equal(entry.status, "ok");
  assert.equal(h.service.get(job.id)!.state.nextRunAtMs, T + 60_000, "the natural slot is preserved");
  assert.equal(h.calls[0]!.trigger, "manual");
  h.service.update(job.id, (current) => ({ ...current, enabled: false }));
  assert.deepEqual(h.service.run(job.id, "if-enabled"), { ran: false, reason: "disabled" });
  assert.throws(() => h.service.run("nope", "force"), CronJobNotFoundError);
  assert.throws(() => h.service.update("nope", (c) => c), CronJobNotFoundError);
  assert.equal(h.service.remove("nope"), false);
  await h.service.stop();
});

Deno.test("update() recomputes the next run when the schedule or enabled changes; remove() disarms", async () => {
  const h = await harness();
  const job = h.service.add(draft({ schedule: { kind: "every", everyMs: 60_000 } }));
  const disabled = h.service.update(job.id, (current) => ({ ...current, enabled: false }));
  assert.equal(disabled.state.nextRunAtMs, undefined);
  assert.equal(h.service.status().nextWakeAtMs, null);
  const moved = h.service.update(job.id, (current) => ({
    ...current,
    enabled: true,
    schedule: { kind: "cron", expr: "30 10 * * *", tz: "UTC" },
  }));
  assert.equal(moved.state.nextRunAtMs, T + 30 * 60_000);
  assert.equal(moved.state.scheduleActivatedAtMs, T);
  assert.equal(h.events.at(-1)!.action, "updated");
  assert.equal(h.service.remove(job.id), true);
  assert.equal(h.clock.pending, 0);
  await h.service.stop();
});

Deno.test("cron.enabled false: nothing fires, status says so; turning it on (hot) catches up and arms", async () => {
  const h = await harness({ settings: { enabled: false } });
  const job = h.service.add(draft({ schedule: { kind: "every", everyMs: 1_000 } }));
  await h.clock.advance(10_000);
  assert.equal(h.calls.length, 0);
  assert.equal(h.service.status().enabled, false);
  assert.equal(h.clock.pending, 0);
  h.service.reconfigure({ enabled: true, skipMissedJobs: false });
  await h.clock.advance(0);
  assert.equal(h.calls.length, 1, "the missed run caught up");
  assert.equal(h.calls[0]!.trigger, "catch-up");
  assert.ok(h.service.status().enabled);
  assert.ok(h.service.get(job.id)!.state.nextRunAtMs! > h.clock.now());
  await h.service.stop();
});

Deno.test("paused scheduling (a host suspension) starts no job on its own; resumed, the job that fell due runs once", async () => {
  const h = await harness();
  const job = h.service.add(draft());
  h.service.pauseScheduling();
  assert.equal(h.clock.pending, 0, "no timer while paused");
  h.service.add(draft({ name: "second", schedule: { kind: "every", everyMs: 30_000 } }));
  assert.equal(h.clock.pending, 0, "an added job arms nothing while paused");
  await h.clock.advance(180_000);
  assert.equal(h.calls.length, 0);
  const started = h.service.run(job.id, "force");
  assert.ok(started.ran);
  await started.done;
  assert.equal(h.calls.length, 1, "cron.run still starts a job");
  h.service.resumeScheduling();
  await h.clock.advance(0);
  assert.deepEqual(
    h.calls.slice(1).map((c) => [c.job.name, c.trigger]).sort(),
    [["job", "schedule"], ["second", "schedule"]],
    "each overdue job once",
  );
  assert.equal(h.service.activeRuns, 0);
  assert.ok(h.clock.pending >= 1, "armed again");
  await h.service.stop();
});

Deno.test("a restart between schedule and fire keeps the job: the new service fires it on time", async () => {
  const store = new MemoryCronStore();
  const clock = new ManualClock(T);
  const first = await harness({ store, clock });
  const job = first.service.add(draft({ schedule: { kind: "at", at: new Date(T + 10_000).toISOString() } }));
  await first.service.stop();
  await clock.advance(5_000);
  const second = await harness({ store, clock });
  assert.equal(second.calls.length, 0);
  await clock.advance(5_000);
  assert.equal(second.calls.length, 1);
  assert.equal(second.calls[0]!.job.id, job.id);
  await second.service.stop();
});

Deno.test("missed runs at start: system events catch up at once, agent turns are deferred 2 minutes, skipMissedJobs skips recurring ones", async () => {
  const store = new MemoryCronStore();
  const clock = new ManualClock(T);
  const first = await harness({ store, clock });
  const system = first.service.add(draft({ schedule: { kind: "every", everyMs: 60_000 } }));
  const agent = first.service.add(draft({
    schedule: { kind: "every", everyMs: 60_000 },
    sessionTarget: "isolated",
    payload: { kind: "agentTurn", message: "hi" },
  }));
  const oneShot = first.service.add(draft({ schedule: { kind: "at", at: new Date(T + 30_000).toISOString() } }));
  await first.service.stop();
  await clock.advance(600_000);
  const second = await harness({ store, clock });
  assert.deepEqual(second.calls.map((c) => c.job.id).sort(), [system.id, oneShot.id].sort());
  assert.ok(second.calls.every((c) => c.trigger === "catch-up"));
  assert.equal(second.service.get(agent.id)!.state.nextRunAtMs, T + 600_000 + 120_000);
  await clock.advance(120_000);
  assert.ok(second.calls.some((c) => c.job.id === agent.id), "the deferred agent turn ran");
  await second.service.stop();

  const skipStore = new MemoryCronStore();
  const skipClock = new ManualClock(T);
  const a = await harness({ store: skipStore, clock: skipClock });
  const recurring = a.service.add(draft({ schedule: { kind: "every", everyMs: 60_000 } }));
  const once = a.service.add(draft({ schedule: { kind: "at", at: new Date(T + 30_000).toISOString() } }));
  await a.service.stop();
  await skipClock.advance(600_000);
  const b = await harness({ store: skipStore, clock: skipClock, settings: { skipMissedJobs: true } });
  assert.deepEqual(b.calls.map((c) => c.job.id), [once.id], "the one-shot still catches up");
  assert.equal(b.service.get(recurring.id)!.state.nextRunAtMs, T + 660_000, "advanced to its next future slot");
  await b.service.stop();
});

Deno.test("a start paused by a host suspension catches up nothing until scheduling resumes", async () => {
  const store = new MemoryCronStore();
  const clock = new ManualClock(T);
  const first = await harness({ store, clock });
  const missed = first.service.add(draft({ schedule: { kind: "every", everyMs: 60_000 } }));
  await first.service.stop();
  await clock.advance(600_000);
  const calls: string[] = [];
  const service = new CronService({
    store,
    runner: (job) => (calls.push(job.id), Promise.resolve({ status: "ok" as const })),
    emit: () => {},
    settings: { enabled: true, skipMissedJobs: false },
    defaultAgentId: () => "main",
    log: quietLog,
    clock,
  });
  service.pauseScheduling();
  await service.start();
  await clock.advance(0);
  assert.deepEqual(calls, [], "nothing caught up while paused");
  service.resumeScheduling();
  await clock.advance(0);
  assert.deepEqual(calls, [missed.id], "the missed run once resumed");
  await service.stop();
});

Deno.test("a run cut short by a stop is recorded at the next start as interrupted and counts as an error", async () => {
  const store = new MemoryCronStore();
  const clock = new ManualClock(T);
  const first = await harness({
    store,
    clock,
    answer: () => new Promise<CronRunResult>(() => {}),
  });
  const job = first.service.add(draft({ schedule: { kind: "every", everyMs: 60_000 } }));
  await clock.advance(60_000);
  assert.equal(first.calls.length, 1);
  assert.equal(store.jobs.get(job.id)!.state.runningAtMs, T + 60_000, "running is persisted");
  // The runner never answers: stop gives up waiting after its grace period.
  const stopped = first.service.stop();
  await clock.advance(2_000);
  await stopped;
  const second = await harness({ store, clock });
  const state = second.service.get(job.id)!.state;
  assert.equal(state.lastRunStatus, "error");
  assert.equal(state.lastError, "cron: job interrupted by gateway restart");
  assert.equal(state.consecutiveErrors, 1);
  assert.equal(state.runningAtMs, undefined);
  const { entries } = second.service.runs({ jobId: job.id, limit: 5, offset: 0 });
  assert.equal(entries[0]!.error, "cron: job interrupted by gateway restart");
  assert.ok(
    second.events.some((e) => e.action === "finished" && e.error === "cron: job interrupted by gateway restart"),
  );
  await second.service.stop();
});

Deno.test("cron.enabled off and on again during start-up catch-up runs each missed job once", async () => {
  const store = new MemoryCronStore();
  const clock = new ManualClock(T);
  const first = await harness({ store, clock, settings: { enabled: false } });
  for (let i = 0; i < 3; i++) first.service.add(draft({ name: `j${i}` }));
  await first.service.stop();
  await clock.advance(600_000);
  const pending: ((result: CronRunResult) => void)[] = [];
  const h = await harness({
    store,
    clock,
    settings: { enabled: false },
    answer: () => new Promise<CronRunResult>((resolve) => pending.push(resolve)),
  });
  h.service.reconfigure({ enabled: true, skipMissedJobs: false });
  await clock.advance(0);
  h.service.reconfigure({ enabled: false, skipMissedJobs: false });
  h.service.reconfigure({ enabled: true, skipMissedJobs: false });
  for (let i = 0; i < 20; i++) {
    await clock.advance(0);
    pending.shift()?.({ status: "ok" });
  }
  assert.deepEqual(h.calls.map((call) => call.job.name).sort(), ["j0", "j1", "j2"]);
  await h.service.stop();
});

Deno.test("a run that completes during the stop's grace period is recorded, not replayed at the next start", async () => {
  const store = new MemoryCronStore();
  const clock = new ManualClock(T);
  let finish: ((result: CronRunResult) => void) | undefined;
  const first = await harness({
    store,
    clock,
    answer: () => new Promise<CronRunResult>((resolve) => finish = resolve),
  });
  const job = first.service.add(draft({ schedule: { kind: "at", at: new Date(T + 1_000).toISOString() } }));
  await clock.advance(1_000);
  assert.equal(first.calls.length, 1);
  const stopping = first.service.stop();
  finish!({ status: "ok", summary: "sent" });
  await clock.advance(0);
  await stopping;
  const second = await harness({ store, clock });
  await clock.advance(60_000);
  assert.equal(second.calls.length, 0, "the one-shot that ran is not replayed");
  assert.equal(store.jobs.get(job.id)!.state.lastRunStatus, "ok");
  assert.deepEqual(store.entries.map((entry) => entry.status), ["ok"]);
  await second.service.stop();
});
