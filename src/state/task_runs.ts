// The reference's task ledger (`task_runs` in the global state database), row for row as OpenClaw
// 2026.9.6 writes it for an agent run started over `agent`, so its `openclaw tasks list` (which
// reads the table directly) and its Control UI's Tasks page see our runs.
import type { DatabaseSync } from "node:sqlite";

/** How long a finished task is kept before the reference's maintenance may sweep it (7 days). */
export const TASK_RETENTION_MS = 7 * 24 * 3_600_000;

/** Task statuses as stored (`succeeded` is what the API calls `completed`). */
export type StoredTaskStatus = "queued" | "running" | "succeeded" | "failed" | "cancelled" | "timed_out" | "lost";

/** One `task_runs` row, the columns this gateway reads and writes. */
export interface TaskRun {
  taskId: string;
  runtime: string;
  taskKind?: string | undefined;
  sourceId?: string | undefined;
  requesterSessionKey?: string | undefined;
  ownerKey: string;
  scopeKind: string;
  childSessionKey?: string | undefined;
  agentId?: string | undefined;
  requesterAgentId?: string | undefined;
  runId?: string | undefined;
  label?: string | undefined;
  task: string;
  status: StoredTaskStatus;
  deliveryStatus: string;
  notifyPolicy: string;
  createdAt: number;
  startedAt?: number | undefined;
  endedAt?: number | undefined;
  lastEventAt?: number | undefined;
  cleanupAfter?: number | undefined;
  error?: string | undefined;
  progressSummary?: string | undefined;
  terminalSummary?: string | undefined;
}

type Row = Record<string, unknown>;

