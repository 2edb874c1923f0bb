// What a finished run does to its job, as the reference decides it: last-run fields, delivery
// state, error and skip streaks, the next run (natural, retried after a transient error, or pushed
// back by the error backoff), one-shots disabled or deleted, and recurring jobs auto-disabled after
// ten failures in a row. Pure: the service applies it and persists the job.
import type { CronDeliveryStatus, CronJob, CronRunLogEntry, CronRunStatus } from "../agent/cron_control.ts";
import type { CronRunResult } from "./cron_runner.ts";
import {
  computeJobNextRunAtMs,
  computeNextRunAtMs,
  type CronExpressions,
  ERROR_BACKOFF_SCHEDULE_MS,
  errorBackoffMs,
  parseAbsoluteTimeMs,
} from "./cron_schedule.ts";

/** Safety gap between two runs of one cron job, so a slot computed inside the same second never refires. */
export const MIN_REFIRE_GAP_MS = 2_000;
/** Run failures in a row after which a recurring job is disabled. */
export const MAX_CONSECUTIVE_RUN_FAILURES = 10;
/** Retries of a transient error before it counts as permanent. */
const MAX_TRANSIENT_RETRIES = 3;
/** The reference's words for a run cut short by a restart. */
export const INTERRUPTED_ERROR = "cron: job interrupted by gateway restart";
/** The reference's words for a run over its time budget. */
export const TIMEOUT_ERROR = "cron: job execution timed out";

/** Error texts that mark a failure as transient (worth a quick retry), by category. */
const TRANSIENT_ERRORS: readonly RegExp[] = [
  /\b429\b|rate[_ -]?limit|too many requests|resource has been exhausted|quota (?:exceeded|exhausted)/i,
  /\b529\b|overloaded|high demand|capacity exceeded/i,
  /network|fetch failed|socket|econnreset|econnrefused|eai_again|enetdown|ehostunreach|enetunreach|epipe/i,
  /timeout|timed out|stalled before execution start|etimedout/i,
  /\b5\d{2}\b.*(?:server error|bad gateway|service unavailable|gateway time-?out)|internal server error|bad gateway|service unavailable|\b5xx\b/i,
];

/** Whether an error text names a transient failure (rate limit, overload, network, timeout, 5xx). */
export function isTransientError(error: string | undefined): boolean {
  return typeof error === "string" && TRANSIENT_ERRORS.some((pattern) => pattern.test(error));
}

/** How a run was asked for, which decides whether it owns the job's schedule. */
export interface OutcomeContext {
  startedAtMs: number;
  endedAtMs: number;
  /** A forced manual run leaves the pending natural slot in place. */
  preserveSchedule: boolean;
  expressions: CronExpressions;
}

/** What applying an outcome decided beyond the job's new state. */
export interface AppliedOutcome {
  deleteJob: boolean;
  completionStatus: "succeeded" | "failed" | "unknown";
  autoDisabled: boolean;
}

function deliveryRequested(job: CronJob): boolean {
  const mode = job.delivery?.mode;
  return mode === "announce" || mode === "webhook";
}

function deliveryStatusOf(job: CronJob, result: CronRunResult): CronDeliveryStatus {
  if (result.deliveryStatus) return result.deliveryStatus;
  if (result.delivered === true) return "delivered";
  if (!deliveryRequested(job)) return "not-requested";
  return result.delivered === false ? "not-delivered" : "unknown";
}

function completionOf(
  job: CronJob,
  status: CronRunStatus,
  delivery: CronDeliveryStatus,
  suppressed = false,
): AppliedOutcome["completionStatus"] {
  if (status !== "ok") return "failed";
  const required = job.delivery?.bestEffort !== true && delivery !== "not-requested";
  // A silent or empty answer that was deliberately not sent completes the run, as in the reference.
  if (!required || delivery === "delivered" || (delivery === "not-delivered" && suppressed)) return "succeeded";
  return delivery === "not-delivered" ? "failed" : "unknown";
}

/** A one-shot's own time when it lies after `ownershipAtMs` (a forced run keeps it). */
function futureOneShotAtMs(job: CronJob, ownershipAtMs: number): number | undefined {
  if (job.schedule.kind !== "at") return undefined;
  const at = job.state.nextRunAtMs ?? parseAbsoluteTimeMs(job.schedule.at) ?? undefined;
  return at !== undefined && at > ownershipAtMs ? at : undefined;
}

