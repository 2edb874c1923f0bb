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
import { cronJobConfigRevision } from "./cron_definition_hash.ts";
import { cronJobFromRow, cronJobToRow, cronScheduleIdentity, serializeCronJobState } from "./cron_row_codec.ts";
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
  pruneCronHistory,
  pruneCronHistoryAll,
} from "./cron_run_history.ts";
import { readCronHistory } from "./cron_run_history_read.ts";

/** The reference's words for a run its gateway's stop cut short. */
export const STARTUP_INTERRUPTED_ERROR = "cron: job interrupted by gateway restart";

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
  #self: ProcessIdentity;
  /** Runs this process started and has not finished, by run id (also marks the receipts as ours). */
  #active = new Map<string, ActiveRun>();
  #owned = new Set<string>();

  constructor(db: DatabaseSync, options: SqliteCronStoreOptions) {
    this.#db = db;
    this.#storeKey = cronStoreKey(options.stateDir);
    this.#now = options.now ?? Date.now;
    this.#newId = options.newId ?? (() => crypto.randomUUID());
    this.#self = options.self ?? { pid: Deno.pid, startTime: processStartTime(Deno.pid) };
  }

  /** The partition this store reads and writes. */
  get storeKey(): string {
    return this.#storeKey;
  }

  loadJobs(): CronJob[] {
    const rows = this.#db.prepare(
      "SELECT * FROM cron_jobs WHERE store_key = ? ORDER BY sort_order ASC, updated_at ASC, job_id ASC",
    ).all(this.#storeKey) as Json[];
    return rows.map(cronJobFromRow).filter((job): job is CronJob => job !== undefined);
  }

  saveJob(job: CronJob): void {
    const row = cronJobToRow(this.#storeKey, job);
    immediate(this.#db, () => {
      const existing = this.#db.prepare(
        "SELECT sort_order, job_json, state_json FROM cron_jobs WHERE store_key = ? AND job_id = ?",
      ).get(this.#storeKey, job.id) as { sort_order: number; job_json: string; state_json: string } | undefined;
      const stateJson = existing ? keepReceipt(existing.state_json, row.state_json) : row.state_json;
      const values = [
        row.declaration_key,
        row.owner_agent_id,
        row.name,
        row.description,
        row.enabled,
        row.agent_id,
        row.payload_kind,
        row.job_json,
        row.grant_definition_revision,
        row.grant_definition_updated_at,
        stateJson,
        row.runtime_updated_at_ms,
        row.schedule_identity,
        row.updated_at,
      ];
      if (existing) {
        this.#db.prepare(
          `UPDATE cron_jobs SET declaration_key = ?, owner_agent_id = ?, name = ?, description = ?, enabled = ?,
             agent_id = ?, payload_kind = ?, job_json = ?, grant_definition_revision = ?, grant_definition_updated_at = ?,
             state_json = ?, runtime_updated_at_ms = ?, schedule_identity = ?, updated_at = ?,
             grant_definition_generation = CASE WHEN job_json = ? THEN COALESCE(grant_definition_generation, 1)
               ELSE COALESCE(grant_definition_generation, 0) + 1 END
           WHERE store_key = ? AND job_id = ?`,
        ).run(...values, row.job_json, this.#storeKey, job.id);
        return;
      }
      this.#db.prepare(
        `INSERT INTO cron_jobs (declaration_key, owner_agent_id, name, description, enabled, agent_id, payload_kind,
           job_json, grant_definition_revision, grant_definition_updated_at, state_json, runtime_updated_at_ms,
           schedule_identity, updated_at, store_key, job_id, grant_definition_generation, sort_order)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1,
           (SELECT COALESCE(MAX(sort_order) + 1, 0) FROM cron_jobs WHERE store_key = ?))`,
      ).run(...values, this.#storeKey, job.id, this.#storeKey);
    });
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

  startRun(run: { runId: string; jobId: string; agentId: string; startedAtMs: number }): void {
    immediate(this.#db, () => {
      const current = activeReceipt(this.#db, this.#storeKey, run.jobId);
      if (current) {
        if (!receiptOwnerStale(current, this.#self, this.#owned, this.#now())) {
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
        owner: this.#self,
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
    const run = this.#active.get(runId) ?? this.#findRun(runId);
    if (!run) return;
    immediate(this.#db, () => {
      finishReceipt(this.#db, run.receiptId, {
        status: entry.status ?? "error",
        finishedAtMs: entry.ts,
        error: entry.error,
      });
      pruneTerminalReceipts(this.#db, this.#storeKey, run.jobId);
      const final = { ...entry, jobId: run.jobId };
      if (!finalizeCronTask(this.#db, run.taskRunId, final, this.#storeKey)) {
        const startedAtMs = entry.runAtMs ?? entry.ts;
        insertCronTask(this.#db, {
          taskId: this.#newId(),
          taskRunId: run.taskRunId,
          jobId: run.jobId,
          agentId: "main",
          startedAtMs,
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

  takeInterruptedRuns(): InterruptedRun[] {
    return immediate(this.#db, () => {
      const taken: InterruptedRun[] = [];
      for (const receipt of activeReceipts(this.#db, this.#storeKey)) {
        if (!receiptOwnerStale(receipt, this.#self, this.#owned, this.#now())) continue;
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
    finalizeCronTask(this.#db, taskRunId, {
      ts: now,
      jobId: receipt.job_id,
      action: "finished",
      status: "error",
      completionStatus: "failed",
      error: STARTUP_INTERRUPTED_ERROR,
      delivered: false,
      deliveryStatus: "unknown",
      deliveryError: STARTUP_INTERRUPTED_ERROR,
      runAtMs: startedAtMs,
      durationMs: Math.max(0, now - startedAtMs),
      ...(typeof nextRunAtMs === "number" ? { nextRunAtMs } : {}),
    }, this.#storeKey);
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

function parseState(raw: string): Json {
  try {
    const parsed: unknown = JSON.parse(raw);
    return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed) ? parsed as Json : {};
  } catch {
    return {};
  }
}

/**
 * The new state, keeping the stored `runningReceiptId` while the new state still says the run is
 * going (`runningAtMs`): the scheduler does not know receipt ids, the reference's recovery needs them.
 */
function keepReceipt(storedJson: string, nextJson: string): string {
  const next = parseState(nextJson);
  const receiptId = parseState(storedJson).runningReceiptId;
  if (next.runningAtMs === undefined || receiptId === undefined || next.runningReceiptId !== undefined) return nextJson;
  return JSON.stringify({ ...next, runningReceiptId: receiptId });
}
