// Jobs this gateway lists but never schedules: on a state dir shared with the reference, its own
// plugins keep managed jobs there (the `heartbeat` payload of `heartbeat:<agent>`, memory-core's
// dreaming promotion, the skill collection review, claw monitors, scheduled backups). Running them
// here would run the reference's work with our runtime, and writing their state or run history
// would overwrite rows the reference reads; so their rows are left exactly as the reference wrote them.
import type { CronJob } from "../agent/cron_control.ts";

/** The payload kinds this gateway's runner runs. */
const RUNNABLE_PAYLOAD_KINDS: ReadonlySet<string> = new Set(["systemEvent", "agentTurn"]);

/** `declarationKey` prefixes the reference's own plugins give the jobs they manage (its dist, 2026.9.6). */
const REFERENCE_MANAGED_PREFIXES = [
  "heartbeat:",
  "heartbeat-task:",
  "memory-core:",
  "skill-collection-review:",
  "claw:",
] as const;

/** Whole `declarationKey`s of reference-managed jobs. */
const REFERENCE_MANAGED_KEYS: ReadonlySet<string> = new Set(["openclaw-backup-scheduled"]);

/** Why a job is not ours to run, or undefined when it is. */
export function foreignJobReason(job: CronJob): string | undefined {
  const kind: unknown = job.payload?.kind;
  if (typeof kind !== "string" || !RUNNABLE_PAYLOAD_KINDS.has(kind)) {
    return `its payload kind "${String(kind)}" is run only by the gateway that created it`;
  }
  const key = job.declarationKey;
  if (
    typeof key === "string" &&
    (REFERENCE_MANAGED_KEYS.has(key) || REFERENCE_MANAGED_PREFIXES.some((p) => key.startsWith(p)))
  ) {
    return `it is managed by an OpenClaw plugin (declarationKey "${key}") and runs in the gateway that owns that plugin`;
  }
  return undefined;
}

/** Whether this gateway schedules and runs `job` (false for the reference's managed jobs). */
export function runsHere(job: CronJob): boolean {
  return foreignJobReason(job) === undefined;
}

/** `cron.run` of a job this gateway does not run (it is listed, never run or rewritten here). */
export class CronJobNotRunnableHereError extends Error {
  /** The job that was asked for. */
  readonly jobId: string;
  constructor(jobId: string, reason: string) {
    super(
      `cron job ${jobId} was not run: ${reason}; this gateway lists it but leaves it untouched ` +
        "(run it from that gateway, or remove it with `openclaw cron rm` if it is no longer wanted)",
    );
    this.name = "CronJobNotRunnableHereError";
    this.jobId = jobId;
  }
}
