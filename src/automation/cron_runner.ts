// The seam between the scheduler (when) and the run (what): the scheduler decides a job is due
// and calls a CronJobRunner; the runner does the job's payload and delivery and reports back.
import type { CronDeliveryStatus, CronJob, CronRunLogEntry, CronRunStatus } from "../agent/cron_control.ts";

/** Why a run was started. */
export type CronTrigger = "schedule" | "manual" | "catch-up" | "retry";

/** How one run of a job ended, as the runner reports it (the scheduler adds times and state). */
export interface CronRunResult {
  status: CronRunStatus;
  /** What went wrong, in words an operator can act on; set when status is `error` (or why `skipped`). */
  error?: string | undefined;
  /** The error's class in the reference's words (`format`, `auth`, `rate_limit`, ...), when known (`state.lastErrorReason`). */
  errorReason?: CronRunLogEntry["errorReason"] | undefined;
  /** A short text of what the run produced (the answer's start). */
  summary?: string | undefined;
  sessionId?: string | undefined;
  sessionKey?: string | undefined;
  provider?: string | undefined;
  model?: string | undefined;
  usage?: { input_tokens?: number; output_tokens?: number; total_tokens?: number } | undefined;
  delivered?: boolean | undefined;
  deliveryStatus?: CronDeliveryStatus | undefined;
  deliveryError?: string | undefined;
  /** Why an answer was not sent though delivery was asked (`silent`: NO_REPLY, `empty`: no text). */
  deliverySuppressionReason?: string | undefined;
  /** An announce's delivery trace, as the run history keeps it (cron_delivery_trace.ts). */
  delivery?: CronRunLogEntry["delivery"] | undefined;
  /** A failure alert went out at this time (store it as `state.lastFailureAlertAtMs`); null: a recovery cleared it. */
  failureAlertAtMs?: number | null | undefined;
  /** How the failure alert or recovery notice sent by this run went (`state.lastFailureNotification*`). */
  failureNotification?: { delivered?: boolean; status: CronDeliveryStatus; error?: string } | undefined;
}

/** Runs one job once. It never throws: a failure is `{status: "error", error}`. */
export type CronJobRunner = (
  job: CronJob,
  context: { runId: string; trigger: CronTrigger; signal: AbortSignal },
) => Promise<CronRunResult>;
