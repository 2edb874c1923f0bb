import type { DatabaseSync } from "node:sqlite";
import type { AgentRuns, RunOutcome } from "../../agent/runs.ts";
import {
  finishTaskRun,
  getTaskRun,
  insertTaskRun,
  listTaskRuns,
  markOwnedTasksLost,
  type StoredTaskStatus,
  type TaskRun,
} from "../../state/task_runs.ts";
import { writeIfUnlocked } from "../../state/sqlite_busy.ts";
import { RpcError } from "../errors.ts";
import { type MethodTable, validated } from "../registry.ts";
import { isJsonObject } from "../../log/json_object.ts";

/** Dependencies of the task methods. */
export interface TaskMethodsDeps {
  /** The global state database (its `task_runs` table). */
  db(): Promise<DatabaseSync>;
  runs: Pick<AgentRuns, "abort">;
  /** The messages of a session's transcript, oldest first (`tasks.history` shows a task's run). */
  history(sessionKey: string, agentId: string): Promise<{ messages: { runId?: string | undefined }[] }>;
}

/** `tasks.history` params: the reference's `{ taskId, limit?, cursor? }` (the pinned package has no validator). */
function historyProblem(params: unknown): string | undefined {
  if (!isJsonObject(params)) return "must be object";
  const p = params;
  const extra = Object.keys(p).find((k) => !["taskId", "limit", "cursor"].includes(k));
  if (extra) return `at root: unexpected property '${extra}'`;
  if (typeof p.taskId !== "string" || p.taskId === "") return "must have required property 'taskId'";
  if (p.limit !== undefined && (!Number.isInteger(p.limit) || (p.limit as number) < 1)) {
    return "at /limit: must be >= 1";
  }
  if (p.cursor !== undefined && typeof p.cursor !== "string") return "at /cursor: must be string";
  return undefined;
}

// The API's status names for the stored ones (the ledger says `succeeded`, clients `completed`).
const API_STATUS: Record<string, string> = { succeeded: "completed", lost: "failed" };
const STORED_STATUS: Record<string, StoredTaskStatus[]> = { completed: ["succeeded"], failed: ["failed", "lost"] };

function apiStatus(status: string): string {
  return API_STATUS[status] ?? status;
}

function terminal(status: string): boolean {
  return !["queued", "running"].includes(status);
}

/** A task as `tasks.list` shows it, key for key as the reference's summary. */
export function taskSummary(task: TaskRun): Record<string, unknown> {
  const summary: Record<string, unknown> = {
    id: task.taskId,
    taskId: task.taskId,
    kind: task.taskKind ?? task.runtime,
    runtime: task.runtime,
    status: apiStatus(task.status),
    execution: { state: terminal(task.status) ? "finished" : task.status },
    title: task.label ?? task.task,
    agentId: task.agentId,
    sessionKey: task.requesterSessionKey,
    childSessionKey: task.childSessionKey,
    hasTranscript: task.childSessionKey !== undefined,
    ownerKey: task.ownerKey,
    runId: task.runId,
    sourceId: task.sourceId,
    createdAt: task.createdAt,
    updatedAt: task.lastEventAt ?? task.startedAt ?? task.createdAt,
    startedAt: task.startedAt,
    endedAt: task.endedAt,
    progressSummary: task.progressSummary,
    terminalSummary: task.terminalSummary,
    error: task.error,
    deliveryStatus: task.deliveryStatus,
  };
  return Object.fromEntries(Object.entries(summary).filter(([, v]) => v !== undefined));
}

function cursorOf(task: TaskRun): string {
  return btoa(JSON.stringify([task.createdAt, task.taskId]));
}

function beforeOf(cursor: string | undefined): { createdAt: number; taskId: string } | undefined {
  if (!cursor) return undefined;
  try {
    const [createdAt, taskId] = JSON.parse(atob(cursor)) as [number, string];
    if (typeof createdAt === "number" && typeof taskId === "string") return { createdAt, taskId };
  } catch {
    // Falls through to the error below.
  }
  throw new RpcError("INVALID_REQUEST", "invalid tasks.list cursor: pass back the nextCursor of the previous page");
}

