// The `cron` event payloads the scheduler emits, key for key as the reference's cron service sends
// them (`added`/`updated` with the next run, `removed`, `started` with the run's start, `finished`
// with the outcome, `scheduled` when a stored next run moved), and the clock it keeps time with
// (injected so tests can drive it).
import { publicCronJob } from "../agent/cron_views.ts";
import type { CronJob } from "../agent/cron_control.ts";
import type { CronRunResult } from "./cron_runner.ts";
import { dropUndefined, failureNotificationDelivery } from "./cron_outcome.ts";

/** One `cron` event, as the gateway broadcasts it. */
export type CronEvent =
  | { jobId: string; action: "added" | "updated" | "scheduled"; job: CronJob; nextRunAtMs?: number }
  | { jobId: string; action: "removed"; job: CronJob }
  | { jobId: string; action: "started"; job: CronJob; runAtMs: number }
  | ({ jobId: string; action: "finished"; job?: CronJob } & Record<string, unknown>);

/** Where the scheduler's events go (the gateway's hub, a test's array). Must not throw. */
export type CronEventSink = (event: CronEvent) => void;

/** The time source and timer the scheduler uses. */
export interface CronClock {
  now(): number;
  setTimeout(callback: () => void, delayMs: number): number;
  clearTimeout(id: number): void;
}

/** The log lines the scheduler writes (a LogTape logger fits). */
export interface CronLog {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** Wall-clock time and the runtime's timers. */
export const SYSTEM_CLOCK: CronClock = {
  now: () => Date.now(),
  // Deno hands out numeric timer ids; Number() keeps the type honest under the Node typings.
  setTimeout: (callback, delayMs) => Number(setTimeout(callback, delayMs)),
  clearTimeout: (id) => clearTimeout(id),
};

/** A job as callers see it: a copy, so later scheduler changes never leak into what they hold. */
export function publicJob(job: CronJob): CronJob {
  return structuredClone(job);
}

/**
 * A job as a `cron` event carries it to every `operator.read` client: a copy without the creator and
 * authority records and scheduler-only state a job the reference stored keeps (as `cron.get` strips them).
 */
export function eventJob(job: CronJob): CronJob {
  const { open, state } = publicCronJob(structuredClone(job));
  // The same job, fewer members: the protocol's `CronJob` names none of the dropped ones as required.
  return { ...open, state } as unknown as CronJob;
}

/** The `finished` event of a run: the outcome with the job's delivery state and next run. */
export function finishedEvent(
  job: CronJob,
  result: CronRunResult,
  run: { startedAtMs: number; completionStatus: string },
): CronEvent {
  return dropUndefined({
    jobId: job.id,
    action: "finished" as const,
    job: eventJob(job),
    status: result.status,
    completionStatus: run.completionStatus,
    error: result.error,
    summary: result.summary,
    delivered: job.state.lastDelivered,
    deliveryStatus: job.state.lastDeliveryStatus,
    deliveryError: job.state.lastDeliveryError,
    deliverySuppressionReason: job.state.deliverySuppressionReason,
    failureNotificationDelivery: failureNotificationDelivery(job),
    sessionId: result.sessionId,
    sessionKey: result.sessionKey,
    runAtMs: run.startedAtMs,
    durationMs: job.state.lastDurationMs,
    nextRunAtMs: job.state.nextRunAtMs,
    model: result.model,
    provider: result.provider,
    usage: result.usage,
  });
}