function text(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

function num(value: unknown): number | undefined {
  return typeof value === "number" ? value : typeof value === "bigint" ? Number(value) : undefined;
}

function taskOf(row: Row): TaskRun {
  return {
    taskId: String(row.task_id),
    runtime: String(row.runtime),
    taskKind: text(row.task_kind),
    sourceId: text(row.source_id),
    requesterSessionKey: text(row.requester_session_key),
    ownerKey: String(row.owner_key),
    scopeKind: String(row.scope_kind),
    childSessionKey: text(row.child_session_key),
    agentId: text(row.agent_id),
    requesterAgentId: text(row.requester_agent_id),
    runId: text(row.run_id),
    label: text(row.label),
    task: String(row.task),
    status: String(row.status) as StoredTaskStatus,
    deliveryStatus: String(row.delivery_status),
    notifyPolicy: String(row.notify_policy),
    createdAt: num(row.created_at) ?? 0,
    startedAt: num(row.started_at),
    endedAt: num(row.ended_at),
    lastEventAt: num(row.last_event_at),
    cleanupAfter: num(row.cleanup_after),
    error: text(row.error),
    progressSummary: text(row.progress_summary),
    terminalSummary: text(row.terminal_summary),
  };
}

/** Records a task that started running; `owner` is this process (the reference's liveness check). */
export function insertTaskRun(db: DatabaseSync, task: TaskRun, owner: { host: string; pid: number }): void {
  db.prepare(
    `INSERT INTO task_runs (task_id, runtime, task_kind, source_id, requester_session_key, owner_key, scope_kind,
      child_session_key, agent_id, requester_agent_id, run_id, execution_owner_host, execution_owner_pid, label, task,
      status, delivery_status, notify_policy, created_at, started_at, last_event_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    task.taskId,
    task.runtime,
    task.taskKind ?? null,
    task.sourceId ?? null,
    task.requesterSessionKey ?? null,
    task.ownerKey,
    task.scopeKind,
    task.childSessionKey ?? null,
    task.agentId ?? null,
    task.requesterAgentId ?? null,
    task.runId ?? null,
    owner.host,
    owner.pid,
    task.label ?? null,
    task.task,
    task.status,
    task.deliveryStatus,
    task.notifyPolicy,
    task.createdAt,
    task.startedAt ?? null,
    task.lastEventAt ?? task.startedAt ?? null,
  );
}

/** Marks a task ended (status, when, why); the row is kept for {@link TASK_RETENTION_MS}. */
export function finishTaskRun(
  db: DatabaseSync,
  taskId: string,
  end: { status: StoredTaskStatus; endedAt: number; error?: string | undefined; terminalSummary?: string | undefined },
): void {
  db.prepare(
    `UPDATE task_runs SET status = ?, ended_at = ?, last_event_at = ?, cleanup_after = ?, error = ?,
      terminal_summary = ? WHERE task_id = ? AND ended_at IS NULL`,
  ).run(
    end.status,
    end.endedAt,
    end.endedAt,
    end.endedAt + TASK_RETENTION_MS,
    end.error ?? null,
    end.terminalSummary ?? null,
    taskId,
  );
}

/** What the reference's maintenance writes as the error of a task whose owner went away. */
export const TASK_LOST_ERROR = "owning process exited";

/**
 * Marks this process's unfinished tasks `lost`, as the reference marks a task whose owner is gone (at
 * gateway stop: a run that has not settled by then never will in this process). Returns how many.
 */
export function markOwnedTasksLost(db: DatabaseSync, owner: { host: string; pid: number }, endedAt: number): number {
  return Number(
    db.prepare(
      `UPDATE task_runs SET status = 'lost', ended_at = ?, last_event_at = ?, cleanup_after = ?,
        error = coalesce(error, ?) WHERE ended_at IS NULL AND status IN ('queued', 'running')
        AND execution_owner_host = ? AND execution_owner_pid = ?`,
    ).run(endedAt, endedAt, endedAt + TASK_RETENTION_MS, TASK_LOST_ERROR, owner.host, owner.pid).changes,
  );
}

/** One task by task id or run id. */
export function getTaskRun(db: DatabaseSync, id: string): TaskRun | undefined {
  const row = db.prepare("SELECT * FROM task_runs WHERE task_id = ? OR run_id = ? ORDER BY created_at DESC LIMIT 1")
    .get(id, id) as Row | undefined;
  return row ? taskOf(row) : undefined;
}

/** The ledger columns `tasks.list` sorts by (a table, never caller text, reaches the SQL). */
const SORT_COLUMN = {
  createdAt: "created_at",
  updatedAt: "coalesce(last_event_at, started_at, created_at)",
  endedAt: "coalesce(ended_at, 0)",
} as const;

/**
 * Tasks newest first (by creation, or by `sortBy`), filtered by stored status, agent and session, after
 * `before` (created_at, task_id).
 */
export function listTaskRuns(
  db: DatabaseSync,
  filter: {
    statuses?: StoredTaskStatus[] | undefined;
    agentId?: string | undefined;
    sessionKey?: string | undefined;
    limit: number;
    before?: { createdAt: number; taskId: string } | undefined;
    /** Newest first by this time instead of creation (the Control UI lists finished tasks by `endedAt`). */
    sortBy?: "updatedAt" | "endedAt" | undefined;
  },
): TaskRun[] {
  const where: string[] = [];
  const args: (string | number)[] = [];
  if (filter.statuses?.length) {
    where.push(`status IN (${filter.statuses.map(() => "?").join(", ")})`);
    args.push(...filter.statuses);
  }
  if (filter.agentId) {
    where.push("agent_id = ?");
    args.push(filter.agentId);
  }
  if (filter.sessionKey) {
    where.push("(requester_session_key = ? OR child_session_key = ? OR owner_key = ?)");
    args.push(filter.sessionKey, filter.sessionKey, filter.sessionKey);
  }
  if (filter.before) {
    where.push("(created_at < ? OR (created_at = ? AND task_id < ?))");
    args.push(filter.before.createdAt, filter.before.createdAt, filter.before.taskId);
  }
  const sql = `SELECT * FROM task_runs ${where.length ? `WHERE ${where.join(" AND ")}` : ""}
    ORDER BY ${SORT_COLUMN[filter.sortBy ?? "createdAt"]} DESC, created_at DESC, task_id DESC LIMIT ?`;
  return (db.prepare(sql).all(...args, filter.limit) as Row[]).map(taskOf);
}
