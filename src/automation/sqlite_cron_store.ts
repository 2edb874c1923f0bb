// The CronStore on the shared state database (`state/openclaw.sqlite`), written as the reference
// OpenClaw 2026.9.6 writes it, so either gateway lists and runs the jobs the other stored: jobs in
// `cron_jobs` (partition `store_key` = the resolved `<stateDir>/cron/jobs.json`), the one-run-per-job
// fence in `cron_run_receipts`, run history in `task_runs` (cron_run_history.ts).
import type { DatabaseSync } from "node:sqlite";
import { resolve } from "node:path";
import {
  type CronJob,
  CronJobNotFoundError,
  type CronJobState,
  type CronRunLogEntry,
  type CronRunsQuery,
} from "../agent/cron_control.ts";
import { immediate } from "../state/immediate.ts";
import type { CronStore, InterruptedRun } from "./cron_store.ts";
import { configRevision as cronJobConfigRevision } from "../agent/cron_views.ts";
import { cronJobFromRow, cronScheduleIdentity, internJobStrings, serializeCronJobState } from "./cron_row_codec.ts";
import { keepReceipt, parseState, writeCronJob } from "./cron_job_write.ts";
import {
  activeReceipt,
  activeReceipts,
  finishReceipt,
  insertReceipt,
  OWNER_UNAVAILABLE_ERROR,
  type ProcessIdentity,
  processStartTime,
  pruneTerminalReceipts,
  receiptOwnerStale,
  type ReceiptRow,
} from "./cron_receipts.ts";
import {
  cronTaskRunId,
  finalizeCronTask,
  insertCronTask,
  interruptedEntry,
  pruneCronHistory,
  pruneCronHistoryAll,
} from "./cron_run_history.ts";
export { STARTUP_INTERRUPTED_ERROR } from "./cron_run_history.ts";
import { readCronHistory } from "./cron_run_history_read.ts";
import {
  archiveLegacyCronFiles,
  importLegacyCronStore,
  legacyImportNote,
  type LegacyImportReport,
} from "./cron_legacy_import.ts";
import { getLogger } from "../log/logger.ts";
import { readCronScratch, readHeartbeatMonitor, writeCronScratch } from "../state/cron_scratch.ts";
import type { CronScratchState, CronScratchWrite } from "../state/cron_scratch.ts";

/** Page-cache pages the start-up load may keep (a sequential pass; see {@link SqliteCronStore.iterateJobs}). */
const LOAD_CACHE_PAGES = 16;

/** The columns a job is read from (see cronJobFromRow). */
const JOB_COLUMNS = "job_id, job_json, state_json, runtime_updated_at_ms, updated_at";

/** The store partition of a state dir: the path the reference's retired `cron.store` file had, resolved. */
export function cronStoreKey(stateDir: string): string {
  return resolve(stateDir, "cron", "jobs.json");
}

/** A second run of a job whose run is still going (the reference's words). */
export class CronRunConflictError extends Error {
  /** The job that is running. */
  readonly jobId: string;
  constructor(jobId: string, ownerPid: number) {
    super(`cron job ${jobId} is already running in process ${ownerPid}`);
    this.name = "CronRunConflictError";
    this.jobId = jobId;
  }
}

/** What the store needs besides the database; the defaults are the real clock, ids and process. */
export interface SqliteCronStoreOptions {
  /** The state dir whose `cron/jobs.json` names the partition (see {@link cronStoreKey}). */
  stateDir: string;
  now?: () => number;
  newId?: () => string;
  self?: ProcessIdentity;
}

interface ActiveRun {
  receiptId: string;
  taskRunId: string;
  jobId: string;
}

type Json = Record<string, unknown>;

/** {@link CronStore} on the gateway's one state-database connection (synchronous, node:sqlite). */
export class SqliteCronStore implements CronStore {
  #db: DatabaseSync;
  #storeKey: string;
  #now: () => number;
  #newId: () => string;
  /** This process as receipts name it; its start time is read on first need (it may cost a `cat`). */
  #self: ProcessIdentity | undefined;
  /** Runs this process started and has not finished, by run id (also marks the receipts as ours). */
  #active = new Map<string, ActiveRun>();
  #owned = new Set<string>();
  #legacyChecked = false;
  #log = getLogger("cron");

  constructor(db: DatabaseSync, options: SqliteCronStoreOptions) {
    this.#db = db;
    this.#storeKey = cronStoreKey(options.stateDir);
    this.#now = options.now ?? Date.now;
    this.#newId = options.newId ?? (() => crypto.randomUUID());
    this.#self = options.self;
  }

