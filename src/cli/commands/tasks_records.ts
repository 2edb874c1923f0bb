// The task ledger's rows as the reference's `openclaw tasks` sees them: a `task_runs` row becomes a task
// record and a `flow_runs` row a TaskFlow record, key for key and in the reference's key order (its
// `--json` prints them whole), timestamps normalized as the reference normalizes them on load.

/** Runtime families that own tasks, in the reference's order (its `--runtime` list). */
export const TASK_RUNTIMES = ["subagent", "acp", "cron", "cli"] as const;
/** Stored task statuses, in the reference's order. */
export const TASK_STATUSES = ["queued", "running", "succeeded", "failed", "timed_out", "cancelled", "lost"] as const;
/** What `--status` accepts: the statuses and `blocked` (a success whose outcome is blocked). */
export const TASK_STATUS_FILTERS = [...TASK_STATUSES, "blocked"] as const;
/** TaskFlow statuses, in the reference's order. */
export const TASK_FLOW_STATUSES = [
  "queued",
  "running",
  "waiting",
  "blocked",
  "succeeded",
  "failed",
  "cancelled",
  "lost",
] as const;

/** A task as the reference's CLI holds it. */
export interface TaskRecord {
  taskId: string;
  runtime: string;
  taskKind?: string;
  sourceId?: string;
  requesterSessionKey: string;
  ownerKey: string;
  scopeKind: string;
  childSessionKey?: string;
  parentFlowId?: string;
  parentTaskId?: string;
  agentId?: string;
  requesterAgentId?: string;
  runId?: string;
  label?: string;
  task: string;
  status: string;
  deliveryStatus: string;
  notifyPolicy: string;
  createdAt: number;
  startedAt?: number;
  endedAt?: number;
  lastEventAt?: number;
  cleanupAfter?: number;
  toolUseCount?: number;
  lastToolName?: string;
  error?: string;
  progressSummary?: string;
  terminalSummary?: string | null;
  terminalOutcome?: string;
  detail?: unknown;
}

/** A TaskFlow as the reference's CLI holds it. */
export interface FlowRecord {
  flowId: string;
  syncMode: string;
  ownerKey: string;
  requesterOrigin?: unknown;
  controllerId?: string;
  revision: number;
  status: string;
  notifyPolicy: string;
  goal: string;
  currentStep?: string;
  blockedTaskId?: string;
  blockedSummary?: string;
  stateJson?: unknown;
  waitJson?: unknown;
  cancelRequestedAt?: number;
  createdAt: number;
  updatedAt: number;
  endedAt?: number;
}

type Row = Record<string, unknown>;

function num(value: unknown): number | undefined {
  return typeof value === "number" ? value : typeof value === "bigint" ? Number(value) : undefined;
}

