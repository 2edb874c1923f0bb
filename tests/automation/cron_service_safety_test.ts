import assert from "node:assert/strict";
import type { CronJobRunner } from "../../src/automation/cron_runner.ts";
import { CronService } from "../../src/automation/cron_service.ts";
import { ManualClock } from "../support/manual_clock.ts";
import { MemoryCronStore } from "../support/memory_cron_store.ts";

const T = Date.parse("2026-06-01T10:00:00Z");

/** A store that refuses the next `startRun`, as the SQLite store does when another live gateway holds the receipt. */
class RefusingStore extends MemoryCronStore {
  refusals = 1;
  override startRun(run: Parameters<MemoryCronStore["startRun"]>[0]): void {
    if (this.refusals > 0) {
      this.refusals -= 1;
      throw new Error("cron job is already running in another gateway");
    }
    super.startRun(run);
  }
}

Deno.test("a run the store refuses is logged and skipped on the timer, not thrown out of it; the next slot runs", async () => {
  const clock = new ManualClock(T);
  const store = new RefusingStore();
  const errors: string[] = [];
  let runs = 0;
  const runner: CronJobRunner = () => (runs++, Promise.resolve({ status: "ok" }));
  const service = new CronService({
    store,
    runner,
    emit: () => {},
    settings: { enabled: true, skipMissedJobs: false },
    defaultAgentId: () => "main",
    log: { info() {}, warn() {}, error: (message: string) => void errors.push(message) },
    clock,
  });
  await service.start();
  const job = service.add({
    name: "tick",
    enabled: true,
    schedule: { kind: "every", everyMs: 60_000 },
    sessionTarget: "main",
    wakeMode: "next-heartbeat",
    payload: { kind: "systemEvent", text: "ping" },
  });
  // Without the guard the refusal escapes the timer callback (an uncaught error ends the gateway).
  await clock.advance(60_000);
  assert.equal(runs, 0);
  assert.match(errors.join("\n"), /not started: cron job is already running in another gateway/);
  assert.equal(service.get(job.id)!.state.runningAtMs, undefined, "not left marked running");
  assert.equal(store.jobs.get(job.id)!.state.runningAtMs, undefined, "nor stored as running");
  await clock.advance(60_000);
  assert.equal(runs, 1, "the next due time runs");
  await service.stop();
});

Deno.test("cron events carry a job without the creator, authority and receipt records a reference-stored job keeps", async () => {
  const clock = new ManualClock(T);
  const store = new MemoryCronStore();
  const events: Record<string, unknown>[] = [];
  const service = new CronService({
    store,
    runner: () => Promise.resolve({ status: "ok" }),
    emit: (event) => void events.push(event.job as unknown as Record<string, unknown>),
    settings: { enabled: true, skipMissedJobs: false },
    defaultAgentId: () => "main",
    log: { info() {}, warn() {}, error() {} },
    clock,
  });
  await service.start();
  const job = service.add({
    name: "kept",
    enabled: true,
    schedule: { kind: "every", everyMs: 60_000 },
    sessionTarget: "main",
    wakeMode: "next-heartbeat",
    payload: { kind: "systemEvent", text: "ping" },
  });
  // As the reference stores its own jobs: who created it, and scheduler-only state.
  service.update(job.id, (current) => ({
    ...current,
    createdActor: { kind: "operator", id: "someone" },
    state: { ...current.state, runningReceiptId: "r-1" },
  } as typeof current));
  await clock.advance(60_000);
  assert.ok(events.length >= 3);
  for (const sent of events) {
    assert.equal("createdActor" in sent, false);
    assert.equal("runningReceiptId" in (sent.state as Record<string, unknown>), false);
  }
  assert.deepEqual((service.get(job.id) as unknown as Record<string, unknown>).createdActor, {
    kind: "operator",
    id: "someone",
  }, "the stored job keeps them");
  await service.stop();
});

/** A store whose next `getJob` fails, as SQLite does when the database is busy or unreadable. */
class FailingReadStore extends MemoryCronStore {
  failures = 0;
  override getJob(jobId: string) {
    if (this.failures > 0) {
      this.failures -= 1;
      throw new Error("database is locked");
    }
    return super.getJob(jobId);
  }
}

Deno.test("a due job the store cannot read is logged and looked at again, not thrown out of the timer", async () => {
  const clock = new ManualClock(T);
  const store = new FailingReadStore();
  const errors: string[] = [];
  let runs = 0;
  const service = new CronService({
    store,
    runner: () => (runs++, Promise.resolve({ status: "ok" })),
    emit: () => {},
    settings: { enabled: true, skipMissedJobs: false },
    defaultAgentId: () => "main",
    log: { info() {}, warn() {}, error: (message: string) => void errors.push(message) },
    clock,
  });
  await service.start();
  service.add({
    name: "tick",
    enabled: true,
    schedule: { kind: "every", everyMs: 60_000 },
    sessionTarget: "main",
    wakeMode: "next-heartbeat",
    payload: { kind: "systemEvent", text: "ping" },
  });
  store.failures = 1;
  // Without the guard the read's error escapes the timer callback (an uncaught error ends the gateway).
  await clock.advance(60_000);
  assert.equal(runs, 0);
  assert.match(errors.join("\n"), /database is locked/);
  await clock.advance(2_000);
  assert.equal(runs, 1, "the job runs once the store answers again");
  await service.stop();
});
