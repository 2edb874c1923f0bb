// Cron run history where the reference 2026.9.6 keeps it: one `task_runs` row per run (runtime
// `cron`, source_id = job id), created `running` when the run starts and finalized with the run's
// outcome in `detail_json` (`kind: "cron-run"`). `cron.runs` is these rows read back as
// `CronRunLogEntry`s; retention is the reference's: 7 days after the end, newest 2000 per job.
import type { DatabaseSync } from "node:sqlite";
import type { CronRunLogEntry } from "../agent/cron_control.ts";
import { TASK_RETENTION_MS } from "../state/task_runs.ts";

/** `detail_json.kind` of a finished cron run (rows without it are not history). */
export const CRON_TASK_DETAIL_KIND = "cron-run";
/** Newest finished runs kept per job (the reference's CRON_HISTORY_KEEP_PER_JOB). */
export const CRON_HISTORY_KEEP_PER_JOB = 2000;
/** The watchdog errors the reference records as a `timed_out` task. */
const TIMEOUT_ERRORS = [
  "cron: job execution timed out",
  "cron: isolated agent setup timed out before runner start",
  "cron: isolated agent run stalled before execution start",
];

type Json = Record<string, unknown>;

/** When a finished row may go: its cleanup time, or (imported rows have none yet) its end + 7 days, as the reference stamps it. */
const CLEANUP_AT = `COALESCE(cleanup_after, COALESCE(ended_at, last_event_at, created_at) + ${TASK_RETENTION_MS})`;

/** The task row's `run_id`: `cron:<job>:<start>:<receipt>` plus `:<public run id>` when there is one. */
export function cronTaskRunId(jobId: string, startedAtMs: number, receiptId: string, runId?: string): string {
  return `cron:${jobId}:${startedAtMs}:${receiptId}${runId && runId !== receiptId ? `:${runId}` : ""}`;
}

/** Records a started run as a `running` cron task, as the reference does before the payload runs. */
export function insertCronTask(
  db: DatabaseSync,
  task: {
    taskId: string;
    taskRunId: string;
    jobId: string;
    jobName?: string;
    agentId: string;
    startedAtMs: number;
    storeKey: string;
  },
): void {
  db.prepare(
    `INSERT INTO task_runs (task_id, runtime, task_kind, source_id, requester_session_key, owner_key, scope_kind,
       agent_id, run_id, label, task, status, delivery_status, notify_policy, created_at, started_at, last_event_at,
       progress_summary, detail_json)
     VALUES (?, 'cron', 'automation_run', ?, '', '', 'system', ?, ?, ?, ?, 'running', 'not_applicable', 'silent', ?, ?, ?,
       'Running automation.', ?)`,
  ).run(
    task.taskId,
    task.jobId,
    task.agentId,
    task.taskRunId,
    task.jobName || null,
    task.jobName || task.jobId,
    task.startedAtMs,
    task.startedAtMs,
    task.startedAtMs,
    JSON.stringify({ storeKey: task.storeKey }),
  );
}

/** The reference's words for a run its gateway's stop cut short. */
export const STARTUP_INTERRUPTED_ERROR = "cron: job interrupted by gateway restart";

/** The history entry the reference records for a run whose gateway stopped under it. */
export function interruptedEntry(
  jobId: string,
  startedAtMs: number,
  nowMs: number,
  nextRunAtMs: unknown,
): CronRunLogEntry {
  return {
    ts: nowMs,
    jobId,
    action: "finished",
    status: "error",
    completionStatus: "failed",
    error: STARTUP_INTERRUPTED_ERROR,
    delivered: false,
    deliveryStatus: "unknown",
    deliveryError: STARTUP_INTERRUPTED_ERROR,
    runAtMs: startedAtMs,
    durationMs: Math.max(0, nowMs - startedAtMs),
    ...(typeof nextRunAtMs === "number" ? { nextRunAtMs } : {}),
  };
}

/** `ok` with its delivery settled → succeeded; timeouts → timed_out; everything else failed. */
function taskStatusOf(entry: CronRunLogEntry): string {
  if (entry.status === "ok") return completionOf(entry) === "succeeded" ? "succeeded" : "failed";
  const error = entry.error;
  const timedOut = typeof error === "string" && TIMEOUT_ERRORS.some((t) => error === t || error.startsWith(`${t} `));
  return entry.status === "error" && timedOut ? "timed_out" : "failed";
}

/** The reference's completion status when the entry does not carry one. */
function completionOf(entry: CronRunLogEntry): "succeeded" | "failed" | "unknown" {
  if (entry.completionStatus) return entry.completionStatus;
  if (entry.status === "error" || entry.status === "skipped") return "failed";
  if (entry.status !== "ok") return "unknown";
  const settled = entry.delivered === true || entry.deliveryStatus === "delivered" ||
    entry.deliveryStatus === "not-requested";
  return settled ? "succeeded" : "unknown";
}