function notFound(id: string): RpcError {
  return new RpcError("INVALID_REQUEST", `task not found: ${id}`);
}

/** When a task's end is written again after the state database was locked by another process. */
const FINISH_RETRY_DELAYS_MS = [1_000, 5_000, 30_000];

/**
 * Records an `agent` run in the ledger as the reference does (runtime `cli`, scoped to its
 * session), and marks it ended when the run settles. A ledger failure never fails the run. Ledger
 * writes do not wait out another process's write lock (that would freeze the gateway): a start is
 * then not recorded, an end is written again later (`retryDelaysMs`) and, failing that, the stop
 * marks the task lost.
 */
export async function recordAgentTask(
  deps: { db(): Promise<DatabaseSync>; warn(message: string): void; retryDelaysMs?: readonly number[] },
  run: { runId: string; agentId: string; sessionKey: string; message: string; done: Promise<RunOutcome> },
): Promise<void> {
  const taskId = crypto.randomUUID();
  const now = Date.now();
  let db: DatabaseSync;
  try {
    db = await deps.db();
    const row: TaskRun = {
      taskId,
      runtime: "cli",
      sourceId: run.runId,
      requesterSessionKey: run.sessionKey,
      ownerKey: run.sessionKey,
      scopeKind: "session",
      childSessionKey: run.sessionKey,
      agentId: run.agentId,
      requesterAgentId: run.agentId,
      runId: run.runId,
      task: run.message,
      status: "running",
      deliveryStatus: "not_applicable",
      notifyPolicy: "silent",
      createdAt: now,
      startedAt: now,
    };
    if (!writeIfUnlocked(db, () => insertTaskRun(db, row, { host: Deno.hostname(), pid: Deno.pid }))) {
      deps.warn(`agent task ${run.runId} is not in the task ledger: another process holds the state database's lock`);
      return;
    }
  } catch (error) {
    deps.warn(`failed to start tracked agent task ${run.runId}: ${error}`);
    return;
  }
  const retries = [...(deps.retryDelaysMs ?? FINISH_RETRY_DELAYS_MS)];
  const finish = (outcome: RunOutcome) => {
    // Closed: the gateway stopped first and marked this task lost (see settleAgentTasks).
    if (!db.isOpen) return;
    try {
      const status: StoredTaskStatus = outcome.status === "ok"
        ? "succeeded"
        : outcome.status === "aborted"
        ? "cancelled"
        : "failed";
      const written = writeIfUnlocked(db, () =>
        finishTaskRun(db, taskId, {
          status,
          endedAt: outcome.endedAt,
          error: outcome.status === "ok" ? undefined : outcome.error,
          terminalSummary: outcome.status === "ok" ? "completed" : undefined,
        }));
      if (written) return;
      const delay = retries.shift();
      if (delay === undefined) {
        deps.warn(`failed to finalize tracked agent task ${run.runId}: the state database stayed locked`);
        return;
      }
      Deno.unrefTimer(setTimeout(() => finish(outcome), delay));
    } catch (error) {
      deps.warn(`failed to finalize tracked agent task ${run.runId}: ${error}`);
    }
  };
  void run.done.then(finish);
}

/** At gateway stop, before the state database closes: this process's unfinished agent tasks become `lost`. */
export function settleAgentTasks(db: DatabaseSync, now = Date.now()): number {
  return markOwnedTasksLost(db, { host: Deno.hostname(), pid: Deno.pid }, now);
}

/**
 * `tasks.list`, `tasks.get`, `tasks.cancel`, `tasks.history`, `tasks.retry`, `tasks.dismiss`: the
 * task ledger the Tasks page and `openclaw tasks` read. Retry and dismiss act on blocked subagent
 * completions, which this gateway's `agent` tasks never have: they answer as the reference does
 * for such a task.
 */
