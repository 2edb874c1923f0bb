// The scheduler's persistence, as an interface so the timing logic can be tested without SQLite
// and the store without timers. The implementation keeps jobs and runs where the reference does
// (`state/openclaw.sqlite`: `cron_jobs`, `cron_run_receipts`, ...), so the two share a state dir.
import type { CronJob, CronJobState, CronRunLogEntry, CronRunsQuery } from "../agent/cron_control.ts";
import type { CronScratchState, CronScratchWrite } from "../state/cron_scratch.ts";

/** A run that was still `running` when its gateway stopped (found at the next start). */
export interface InterruptedRun {
  runId: string;
  jobId: string;
  startedAtMs: number;
}

/** Where jobs and their run history live. All calls are synchronous (node:sqlite). */
export interface CronStore {
  /** Every stored job, in the store's order. */
  loadJobs(): CronJob[];
  /** Every stored job, in the store's order, one at a time (no write to the store until the iteration ends). */
  iterateJobs(): Iterable<CronJob>;
  /** One stored job, read afresh; undefined when there is none (or its row does not parse). */
  getJob(jobId: string): CronJob | undefined;
  /** Inserts or replaces a whole job (definition and state). */
  saveJob(job: CronJob): void;
  /** Replaces only a job's state (the scheduler's bookkeeping after a run or a reschedule). */
  saveState(jobId: string, state: CronJobState): void;
  /** Deletes a job, its receipts and scratch. */
  deleteJob(jobId: string): void;
  /** Records that a run started (a `running` receipt); at most one per job. */
  startRun(run: { runId: string; jobId: string; agentId: string; startedAtMs: number }): void;
  /** Records how a run ended; the entry is what `cron.runs` lists. */
  finishRun(runId: string, entry: CronRunLogEntry): void;
  /** Runs left `running` by a gateway that stopped; marks them `interrupted`. */
  takeInterruptedRuns(): InterruptedRun[];
  listRuns(query: CronRunsQuery): { entries: CronRunLogEntry[]; total: number };
  /** Deletes finished runs past the reference's retention (7 days, newest 2000 per job); returns how many. */
  pruneRuns?(nowMs: number): number;
  /** A job's private scratch (cron_scratch.ts); absent: the store keeps none. */
  readScratch?(jobId: string): CronScratchState;
  /** Replaces or clears a job's scratch, guarded by `expectedRevision`. */
  writeScratch?(
    jobId: string,
    write: { content: string | null; expectedRevision?: number | undefined },
  ): CronScratchWrite;
  /** The reference's heartbeat monitor of an agent and its scratch text; undefined without a monitor row. */
  heartbeatMonitor?(agentId: string): { jobId: string; content: string | undefined } | undefined;
}