  #identity(): ProcessIdentity {
    this.#self ??= { pid: Deno.pid, startTime: processStartTime(Deno.pid) };
    return this.#self;
  }

  /** The partition this store reads and writes. */
  get storeKey(): string {
    return this.#storeKey;
  }

  /** Every stored job; the first call imports the legacy JSON store first, as the reference's gateway does at start. */
  loadJobs(): CronJob[] {
    const jobs: CronJob[] = [];
    // The jobs share their equal short strings (kinds, modes, zones) instead of one parsed copy each.
    const strings = new Map<string, string>();
    for (const job of this.iterateJobs()) jobs.push(internJobStrings(job, strings));
    return jobs;
  }

  /** Every stored job, parsed row by row; the first call imports the legacy JSON store first. */
  *iterateJobs(): Generator<CronJob, void, undefined> {
    if (!this.#legacyChecked) {
      this.#legacyChecked = true;
      this.#importLegacyLogged();
    }
    // Row by row (an iterator, not `.all()`): the rows' JSON text is garbage as soon as its job is
    // parsed, so 10,000 jobs never hold all their text at once (V8 keeps the heap's high-water).
    const rows = this.#db.prepare(
      `SELECT ${JOB_COLUMNS} FROM cron_jobs WHERE store_key = ? ORDER BY sort_order ASC, updated_at ASC, job_id ASC`,
    ).iterate(this.#storeKey) as IterableIterator<Json>;
    // One pass over the whole table: its pages need not stay in the shared connection's page cache
    // afterwards (10,000 jobs are ~10 MB of pages; the cache would keep its 2 MB of them for good).
    const cacheSize = this.#db.prepare("PRAGMA cache_size").get() as { cache_size: number } | undefined;
    this.#db.exec(`PRAGMA cache_size = ${LOAD_CACHE_PAGES}`);
    try {
      for (const row of rows) {
        const job = cronJobFromRow(row);
        if (job) yield job;
      }
    } finally {
      if (cacheSize) this.#db.exec(`PRAGMA cache_size = ${Number(cacheSize.cache_size)}`);
    }
  }

  getJob(jobId: string): CronJob | undefined {
    const row = this.#db.prepare(`SELECT ${JOB_COLUMNS} FROM cron_jobs WHERE store_key = ? AND job_id = ?`)
      .get(this.#storeKey, jobId) as Json | undefined;
    return row ? cronJobFromRow(row) : undefined;
  }

  saveJob(job: CronJob): void {
    immediate(this.#db, () => writeCronJob(this.#db, this.#storeKey, job));
  }

  saveState(jobId: string, state: CronJobState): void {
    immediate(this.#db, () => {
      const row = this.#db.prepare(
        "SELECT job_json, enabled, state_json FROM cron_jobs WHERE store_key = ? AND job_id = ?",
      )
        .get(this.#storeKey, jobId) as { job_json: string; enabled: number; state_json: string } | undefined;
      if (!row) return;
      let identity: string | null = null;
      try {
        identity = cronScheduleIdentity({ ...JSON.parse(row.job_json), enabled: Number(row.enabled) === 1 });
      } catch {
        identity = null;
      }
      this.#db.prepare("UPDATE cron_jobs SET state_json = ?, schedule_identity = ? WHERE store_key = ? AND job_id = ?")
        .run(keepReceipt(row.state_json, serializeCronJobState(state)), identity, this.#storeKey, jobId);
    });
  }

  deleteJob(jobId: string): void {
    immediate(this.#db, () => {
      const grants = this.#db.prepare(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'operator_approval_standing_grants'",
      ).get();
      if (grants) {
        this.#db.prepare(
          "UPDATE operator_approval_standing_grants SET revoked_at_ms = ?, revoked_by = 'cron-job-deleted' " +
            "WHERE cron_job_id = ? AND revoked_at_ms IS NULL",
        ).run(this.#now(), jobId);
      }
      for (const table of ["cron_job_scratch", "cron_run_receipts", "cron_jobs"]) {
        this.#db.prepare(`DELETE FROM ${table} WHERE store_key = ? AND job_id = ?`).run(this.#storeKey, jobId);
      }
    });
  }

  /** A job's private scratch in this store's partition. */
  readScratch(jobId: string): CronScratchState {
    return readCronScratch(this.#db, this.#storeKey, jobId);
  }

  /** Replaces or clears a job's scratch under its revision guard. */
  writeScratch(
    jobId: string,
    write: { content: string | null; expectedRevision?: number | undefined },
  ): CronScratchWrite {
    return writeCronScratch(this.#db, this.#storeKey, { jobId, ...write, nowMs: this.#now() });
  }

  /** The reference's heartbeat monitor row of an agent and its scratch text. */
  heartbeatMonitor(agentId: string): { jobId: string; content: string | undefined } | undefined {
    return readHeartbeatMonitor(this.#db, this.#storeKey, agentId);
  }

  startRun(run: { runId: string; jobId: string; agentId: string; startedAtMs: number }): void {
    immediate(this.#db, () => {
      const current = activeReceipt(this.#db, this.#storeKey, run.jobId);
      if (current) {
        if (!receiptOwnerStale(current, this.#identity(), this.#owned, this.#now())) {
          throw new CronRunConflictError(run.jobId, Number(current.owner_pid));
        }
        this.#interrupt(current, OWNER_UNAVAILABLE_ERROR);
      }
      const row = this.#db.prepare("SELECT * FROM cron_jobs WHERE store_key = ? AND job_id = ?")
        .get(this.#storeKey, run.jobId) as Json | undefined;
      const job = row ? cronJobFromRow(row) : undefined;
      if (!row || !job) throw new CronJobNotFoundError(run.jobId);
      pruneTerminalReceipts(this.#db, this.#storeKey, run.jobId);
      const receiptId = this.#newId();
      insertReceipt(this.#db, {
        receiptId,
        storeKey: this.#storeKey,
        jobId: run.jobId,
        configRevision: cronJobConfigRevision(job),
        agentId: run.agentId,
        requestRunId: run.runId,
        owner: this.#identity(),
        startedAtMs: run.startedAtMs,
      });
      const taskRunId = cronTaskRunId(run.jobId, run.startedAtMs, receiptId, run.runId);
      insertCronTask(this.#db, {
        taskId: this.#newId(),
        taskRunId,
        jobId: run.jobId,
        jobName: job.name,
        agentId: run.agentId,
        startedAtMs: run.startedAtMs,
        storeKey: this.#storeKey,
      });
      const state = {
        ...JSON.parse(String(row.state_json)),
        runningAtMs: run.startedAtMs,
        runningReceiptId: receiptId,
      };
      this.#db.prepare("UPDATE cron_jobs SET state_json = ? WHERE store_key = ? AND job_id = ?")
        .run(JSON.stringify(state), this.#storeKey, run.jobId);
      this.#active.set(run.runId, { receiptId, taskRunId, jobId: run.jobId });
      this.#owned.add(receiptId);
    });
  }

  finishRun(runId: string, entry: CronRunLogEntry): void {
    // A run this store never started (no receipt) still gets its history row, as the reference records
    // terminal-only outcomes: the entry is never dropped.
    const run = this.#active.get(runId) ?? this.#findRun(runId) ?? {
      receiptId: this.#newId(),
      taskRunId: "",
      jobId: entry.jobId,
    };
    if (!run.taskRunId) run.taskRunId = cronTaskRunId(entry.jobId, entry.runAtMs ?? entry.ts, run.receiptId, runId);
    immediate(this.#db, () => {
      finishReceipt(this.#db, run.receiptId, {
        status: entry.status ?? "error",
        finishedAtMs: entry.ts,
        error: entry.error,
      });
      pruneTerminalReceipts(this.#db, this.#storeKey, run.jobId);
      const final = { ...entry, jobId: run.jobId };
      if (!finalizeCronTask(this.#db, run.taskRunId, final, this.#storeKey)) {
        const job = this.#db.prepare("SELECT name, agent_id FROM cron_jobs WHERE store_key = ? AND job_id = ?")
          .get(this.#storeKey, run.jobId) as { name: string; agent_id: string | null } | undefined;
        insertCronTask(this.#db, {
          taskId: this.#newId(),
          taskRunId: run.taskRunId,
          jobId: run.jobId,
          ...(job ? { jobName: job.name } : {}),
          agentId: job?.agent_id ?? "main",
          startedAtMs: entry.runAtMs ?? entry.ts,
          storeKey: this.#storeKey,
        });
        finalizeCronTask(this.#db, run.taskRunId, final, this.#storeKey);
      }
      pruneCronHistory(this.#db, run.jobId, this.#now());
      this.#clearReceipt(run.jobId, run.receiptId);
    });
    this.#active.delete(runId);
    this.#owned.delete(run.receiptId);
  }

  /** Also sweeps every job's history past retention (jobs that no longer run are pruned here, at start). */
  takeInterruptedRuns(): InterruptedRun[] {
    return immediate(this.#db, () => {
      pruneCronHistoryAll(this.#db, this.#now());
      const taken: InterruptedRun[] = [];
      for (const receipt of activeReceipts(this.#db, this.#storeKey)) {
        if (!receiptOwnerStale(receipt, this.#identity(), this.#owned, this.#now())) continue;
        taken.push(this.#interrupt(receipt, OWNER_UNAVAILABLE_ERROR));
      }
      return taken;
    });
  }

  listRuns(query: CronRunsQuery): { entries: CronRunLogEntry[]; total: number } {
    const names = this.#db.prepare("SELECT job_id, name FROM cron_jobs WHERE store_key = ?").all(this.#storeKey) as {
      job_id: string;
      name: string;
    }[];
    return readCronHistory(this.#db, this.#storeKey, query, new Map(names.map((r) => [r.job_id, r.name])));
  }

  /**
   * Imports the reference's legacy JSON store of this partition (`cron/jobs.json`, `jobs-state.json`,
   * `runs/*.jsonl`) as its gateway does at start, then renames the files `*.migrated`. The first
   * {@link loadJobs} calls it; a few `stat`s when there is nothing to import.
   */
  importLegacy(): LegacyImportReport {
    const report = immediate(this.#db, () => importLegacyCronStore(this.#db, this.#storeKey, this.#now()));
    archiveLegacyCronFiles(this.#db, report);
    return report;
  }

  #importLegacyLogged(): void {
    try {
      const report = this.importLegacy();
      const note = legacyImportNote(report, this.#storeKey);
      if (note) this.#log.info(note);
      for (const warning of report.warnings) this.#log.warn(`cron: ${warning}`);
    } catch (error) {
      this.#log.warn(`cron: failed importing the legacy cron store at ${this.#storeKey}: ${String(error)}`);
    }
  }

  /** Deletes finished runs of every job past the reference's retention (7 days; 2000 per job); returns how many. */
  pruneRuns(nowMs: number): number {
    return pruneCronHistoryAll(this.#db, nowMs);
  }

  /**
   * Ends a running receipt whose owner is gone (inside the caller's transaction): the receipt becomes
   * `interrupted`, the run's history row records the reference's restart error, the job's state loses
   * the receipt. Later finishRun calls for the run rewrite that history row.
   */
  #interrupt(receipt: ReceiptRow, receiptError: string): InterruptedRun {
    const now = this.#now();
    const startedAtMs = Number(receipt.started_at_ms);
    const runId = receipt.request_run_id ?? undefined;
    const taskRunId = cronTaskRunId(receipt.job_id, startedAtMs, receipt.receipt_id, runId);
    finishReceipt(this.#db, receipt.receipt_id, { status: "interrupted", finishedAtMs: now, error: receiptError });
    const stateRow = this.#db.prepare("SELECT state_json FROM cron_jobs WHERE store_key = ? AND job_id = ?")
      .get(this.#storeKey, receipt.job_id) as { state_json: string } | undefined;
    const nextRunAtMs = stateRow ? parseState(stateRow.state_json).nextRunAtMs : undefined;
    finalizeCronTask(
      this.#db,
      taskRunId,
      interruptedEntry(receipt.job_id, startedAtMs, now, nextRunAtMs),
      this.#storeKey,
    );
    this.#clearReceipt(receipt.job_id, receipt.receipt_id);
    const publicId = runId ?? taskRunId;
    this.#active.set(publicId, { receiptId: receipt.receipt_id, taskRunId, jobId: receipt.job_id });
    return { runId: publicId, jobId: receipt.job_id, startedAtMs };
  }

  /** A run another process (or an earlier life of this one) started, found by its public run id. */
  #findRun(runId: string): ActiveRun | undefined {
    const row = this.#db.prepare(
      "SELECT receipt_id, job_id, started_at_ms FROM cron_run_receipts WHERE store_key = ? AND request_run_id = ? " +
        "ORDER BY started_at_ms DESC LIMIT 1",
    ).get(this.#storeKey, runId) as { receipt_id: string; job_id: string; started_at_ms: number } | undefined;
    if (!row) return undefined;
    const taskRunId = cronTaskRunId(row.job_id, Number(row.started_at_ms), row.receipt_id, runId);
    return { receiptId: row.receipt_id, taskRunId, jobId: row.job_id };
  }

  /** Drops `runningReceiptId` from a job's state when it names this receipt (the run is over). */
  #clearReceipt(jobId: string, receiptId: string): void {
    const row = this.#db.prepare("SELECT state_json FROM cron_jobs WHERE store_key = ? AND job_id = ?")
      .get(this.#storeKey, jobId) as { state_json: string } | undefined;
    if (!row) return;
    const state = parseState(row.state_json);
    if (state.runningReceiptId !== receiptId) return;
    delete state.runningReceiptId;
    this.#db.prepare("UPDATE cron_jobs SET state_json = ? WHERE store_key = ? AND job_id = ?")
      .run(JSON.stringify(state), this.#storeKey, jobId);
  }
}