/** `detail_json` of a finished run, key for key as the reference writes it. */
function detailOf(entry: CronRunLogEntry, storeKey: string): Json {
  return JSON.parse(JSON.stringify({
    kind: CRON_TASK_DETAIL_KIND,
    status: entry.status,
    completionStatus: completionOf(entry),
    error: entry.error ?? null,
    summary: entry.summary ?? null,
    storeKey,
    errorReason: entry.errorReason,
    diagnostics: entry.diagnostics,
    delivered: entry.delivered,
    deliveryStatus: entry.deliveryStatus,
    deliveryError: entry.deliveryError,
    deliverySuppressionReason: entry.deliverySuppressionReason,
    failureNotificationDelivery: entry.failureNotificationDelivery,
    delivery: entry.delivery,
    sessionId: entry.sessionId,
    runId: entry.runId,
    runAtMs: entry.runAtMs,
    durationMs: entry.durationMs,
    nextRunAtMs: entry.nextRunAtMs,
    triggerFired: entry.triggerFired,
    model: entry.model,
    provider: entry.provider,
    usage: entry.usage,
  }));
}

/**
 * Finalizes a run's task row with its outcome (rewrites it when already final); false when there is no row.
 * `stampCleanup: false` leaves `cleanup_after` to retention, as the reference's run-log import does.
 */
export function finalizeCronTask(
  db: DatabaseSync,
  taskRunId: string,
  entry: CronRunLogEntry,
  storeKey: string,
  options: { stampCleanup?: boolean } = {},
): boolean {
  const status = taskStatusOf(entry);
  const result = db.prepare(
    `UPDATE task_runs SET status = ?, ended_at = ?, last_event_at = MAX(COALESCE(last_event_at, 0), ?),
       cleanup_after = ?, error = ?, terminal_summary = COALESCE(?, terminal_summary),
       terminal_outcome = ?, child_session_key = COALESCE(?, child_session_key), detail_json = ?
     WHERE run_id = ? AND runtime = 'cron'`,
  ).run(
    status,
    entry.ts,
    entry.ts,
    options.stampCleanup === false ? null : entry.ts + TASK_RETENTION_MS,
    entry.error ?? null,
    entry.summary ?? null,
    status === "succeeded" ? "succeeded" : null,
    entry.sessionKey ?? null,
    JSON.stringify(detailOf(entry, storeKey)),
    taskRunId,
  );
  return Number(result.changes) > 0;
}

/** Deletes a job's finished runs past their cleanup time and beyond the newest 2000. */
export function pruneCronHistory(db: DatabaseSync, jobId: string, nowMs: number): void {
  db.prepare(
    `DELETE FROM task_runs WHERE runtime = 'cron' AND source_id = ? AND status NOT IN ('queued', 'running')
       AND ${CLEANUP_AT} <= ?`,
  ).run(jobId, nowMs);
  pruneOverflow(db, jobId);
}

/** Deletes a job's finished history rows beyond the newest {@link CRON_HISTORY_KEEP_PER_JOB}. */
function pruneOverflow(db: DatabaseSync, jobId: string): number {
  // The common case (fewer rows than kept) is answered from the index alone; sorting is for overflow only.
  const over = db.prepare("SELECT 1 FROM task_runs WHERE runtime = 'cron' AND source_id = ? LIMIT 1 OFFSET ?")
    .get(jobId, CRON_HISTORY_KEEP_PER_JOB);
  if (!over) return 0;
  return Number(
    db.prepare(
      `DELETE FROM task_runs WHERE task_id IN (
         SELECT task_id FROM task_runs WHERE runtime = 'cron' AND source_id = ? AND status NOT IN ('queued', 'running', 'lost')
           AND detail_json LIKE '%"kind":"cron-run"%'
         ORDER BY COALESCE(ended_at, last_event_at, created_at) DESC, created_at DESC, task_id DESC LIMIT -1 OFFSET ?)`,
    ).run(jobId, CRON_HISTORY_KEEP_PER_JOB).changes,
  );
}

/** Retention over every job's history (also jobs that no longer run or exist); returns rows deleted. */
export function pruneCronHistoryAll(db: DatabaseSync, nowMs: number): number {
  let deleted = Number(
    db.prepare(
      `DELETE FROM task_runs WHERE runtime = 'cron' AND status NOT IN ('queued', 'running') AND ${CLEANUP_AT} <= ?`,
    ).run(nowMs).changes,
  );
  const crowded = db.prepare(
    "SELECT source_id FROM task_runs WHERE runtime = 'cron' AND source_id IS NOT NULL GROUP BY source_id HAVING COUNT(*) > ?",
  ).all(CRON_HISTORY_KEEP_PER_JOB) as { source_id: string }[];
  for (const { source_id } of crowded) deleted += pruneOverflow(db, source_id);
  return deleted;
}
