// Which jobs are due now, and which were missed while the gateway was down: the reference's
// runnable rules (running jobs never, error backoff honoured, a one-shot that already ran only
// when rescheduled, a cron job whose last run is older than its latest occurrence at start).
import type { CronJob } from "../agent/cron_control.ts";
import {
  type CronExpressions,
  errorBackoffUntilMs,
  parseAbsoluteTimeMs,
  previousStaggeredCronRun,
} from "./cron_schedule.ts";
import { runsHere } from "./cron_foreign.ts";

/** Whether a job's next run is a usable timestamp. */
export function hasNextRun(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value) && value > 0;
}

/** Whether a schedule is time-based (`at`, `every`, `cron`) rather than event-driven. */
export function isTimeScheduled(job: CronJob): boolean {
  return job.schedule.kind === "at" || job.schedule.kind === "every" || job.schedule.kind === "cron";
}

/** The newest run status (`lastRunStatus`, or the older `lastStatus`). */
export function lastRunStatusOf(job: CronJob): "ok" | "error" | "skipped" | undefined {
  return job.state.lastRunStatus ?? job.state.lastStatus;
}

/** How the check is made: at a timer tick (plain) or at start (catch-up rules). */
export interface DueCheck {
  nowMs: number;
  running: boolean;
  expressions: CronExpressions;
  /** Start-up: a one-shot that already ran is due only when rescheduled. */
  skipAtIfAlreadyRan?: boolean;
  /** Start-up: a cron job is due when an occurrence passed since its last run. */
  allowCronMissedRunByLastRun?: boolean;
  /** The start-up catch-up slot given to this job, if any (it runs when that time comes). */
  startupCatchupAtMs?: number | undefined;
}

function errorBackoffPending(job: CronJob, nowMs: number): boolean {
  if (job.schedule.kind === "at" || lastRunStatusOf(job) !== "error") return false;
  const until = errorBackoffUntilMs(job);
  return until !== undefined && nowMs < until;
}

/** Whether a failed or main-session one-shot was given a retry time after its last run. */
function scheduledOneShotRetry(job: CronJob, lastRun: number | undefined, nextRun: number | undefined): boolean {
  if (job.enabled === false || typeof nextRun !== "number" || typeof lastRun !== "number" || nextRun <= lastRun) {
    return false;
  }
  const status = lastRunStatusOf(job);
  if (status === "error") return true;
  return status === "skipped" && job.sessionTarget === "main" && job.wakeMode === "now" &&
    job.state.lastError === "disabled";
}

/** Whether an occurrence of a cron job passed after its last run (and after its schedule was set). */
export function missedCronSlotSinceLastRun(job: CronJob, nowMs: number, expressions: CronExpressions): boolean {
  const lastRunAtMs = job.state.lastRunAtMs;
  if (typeof lastRunAtMs !== "number" || !Number.isFinite(lastRunAtMs)) return false;
  const previous = previousStaggeredCronRun(job, nowMs, expressions);
  if (previous === undefined || previous <= lastRunAtMs) return false;
  const activatedAtMs = job.state.scheduleActivatedAtMs;
  return typeof activatedAtMs !== "number" || previous > activatedAtMs;
}

/** Whether `job` should run at `check.nowMs`. */
export function isRunnable(job: CronJob, check: DueCheck): boolean {
  const { nowMs } = check;
  if (job.enabled === false || !isTimeScheduled(job) || check.running) return false;
  const next = job.state.nextRunAtMs;
  if (hasNextRun(next) && nowMs < next && (!check.allowCronMissedRunByLastRun || check.startupCatchupAtMs === next)) {
    return false;
  }
  // After the cheap time check: a timer tick looks at every job, and most are not due.
  if (!runsHere(job)) return false;
  const status = lastRunStatusOf(job);
  if (check.skipAtIfAlreadyRan && job.schedule.kind === "at" && status) {
    if (hasNextRun(next) && check.startupCatchupAtMs === next) return nowMs >= next;
    const lastRun = job.state.lastRunAtMs;
    if (
      typeof lastRun === "number" && typeof next === "number" && next > lastRun &&
      parseAbsoluteTimeMs(job.schedule.at) === next
    ) return nowMs >= next;
    if (scheduledOneShotRetry(job, lastRun, next)) return typeof next === "number" && nowMs >= next;
    return false;
  }
  if (errorBackoffPending(job, nowMs)) return false;
  if (hasNextRun(next) && nowMs >= next) {
    const lastRunAtMs = job.state.lastRunAtMs;
    const ranThisSlot = check.allowCronMissedRunByLastRun && job.schedule.kind === "cron" &&
      (status === "ok" || status === "skipped") && typeof lastRunAtMs === "number" && lastRunAtMs >= next;
    if (!ranThisSlot) return true;
    const latest = previousStaggeredCronRun(job, nowMs, check.expressions);
    return latest !== undefined && latest > lastRunAtMs!;
  }
  if (!check.allowCronMissedRunByLastRun || job.schedule.kind !== "cron") return false;
  return missedCronSlotSinceLastRun(job, nowMs, check.expressions);
}

/** Whether a missed job waits for the agent (deferred past start-up rather than replayed at once). */
export function waitsForAgent(job: CronJob): boolean {
  return job.payload.kind === "agentTurn" || job.payload.kind === "heartbeat" ||
    (job.sessionTarget === "main" && job.payload.kind === "systemEvent" && job.wakeMode === "now");
}

/** The earliest next run of an enabled, time-scheduled job this gateway runs (those `skip` names left out), as the timer and `status` use it. */
export function nextWakeAtMs(jobs: Iterable<CronJob>, skip?: (jobId: string) => boolean): number | undefined {
  let next: number | undefined;
  for (const job of jobs) {
    if (job.enabled === false || !isTimeScheduled(job) || !hasNextRun(job.state.nextRunAtMs)) continue;
    if (next !== undefined && job.state.nextRunAtMs >= next) continue;
    if (skip?.(job.id) || !runsHere(job)) continue;
    next = job.state.nextRunAtMs;
  }
  return next;
}
