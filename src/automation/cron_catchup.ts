// Runs missed while the gateway was down, handled as the reference documents: a run cut short by
// the stop is recorded as failed ("cron: job interrupted by gateway restart"); at start, missed
// jobs catch up (up to 5 at once, the rest 5 s apart; agent turns and wake-now system events are
// deferred 2 minutes so start-up stays light), or with `cron.skipMissedJobs` recurring ones skip
// to their next occurrence. One-shots always catch up. Nothing missed is silently lost.
import type { CronJob, CronRunLogEntry } from "../agent/cron_control.ts";
import {
  computeJobNextRunAtMs,
  type CronExpressions,
  errorBackoffUntilMs,
  parseAbsoluteTimeMs,
} from "./cron_schedule.ts";
import { isRunnable, missedCronSlotSinceLastRun, waitsForAgent } from "./cron_due.ts";
import { runsHere } from "./cron_foreign.ts";
import { dropUndefined, INTERRUPTED_ERROR, MAX_CONSECUTIVE_RUN_FAILURES } from "./cron_outcome.ts";
import type { CronLimits } from "./cron_service_options.ts";
import type { CronStore } from "./cron_store.ts";
import type { CronLog } from "./cron_events.ts";

/** Records a run the previous gateway left unfinished as failed, and returns its history entry. */
export function markInterrupted(
  job: CronJob,
  run: { runningAtMs: number; nowMs: number; runId?: string | undefined; expressions: CronExpressions },
): CronRunLogEntry {
  const state = job.state;
  state.runningAtMs = undefined;
  state.lastRunAtMs = run.runningAtMs;
  state.lastRunStatus = "error";
  state.lastStatus = "error";
  state.lastError = INTERRUPTED_ERROR;
  state.lastErrorReason = undefined;
  state.lastDurationMs = Math.max(0, run.nowMs - run.runningAtMs);
  state.consecutiveErrors = (state.consecutiveErrors ?? 0) + 1;
  state.lastDelivered = false;
  state.lastDeliveryStatus = "unknown";
  state.lastDeliveryError = INTERRUPTED_ERROR;
  state.lastFailureNotificationDeliveryStatus = "not-requested";
  job.updatedAtMs = run.nowMs;
  if (job.schedule.kind === "at" && job.enabled !== false) {
    // An interrupted one-shot recovers through the normal catch-up, however overdue it is.
    state.nextRunAtMs = parseAbsoluteTimeMs(job.schedule.at) ?? undefined;
  } else if (
    (job.schedule.kind === "cron" || job.schedule.kind === "every") && job.enabled !== false &&
    state.consecutiveErrors >= MAX_CONSECUTIVE_RUN_FAILURES
  ) {
    job.enabled = false;
    state.nextRunAtMs = undefined;
    state.autoDisabled = {
      reason: "consecutive-failures",
      atMs: run.nowMs,
      consecutiveErrors: state.consecutiveErrors,
    };
  } else if (job.enabled !== false) {
    state.nextRunAtMs = computeJobNextRunAtMs(job, run.nowMs, run.expressions);
    const backoff = errorBackoffUntilMs(job);
    if (state.nextRunAtMs !== undefined && backoff !== undefined) {
      state.nextRunAtMs = Math.max(state.nextRunAtMs, backoff);
    }
  }
  dropUndefined(state as Record<string, unknown>);
  return dropUndefined({
    ts: run.runningAtMs + state.lastDurationMs,
    jobId: job.id,
    action: "finished" as const,
    status: "error" as const,
    completionStatus: "failed" as const,
    error: INTERRUPTED_ERROR,
    delivered: false,
    deliveryStatus: "unknown" as const,
    deliveryError: INTERRUPTED_ERROR,
    runId: run.runId,
    runAtMs: run.runningAtMs,
    durationMs: state.lastDurationMs,
    nextRunAtMs: state.nextRunAtMs,
    jobName: job.name,
  });
}

/**
 * Runs the previous process left `running` (its receipts, or a job's own `runningAtMs`), recorded as
 * failed with the reference's words; the store gets each run's history entry. `running` holds the jobs
 * whose state says running; a job only a receipt names is read with `read`. Returns the jobs changed.
 */
export function recoverInterruptedRuns(
  running: ReadonlyMap<string, CronJob>,
  store: CronStore,
  nowMs: number,
  expressions: CronExpressions,
  read: (jobId: string) => CronJob | undefined,
): { job: CronJob; entry: CronRunLogEntry }[] {
  const receipts = new Map(store.takeInterruptedRuns().map((run) => [run.jobId, run]));
  const jobs = new Map(running);
  for (const jobId of receipts.keys()) {
    const job = jobs.has(jobId) ? undefined : read(jobId);
    if (job) jobs.set(jobId, job);
  }
  const out: { job: CronJob; entry: CronRunLogEntry }[] = [];
  for (const job of jobs.values()) {
    // The reference's managed jobs: their state and history are its to write.
    if (!runsHere(job)) continue;
    const receipt = receipts.get(job.id);
    const runningAtMs = job.state.runningAtMs ?? receipt?.startedAtMs;
    if (runningAtMs === undefined) continue;
    const entry = markInterrupted(job, { runningAtMs, nowMs, runId: receipt?.runId, expressions });
    if (receipt) store.finishRun(receipt.runId, entry);
    out.push({ job, entry });
  }
  return out;
}

