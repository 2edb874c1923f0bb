// The reference CLI's reconciliation of the ledger for inspection, without a gateway's runtime knowledge:
// an active (or "backing session missing" lost) cron task whose run another row already finished is
// shown with that row's outcome. Agent (`cli`), cron and ACP tasks are never declared lost offline: only
// the gateway that owns them knows whether they still run (the reference's "runtime not authoritative").
import { isTerminalStatus, type TaskRecord } from "./tasks_records.ts";
import { TASK_RETENTION_MS } from "./tasks_audit_findings.ts";

/** What a finished cron row says about a task it recovers. */
export interface CronRecovery {
  status: string;
  endedAt: number;
  lastEventAt: number;
  error?: string;
  terminalSummary?: string | null;
  detail?: unknown;
}

/** When a cron row finished (its end, else its last event, else its creation). */
function cronFinishedAt(task: TaskRecord): number {
  return task.endedAt ?? task.lastEventAt ?? task.createdAt;
}

/** The recovery of a cron task from a finished row of the same run, if there is one. */
export function cronRecovery(task: TaskRecord, all: readonly TaskRecord[]): CronRecovery | undefined {
  const recoverableLost = task.status === "lost" &&
    (task.error?.trim().toLowerCase().includes("backing session missing") ?? false);
  if (task.runtime !== "cron" || (isTerminalStatus(task.status) && !recoverableLost)) return undefined;
  const jobId = task.sourceId?.trim();
  if (!jobId) return undefined;
  const runId = task.runId?.trim();
  const row = all.find((candidate) =>
    candidate.runtime === "cron" && candidate.sourceId === jobId &&
    (candidate.taskId === task.taskId || (Boolean(runId) && candidate.runId === task.runId))
  );
  if (!row || !["succeeded", "failed", "timed_out", "cancelled"].includes(row.status)) return undefined;
  const endedAt = cronFinishedAt(row);
  return {
    status: row.status,
    endedAt,
    lastEventAt: row.lastEventAt ?? endedAt,
    ...(row.error !== undefined ? { error: row.error } : {}),
    ...(row.terminalSummary !== undefined ? { terminalSummary: row.terminalSummary } : {}),
    ...(row.detail !== undefined ? { detail: row.detail } : {}),
  };
}

/** A task as it reads once recovered (cleanup stamped from its status when it had none). */
function recovered(task: TaskRecord, recovery: CronRecovery): TaskRecord {
  const projected: TaskRecord = { ...task, ...recovery };
  if (recovery.error === undefined) delete projected.error;
  if (typeof projected.cleanupAfter !== "number") {
    projected.cleanupAfter = (projected.endedAt ?? projected.lastEventAt ?? projected.createdAt) + TASK_RETENTION_MS;
  }
  return projected;
}

/** The ledger's tasks as the reference's CLI shows them. */
export function reconcileForInspection(tasks: readonly TaskRecord[]): TaskRecord[] {
  return tasks.map((task) => {
    const recovery = cronRecovery(task, tasks);
    return recovery ? recovered(task, recovery) : task;
  });
}
