// What `openclaw tasks maintenance` would do to the ledger, decided as the reference decides it offline:
// recover a cron task another row finished, prune a finished task past its cleanup time (or beyond the
// newest 2000 runs of a cron job), stamp a cleanup time on a finished task without one; repair, cancel or
// prune a TaskFlow. Pure: the ledger and `now` in, the actions out.
import { type CronRecovery, cronRecovery } from "./tasks_inspect.ts";
import { effectiveCleanupAfter, isPendingForFlow, statusCleanupAfter } from "./tasks_audit_findings.ts";
import { type FlowRecord, isTerminalFlow, isTerminalStatus, type TaskRecord } from "./tasks_records.ts";

/** One task action of a maintenance pass. */
export type TaskAction =
  | { kind: "recover"; task: TaskRecord; recovery: CronRecovery }
  | { kind: "prune"; task: TaskRecord }
  | { kind: "stamp"; task: TaskRecord; cleanupAfter: number };

/** One TaskFlow action of a maintenance pass: a patch to write, or the flow to delete. */
export type FlowAction =
  | { kind: "repair" | "cancel"; flow: FlowRecord; patch: Partial<FlowRecord> & { updatedAt: number } }
  | { kind: "prune"; flow: FlowRecord };

const CRON_HISTORY_KEEP_PER_JOB = 2_000;
const FLOW_RETENTION_MS = 7 * 24 * 3_600_000;

/** Finished cron runs beyond the newest 2000 of their job (history and quiet rows counted apart). */
function cronOverflow(tasks: readonly TaskRecord[]): Set<string> {
  const groups = new Map<string, TaskRecord[]>();
  for (const task of tasks) {
    if (task.runtime !== "cron" || !task.sourceId || !isTerminalStatus(task.status) || task.status === "lost") continue;
    const detail = task.detail as { kind?: unknown; storeKey?: unknown } | undefined;
    const history = typeof detail === "object" && detail !== null && detail.kind === "cron-run";
    const key = JSON.stringify([detail?.storeKey ?? null, task.sourceId, history]);
    groups.set(key, [...groups.get(key) ?? [], task]);
  }
  const overflow = new Set<string>();
  for (const rows of groups.values()) {
    const at = (task: TaskRecord) => task.endedAt ?? task.lastEventAt ?? task.createdAt;
    rows.sort((a, b) => at(b) - at(a) || b.createdAt - a.createdAt || b.taskId.localeCompare(a.taskId));
    for (const task of rows.slice(CRON_HISTORY_KEEP_PER_JOB)) overflow.add(task.taskId);
  }
  return overflow;
}

/** Whether a finished task may be deleted now. */
function prunable(task: TaskRecord, now: number, overflow: Set<string>): boolean {
  return isTerminalStatus(task.status) && (overflow.has(task.taskId) || now >= effectiveCleanupAfter(task));
}

/** The task actions of one pass, in ledger order. */
export function planTaskMaintenance(tasks: readonly TaskRecord[], now: number): TaskAction[] {
  const overflow = cronOverflow(tasks);
  const actions: TaskAction[] = [];
  for (const task of tasks) {
    const recovery = cronRecovery(task, tasks);
    if (recovery) actions.push({ kind: "recover", task, recovery });
    else if (prunable(task, now, overflow)) actions.push({ kind: "prune", task });
    else if (isTerminalStatus(task.status) && typeof task.cleanupAfter !== "number") {
      actions.push({ kind: "stamp", task, cleanupAfter: statusCleanupAfter(task) });
    }
  }
  return actions;
}

/** The maintenance action of one flow, if any (`pending`: a linked task still runs). */
export function flowAction(flow: FlowRecord, now: number, pending: () => boolean): FlowAction | undefined {
  if (
    flow.syncMode === "task_mirrored" && isTerminalFlow(flow) && flow.endedAt != null &&
    flow.endedAt >= flow.createdAt && flow.updatedAt > flow.endedAt
  ) return { kind: "repair", flow, patch: { updatedAt: flow.endedAt } };
  if (flow.syncMode === "managed" && flow.cancelRequestedAt != null && !isTerminalFlow(flow)) {
    if (pending()) return undefined;
    const endedAt = Math.max(now, flow.updatedAt, flow.cancelRequestedAt);
    return {
      kind: "cancel",
      flow,
      patch: {
        status: "cancelled",
        blockedTaskId: undefined,
        blockedSummary: undefined,
        waitJson: undefined,
        endedAt,
        updatedAt: endedAt,
      },
    };
  }
  if (
    isTerminalFlow(flow) && now - (flow.endedAt ?? flow.updatedAt ?? flow.createdAt) >= FLOW_RETENTION_MS && !pending()
  ) {
    return { kind: "prune", flow };
  }
  return undefined;
}

/** The flow actions of one pass. */
export function planFlowMaintenance(
  flows: readonly FlowRecord[],
  tasks: readonly TaskRecord[],
  now: number,
): FlowAction[] {
  return flows.flatMap((flow) => {
    const action = flowAction(
      flow,
      now,
      () => tasks.some((task) => task.parentFlowId?.trim() === flow.flowId.trim() && isPendingForFlow(task)),
    );
    return action ? [action] : [];
  });
}

/** The counts `tasks maintenance` reports for a plan. */
export function countPlan(tasks: readonly TaskAction[], flows: readonly FlowAction[]) {
  return {
    tasks: {
      reconciled: 0,
      recovered: tasks.filter((a) => a.kind === "recover").length,
      cleanupStamped: tasks.filter((a) => a.kind === "stamp").length,
      pruned: tasks.filter((a) => a.kind === "prune").length,
    },
    taskFlows: {
      reconciled: flows.filter((a) => a.kind !== "prune").length,
      pruned: flows.filter((a) => a.kind === "prune").length,
    },
  };
}