/** Applies one run's result to `job` (mutated in place) and says whether to delete it. */
export function applyRunResult(job: CronJob, result: CronRunResult, context: OutcomeContext): AppliedOutcome {
  const { startedAtMs, endedAtMs } = context;
  const previousNext = job.state.nextRunAtMs;
  const previousErrors = job.state.consecutiveErrors ?? 0;
  const state = job.state;
  state.runningAtMs = undefined;
  state.lastRunAtMs = startedAtMs;
  state.lastRunStatus = result.status;
  state.lastStatus = result.status;
  state.lastDurationMs = Math.max(0, endedAtMs - startedAtMs);
  state.lastError = result.error;
  state.lastErrorReason = result.status === "error" ? result.errorReason : undefined;
  const delivery = deliveryStatusOf(job, result);
  state.lastDelivered = delivery === "delivered" ? true : delivery === "not-delivered" ? false : undefined;
  state.lastDeliveryStatus = delivery;
  state.lastDeliveryError = delivery === "not-delivered" || delivery === "unknown"
    ? result.deliveryError ?? (result.status === "error" && deliveryRequested(job) ? result.error : undefined)
    : undefined;
  state.deliverySuppressionReason = delivery === "not-delivered" ? result.deliverySuppressionReason : undefined;
  const notice = result.failureNotification;
  state.lastFailureNotificationDelivered = notice?.delivered;
  state.lastFailureNotificationDeliveryStatus = notice?.status ?? "not-requested";
  state.lastFailureNotificationDeliveryError = notice?.error;
  // The runner sent a failure alert (a time) or a recovery notice cleared the last one (null).
  if (result.failureAlertAtMs === null) state.lastFailureAlertAtMs = undefined;
  else if (typeof result.failureAlertAtMs === "number") state.lastFailureAlertAtMs = result.failureAlertAtMs;
  job.updatedAtMs = endedAtMs;
  const completionStatus = completionOf(job, result.status, delivery, result.deliverySuppressionReason !== undefined);
  if (result.status === "error") {
    state.consecutiveErrors = previousErrors + 1;
    state.consecutiveSkipped = 0;
  } else if (result.status === "skipped") {
    state.consecutiveErrors = 0;
    state.consecutiveSkipped = (state.consecutiveSkipped ?? 0) + 1;
  } else {
    state.consecutiveErrors = 0;
    state.consecutiveSkipped = 0;
  }
  const keptOneShot = context.preserveSchedule ? futureOneShotAtMs(job, startedAtMs) : undefined;
  const oneShot = job.schedule.kind === "at" || job.schedule.kind === "on-exit";
  const deleteJob = oneShot && keptOneShot === undefined && job.deleteAfterRun === true &&
    completionStatus === "succeeded";
  const outcome = { deleteJob, completionStatus, autoDisabled: false };
  if (deleteJob) return outcome;
  nextRun(job, result, context, { previousNext, previousErrors, keptOneShot, outcome });
  dropUndefined(state as Record<string, unknown>);
  return outcome;
}