export function taskMethods(deps: TaskMethodsDeps): MethodTable {
  return {
    "tasks.list": validated("operator.read", "validateTasksListParams", async ({ params }) => {
      const wanted = params.status === undefined ? [] : Array.isArray(params.status) ? params.status : [params.status];
      const statuses = wanted.flatMap((s) => STORED_STATUS[s] ?? [s as StoredTaskStatus]);
      const limit = params.limit ?? 100;
      const page = listTaskRuns(await deps.db(), {
        statuses,
        agentId: params.agentId,
        sessionKey: params.sessionKey,
        limit: limit + 1,
        before: beforeOf(params.cursor),
        sortBy: params.sortBy,
      });
      const tasks = page.slice(0, limit);
      return {
        tasks: tasks.map(taskSummary),
        ...(page.length > limit ? { nextCursor: cursorOf(tasks.at(-1)!) } : {}),
      };
    }),
    "tasks.get": validated("operator.read", "validateTasksGetParams", async ({ params }) => {
      const task = getTaskRun(await deps.db(), params.taskId);
      if (!task) throw notFound(params.taskId);
      return {
        task: {
          ...taskSummary(task),
          ...(task.terminalSummary !== undefined ? { result: task.terminalSummary } : {}),
          prompt: task.task,
        },
      };
    }),
    "tasks.history": {
      scope: "operator.read",
      check: historyProblem,
      async handler({ params }) {
        const { taskId, limit, cursor } = params as { taskId: string; limit?: number; cursor?: string };
        const task = getTaskRun(await deps.db(), taskId);
        if (!task) throw new RpcError("INVALID_REQUEST", "Task not found.");
        const key = task.childSessionKey ?? task.requesterSessionKey;
        const all = key && task.agentId ? (await deps.history(key, task.agentId)).messages : [];
        const messages = all.filter((m) => m.runId === task.runId);
        // Newest page first; the cursor names where the next (older) page ends.
        const end = cursor ? Number(JSON.parse(atob(cursor))) : messages.length;
        if (!Number.isInteger(end) || end < 0) throw new RpcError("INVALID_REQUEST", "invalid tasks.history cursor");
        const start = Math.max(0, end - (limit ?? 100));
        return {
          messages: messages.slice(start, end),
          ...(start > 0 ? { nextCursor: btoa(JSON.stringify(start)) } : {}),
        };
      },
    },
    "tasks.retry": validated("operator.write", "validateTasksRecoveryParams", ({ params }) => ({
      results: params.taskIds.map((taskId) => ({
        taskId,
        ok: false,
        reason: "task has no recoverable subagent completion",
      })),
    })),
    "tasks.dismiss": validated("operator.write", "validateTasksRecoveryParams", ({ params }) => ({
      results: params.taskIds.map((taskId) => ({ taskId, ok: false, reason: "completion delivery is not blocked" })),
    })),
    "tasks.cancel": validated("operator.write", "validateTasksCancelParams", async ({ params }) => {
      const db = await deps.db();
      const task = getTaskRun(db, params.taskId);
      if (!task) return { found: false, cancelled: false, reason: "Task not found." };
      if (terminal(task.status)) {
        return { found: true, cancelled: false, reason: "Task is already terminal.", task: taskSummary(task) };
      }
      const aborted = task.runId ? deps.runs.abort({ runId: task.runId }) : [];
      if (aborted.length === 0) {
        return {
          found: true,
          cancelled: false,
          reason: "Task is not running in this gateway.",
          task: taskSummary(task),
        };
      }
      // The reference records why: the caller's reason, else its operator-cancel words.
      const error = params.reason?.trim() || "Cancelled by operator.";
      finishTaskRun(db, task.taskId, { status: "cancelled", endedAt: Date.now(), error });
      return { found: true, cancelled: true, task: taskSummary(getTaskRun(db, task.taskId) ?? task) };
    }),
  };
}