function str(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

function json(value: unknown): unknown {
  if (typeof value !== "string") return undefined;
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}

/** Whether a task status is final. */
export function isTerminalStatus(status: string): boolean {
  return status !== "queued" && status !== "running";
}

/** Omits the keys whose value is undefined (the reference spreads only the present ones). */
function present<T extends object>(record: T): T {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as T;
}

/**
 * The reference's load-time clamp: creation is the earliest time, a start is not before it, a final task
 * has an end, and the last event is not before the end.
 */
export function normalizeTaskTimestamps(task: TaskRecord): TaskRecord {
  let createdAt = task.createdAt;
  for (const at of [task.startedAt, task.lastEventAt, task.endedAt]) {
    if (typeof at === "number" && at < createdAt) createdAt = at;
  }
  const startedAt = typeof task.startedAt === "number" ? Math.max(task.startedAt, createdAt) : undefined;
  const terminalAt = isTerminalStatus(task.status) ? task.endedAt ?? task.lastEventAt ?? task.createdAt : task.endedAt;
  const endedAt = typeof terminalAt === "number" ? Math.max(terminalAt, startedAt ?? createdAt) : undefined;
  const lastEventAt = typeof task.lastEventAt === "number"
    ? Math.max(task.lastEventAt, endedAt ?? startedAt ?? createdAt)
    : undefined;
  if (
    createdAt === task.createdAt && startedAt === task.startedAt && endedAt === task.endedAt &&
    lastEventAt === task.lastEventAt
  ) return task;
  const normalized: TaskRecord = { ...task, createdAt };
  if (startedAt !== undefined) normalized.startedAt = startedAt;
  if (lastEventAt !== undefined) normalized.lastEventAt = lastEventAt;
  if (endedAt !== undefined) normalized.endedAt = endedAt;
  return normalized;
}

/** A `task_runs` row as a task record. */
export function taskRecordOf(row: Row): TaskRecord {
  const scopeKind = String(row.scope_kind);
  const ownerKey = String(row.owner_key);
  const requester = typeof row.requester_session_key === "string" ? row.requester_session_key.trim() : "";
  return normalizeTaskTimestamps(present<TaskRecord>({
    taskId: String(row.task_id),
    runtime: String(row.runtime),
    taskKind: str(row.task_kind),
    sourceId: str(row.source_id),
    requesterSessionKey: scopeKind === "system" ? "" : requester || ownerKey,
    ownerKey,
    scopeKind,
    childSessionKey: str(row.child_session_key),
    parentFlowId: str(row.parent_flow_id),
    parentTaskId: str(row.parent_task_id),
    agentId: str(row.agent_id),
    requesterAgentId: str(row.requester_agent_id),
    runId: str(row.run_id),
    label: str(row.label),
    task: String(row.task),
    status: String(row.status),
    deliveryStatus: String(row.delivery_status),
    notifyPolicy: String(row.notify_policy),
    createdAt: num(row.created_at) ?? 0,
    startedAt: num(row.started_at),
    endedAt: num(row.ended_at),
    lastEventAt: num(row.last_event_at),
    cleanupAfter: num(row.cleanup_after),
    toolUseCount: num(row.tool_use_count),
    lastToolName: str(row.last_tool_name),
    error: str(row.error),
    progressSummary: str(row.progress_summary),
    // An empty summary is kept (the reference keeps any non-NULL one).
    terminalSummary: typeof row.terminal_summary === "string" ? row.terminal_summary : undefined,
    terminalOutcome: str(row.terminal_outcome),
    detail: json(row.detail_json),
  }));
}

/**
 * A `flow_runs` row as a TaskFlow record (`shape` decides an unset sync mode, as the reference reads it).
 * A managed flow stored without a controller gets the reference's `core/legacy-restored`, appended last
 * (where the reference's restore adds it).
 */
export function flowRecordOf(row: Row): FlowRecord {
  const syncMode = str(row.sync_mode) === "task_mirrored" || (!str(row.sync_mode) && row.shape === "single_task")
    ? "task_mirrored"
    : "managed";
  const controllerId = str(row.controller_id)?.trim() || undefined;
  const record = present<FlowRecord>({
    flowId: String(row.flow_id),
    syncMode,
    ownerKey: String(row.owner_key),
    requesterOrigin: json(row.requester_origin_json) ?? undefined,
    controllerId,
    revision: Math.max(0, num(row.revision) ?? 0),
    status: String(row.status),
    notifyPolicy: String(row.notify_policy),
    goal: String(row.goal),
    currentStep: str(row.current_step)?.trim() || undefined,
    blockedTaskId: str(row.blocked_task_id)?.trim() || undefined,
    blockedSummary: str(row.blocked_summary)?.trim() || undefined,
    stateJson: json(row.state_json),
    waitJson: json(row.wait_json),
    cancelRequestedAt: num(row.cancel_requested_at),
    createdAt: num(row.created_at) ?? 0,
    updatedAt: num(row.updated_at) ?? 0,
    endedAt: num(row.ended_at),
  });
  if (syncMode === "managed" && !controllerId) record.controllerId = "core/legacy-restored";
  return record;
}

/** Whether a flow has finished (a blocked flow only once it has an end). */
export function isTerminalFlow(flow: FlowRecord): boolean {
  return flow.status === "succeeded" || (flow.status === "blocked" && flow.endedAt != null) ||
    flow.status === "failed" || flow.status === "cancelled" || flow.status === "lost";
}

/** The status a task is shown with: `blocked` for a success whose outcome was blocked. */
export function displayStatus(task: TaskRecord): string {
  return task.status === "succeeded" && task.terminalOutcome === "blocked" ? "blocked" : task.status;
}

/** Whether a task matches a `--status` filter. */
export function matchesStatusFilter(task: TaskRecord, filter: string): boolean {
  return task.status === filter || (filter === "blocked" && displayStatus(task) === "blocked");
}