/** Decides the job's next run (or disables it) after a run that did not delete it. */
function nextRun(
  job: CronJob,
  result: CronRunResult,
  context: OutcomeContext,
  known: {
    previousNext: number | undefined;
    previousErrors: number;
    keptOneShot: number | undefined;
    outcome: AppliedOutcome;
  },
): void {
  const { endedAtMs, expressions } = context;
  // The run's own fields are set; what remains is when the job runs next.
  const { previousNext, previousErrors, keptOneShot, outcome } = known;
  const state = job.state;
  const enabled = job.enabled !== false;
  const natural = (restartInterval: boolean) =>
    restartInterval && job.schedule.kind === "every"
      ? computeNextRunAtMs(job.schedule, endedAtMs, expressions)
      : computeJobNextRunAtMs(job, endedAtMs, expressions);
  if (job.schedule.kind === "at" && keptOneShot !== undefined) {
    state.nextRunAtMs = previousNext;
  } else if (job.schedule.kind === "at" && enabled) {
    const retry = result.status === "error" ? transientRetryMs(result.error, state.consecutiveErrors ?? 0) : undefined;
    if (retry !== undefined) state.nextRunAtMs = endedAtMs + retry;
    else {
      job.enabled = false;
      state.nextRunAtMs = undefined;
    }
  } else if (context.preserveSchedule) {
    state.nextRunAtMs = previousNext;
  } else if (result.status === "error" && enabled && (state.consecutiveErrors ?? 0) >= MAX_CONSECUTIVE_RUN_FAILURES) {
    job.enabled = false;
    state.nextRunAtMs = undefined;
    state.autoDisabled = {
      reason: "consecutive-failures",
      atMs: endedAtMs,
      consecutiveErrors: state.consecutiveErrors!,
    };
    outcome.autoDisabled = true;
  } else if (result.status === "error" && enabled) {
    const errors = state.consecutiveErrors ?? 1;
    const retry = transientRetryMs(result.error, errors);
    const normalNext = natural(retry !== undefined || previousErrors > 0);
    if (retry !== undefined && normalNext !== undefined && endedAtMs + retry < normalNext) {
      state.nextRunAtMs = endedAtMs + retry;
      return;
    }
    const backoffNext = endedAtMs + errorBackoffMs(errors);
    state.nextRunAtMs = normalNext === undefined ? undefined : Math.max(normalNext, backoffNext);
  } else if (enabled) {
    const normalNext = natural(previousErrors > 0);
    state.nextRunAtMs = job.schedule.kind === "cron" && normalNext !== undefined
      ? Math.max(normalNext, endedAtMs + MIN_REFIRE_GAP_MS)
      : normalNext;
  } else {
    state.nextRunAtMs = undefined;
  }
}

/** The quick-retry delay for a transient error (30 s, 1 min, 5 min), or undefined when it is permanent or retried out. */
function transientRetryMs(error: string | undefined, consecutiveErrors: number): number | undefined {
  if (!isTransientError(error) || consecutiveErrors > MAX_TRANSIENT_RETRIES) return undefined;
  return errorBackoffMs(consecutiveErrors, ERROR_BACKOFF_SCHEDULE_MS.slice(0, MAX_TRANSIENT_RETRIES));
}

/** The run-history entry of a finished run, key for key as the reference writes it. */
export function runLogEntry(
  job: CronJob,
  result: CronRunResult,
  run: { runId: string; startedAtMs: number; completionStatus: AppliedOutcome["completionStatus"] },
): CronRunLogEntry {
  const durationMs = job.state.lastDurationMs ?? 0;
  return dropUndefined({
    ts: run.startedAtMs + durationMs,
    jobId: job.id,
    action: "finished" as const,
    status: result.status,
    completionStatus: run.completionStatus,
    error: result.error,
    errorReason: result.status === "error" ? result.errorReason : undefined,
    summary: result.summary,
    delivered: job.state.lastDelivered,
    deliveryStatus: job.state.lastDeliveryStatus,
    deliveryError: job.state.lastDeliveryError,
    deliverySuppressionReason: job.state.deliverySuppressionReason,
    failureNotificationDelivery: failureNotificationDelivery(job),
    delivery: result.delivery,
    sessionId: result.sessionId,
    sessionKey: result.sessionKey,
    runId: run.runId,
    runAtMs: run.startedAtMs,
    durationMs,
    nextRunAtMs: job.state.nextRunAtMs,
    model: result.model,
    provider: result.provider,
    usage: result.usage,
    jobName: job.name,
  });
}

/** How the run's failure alert or recovery notice went, as run history and events carry it. */
export function failureNotificationDelivery(
  job: CronJob,
): { delivered?: boolean; status: CronDeliveryStatus; error?: string } | undefined {
  const status = job.state.lastFailureNotificationDeliveryStatus;
  // Nothing was asked of a failure alert: the reference leaves the key out.
  if (!status || status === "not-requested") return undefined;
  return dropUndefined({
    delivered: job.state.lastFailureNotificationDelivered,
    status,
    error: job.state.lastFailureNotificationDeliveryError,
  });
}

/** `value` without its undefined keys (what JSON would carry anyway, so stored and sent shapes agree). */
export function dropUndefined<T extends Record<string, unknown>>(value: T): T {
  for (const key of Object.keys(value)) if (value[key] === undefined) delete value[key];
  return value;
}
