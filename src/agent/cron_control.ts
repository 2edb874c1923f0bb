// What the scheduler offers the rest of the gateway (the `cron.*` methods, `openclaw cron`, the
// agent's `cron` tool). It lives beside the tools because the `cron` tool is one of them and the
// agent layer may not import `automation/`; the scheduler in `automation/` implements it.
import type { CronJob, CronRunLogEntry } from "@openclaw/gateway-protocol";
import type { CronScratchState, CronScratchWrite } from "../state/cron_scratch.ts";

export type { CronJob, CronRunLogEntry };

/** When a job fires: once (`at`), on an interval (`every`) or on a cron expression (`cron`, with `tz`). */
export type CronSchedule = CronJob["schedule"];
/** What a job does when it fires (`systemEvent` into the main session, `agentTurn` in its own). */
export type CronPayload = CronJob["payload"];
/** Where a job's answer goes (`none`, `announce` to a channel target, `webhook`). */
export type CronDelivery = NonNullable<CronJob["delivery"]>;
/** The scheduler's bookkeeping of one job (next run, last status, errors). */
export type CronJobState = CronJob["state"];
/** How one run ended. */
export type CronRunStatus = "ok" | "error" | "skipped";
/** Whether a run's answer reached its target. */
export type CronDeliveryStatus = "delivered" | "not-delivered" | "unknown" | "not-requested";

/** A job as callers create it: everything but what the scheduler assigns (id, times, state). */
export type CronJobDraft = Omit<CronJob, "id" | "createdAtMs" | "updatedAtMs" | "state">;

/** What `cron.status` reports of the scheduler itself (paths are the caller's to add). */
export interface CronSchedulerStatus {
  /** `cron.enabled`: whether stored jobs run. */
  enabled: boolean;
  jobs: number;
  /** When the scheduler's timer fires next; null with nothing due. */
  nextWakeAtMs: number | null;
  /** Runs in progress now. */
  running: number;
}

/** Which runs `runs` returns (newest first unless `sortDir` is `asc`). */
export interface CronRunsQuery {
  /** One job's runs; absent: every job's. */
  jobId?: string | undefined;
  limit: number;
  offset: number;
  statuses?: readonly CronRunStatus[] | undefined;
  deliveryStatuses?: readonly CronDeliveryStatus[] | undefined;
  /** Text matched against the job name, summary and error. */
  query?: string | undefined;
  sortDir?: "asc" | "desc" | undefined;
}

/** How `run` ended: the run was started (with its id), or why it was not. */
export type CronRunStart =
  | { ran: true; runId: string; done: Promise<CronRunLogEntry> }
  | { ran: false; reason: "not-due" | "disabled" | "already-running" | "scheduler-disabled" };

/** A job id that names no job (the reference's words: `cron job not found: <id>`). */
export class CronJobNotFoundError extends Error {
  /** The id that was asked for. */
  readonly jobId: string;
  constructor(jobId: string) {
    super(`cron job not found: ${jobId}`);
    this.name = "CronJobNotFoundError";
    this.jobId = jobId;
  }
}

/** The scheduler as callers use it; inputs are already normalized and validated by the caller. */
export interface CronControl {
  status(): CronSchedulerStatus;
  /** Every job, in the store's order (paging and filters are the caller's). */
  list(): readonly CronJob[];
  get(id: string): CronJob | undefined;
  /** Stores a new job, computes its next run and arms the timer. */
  add(draft: CronJobDraft): CronJob;
  /** Replaces a job with `apply(current)`; a changed schedule or `enabled` recomputes its next run. Throws CronJobNotFoundError. */
  update(id: string, apply: (current: CronJob) => CronJob): CronJob;
  /** Removes a job and its pending run; false when there was none. */
  remove(id: string): boolean;
  /** Runs a job now: `force` always, `due` only when due, `if-enabled` when enabled. Throws CronJobNotFoundError. */
  run(id: string, mode: "due" | "force" | "if-enabled"): CronRunStart;
  runs(query: CronRunsQuery): { entries: CronRunLogEntry[]; total: number };
  /** Resolves once `add` can store a job (a scheduler left unloaded while there were no jobs loads now). */
  ready?(): Promise<void>;
  /** A job's private scratch (`cron.scratch.get`); absent: the store keeps none. */
  readScratch?(jobId: string): CronScratchState;
  /** Replaces or clears a job's scratch, guarded by `expectedRevision` (`cron.scratch.set`). */
  writeScratch?(
    jobId: string,
    write: { content: string | null; expectedRevision?: number | undefined },
  ): CronScratchWrite;
}

/**
 * Removes the jobs bound to a deleted agent (`agentId` naming it), as the reference's agent deletion does;
 * jobs naming no agent run on the default one and stay. Answers how many went; none without a scheduler.
 */
export function removeAgentCronJobs(control: CronControl | undefined, agentId: string): number {
  if (!control) return 0;
  return control.list().filter((job) => cronJobOfAgent(job, agentId) && control.remove(job.id)).length;
}

/** Whether a job is bound to `agentId` (its own `agentId`; a job naming none runs on the default agent). */
export function cronJobOfAgent(job: CronJob, agentId: string): boolean {
  return typeof job.agentId === "string" && job.agentId.trim().toLowerCase() === agentId;
}