/** What catch-up needs of the scheduler. */
export interface CatchUpContext {
  /** The scheduler's jobs, read afresh (the store is not written until the iteration ends). */
  jobs: () => Iterable<CronJob>;
  nowMs: () => number;
  skipMissedJobs: boolean;
  limits: CronLimits;
  expressions: CronExpressions;
  /** Filled with the slots given to deferred jobs. */
  catchupAt: Map<string, number>;
  isActive: (jobId: string) => boolean;
  stopped: () => boolean;
  save: (job: CronJob) => void;
  /** A job as stored now (undefined: removed): missed jobs run and are deferred one after another. */
  read: (jobId: string) => CronJob | undefined;
  /** Runs one job now and resolves when it finished. */
  run: (job: CronJob) => Promise<unknown>;
  log: Pick<CronLog, "info">;
}

/** Finds the runs missed while the gateway was down and runs, defers or skips them. */
export async function catchUpMissedJobs(context: CatchUpContext): Promise<void> {
  const now = context.nowMs();
  const missed: CronJob[] = [];
  const skipped: string[] = [];
  // Saved once the pass is over: the jobs may come from a read the store is still serving.
  const changed: CronJob[] = [];
  for (const job of context.jobs()) {
    if (job.enabled === false || context.isActive(job.id) || !runsHere(job)) continue;
    const backoffUntil = job.schedule.kind === "cron" ? errorBackoffUntilMs(job) : undefined;
    if (
      backoffUntil !== undefined && now < backoffUntil &&
      missedCronSlotSinceLastRun(job, now, context.expressions) && job.state.nextRunAtMs !== backoffUntil
    ) {
      job.state.nextRunAtMs = backoffUntil;
      changed.push(job);
      continue;
    }
    const check = {
      nowMs: now,
      running: false,
      expressions: context.expressions,
      skipAtIfAlreadyRan: true,
      allowCronMissedRunByLastRun: true,
      startupCatchupAtMs: context.catchupAt.get(job.id),
    };
    if (!isRunnable(job, check)) continue;
    if (context.skipMissedJobs && (job.schedule.kind === "cron" || job.schedule.kind === "every")) {
      job.state.nextRunAtMs = computeJobNextRunAtMs(job, now, context.expressions);
      changed.push(job);
      skipped.push(job.id);
    } else {
      missed.push(job);
    }
  }
  for (const job of changed) context.save(job);
  if (skipped.length > 0) {
    context.log.info(`cron: skipped missed recurring jobs after restart (${skipped.length}: ${skipped.join(", ")})`);
  }
  if (missed.length === 0) return;
  missed.sort((a, b) => (a.state.nextRunAtMs ?? 0) - (b.state.nextRunAtMs ?? 0));
  const agentJobs = missed.filter(waitsForAgent);
  const eligible = missed.filter((job) => !waitsForAgent(job));
  const immediate = eligible.slice(0, context.limits.maxMissedJobsPerRestart);
  const overflow = eligible.slice(context.limits.maxMissedJobsPerRestart);
  if (overflow.length + agentJobs.length > 0) {
    context.log.info(
      `cron: staggering missed jobs to prevent gateway overload (${immediate.length} now, ${
        overflow.length + agentJobs.length
      } deferred, ${agentJobs.length} agent jobs after ${context.limits.deferredAgentJobDelayMs} ms)`,
    );
  }
  if (immediate.length > 0) {
    context.log.info(`cron: running missed jobs after restart (${immediate.map((job) => job.id).join(", ")})`);
  }
  for (const job of immediate) {
    if (context.stopped()) return;
    const current = stillMissed(context, job);
    if (current) await context.run(current);
  }
  if (context.stopped()) return;
  const base = context.nowMs();
  const stagger = context.limits.missedJobStaggerMs;
  let offset = stagger;
  const defer = (missedJob: CronJob, delayMs: number | undefined) => {
    const job = stillMissed(context, missedJob);
    if (!job) return;
    const at = delayMs === undefined ? base + offset : base + delayMs + offset - stagger;
    offset += stagger;
    job.state.nextRunAtMs = at;
    context.catchupAt.set(job.id, at);
    context.save(job);
  };
  for (const job of overflow) defer(job, undefined);
  for (const job of agentJobs) defer(job, context.limits.deferredAgentJobDelayMs);
}

/**
 * The missed job as stored now, or undefined when it was removed, disabled or given another next run
 * (an edit owns it) while earlier missed jobs ran: writing back the copy read at the pass would undo
 * the edit or bring a removed job back.
 */
function stillMissed(context: CatchUpContext, missed: CronJob): CronJob | undefined {
  const job = context.read(missed.id);
  if (!job || job.enabled === false || job.state.nextRunAtMs !== missed.state.nextRunAtMs) return undefined;
  return job;
}
