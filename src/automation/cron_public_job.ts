// A stored job as it crosses a public boundary (`cron.list`, `cron.get`, events): the reference drops
// the scheduler-only fields its store keeps (receipt ids, catch-up marks, alert incidents, authority).
import type { CronJob } from "../agent/cron_control.ts";

const PRIVATE_JOB_KEYS = [
  "skillLibrarySelections",
  "createdActor",
  "toolsAllowProvenance",
  "toolsAllowExecTarget",
  "toolsAllowExecTargetRequirement",
  "runtimeAuthority",
  "runtimeAuthorityRecoveryRequired",
];

const PRIVATE_STATE_KEYS = [
  "queuedAtMs",
  "runningReceiptId",
  "startupCatchupAtMs",
  "pacedNextRunAtMs",
  "forcePreservedNextRunAtMs",
  "runningScheduleChangeId",
  "failureAlertIncident",
  "lastFailureNotificationId",
];

/** The job without the reference's scheduler-only fields (its `toPublicCronJob`). */
export function toPublicCronJob(job: CronJob): CronJob {
  const open: Record<string, unknown> = { ...job };
  for (const key of PRIVATE_JOB_KEYS) delete open[key];
  const state: Record<string, unknown> = { ...job.state };
  for (const key of PRIVATE_STATE_KEYS) delete state[key];
  return { ...open, state } as unknown as CronJob;
}
