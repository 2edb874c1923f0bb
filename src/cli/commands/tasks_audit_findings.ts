// The reference's task and TaskFlow audit: which ledger rows look stale or broken, with its codes,
// severities, words and order. Pure: the ledger and `now` in, findings and summaries out.
import { type FlowRecord, isTerminalStatus, type TaskRecord } from "./tasks_records.ts";

/** Audit severities, in the reference's order. */
export const AUDIT_SEVERITIES = ["warn", "error"] as const;
/** Task audit codes, in the reference's order. */
export const TASK_AUDIT_CODES = [
  "stale_queued",
  "stale_running",
  "lost",
  "delivery_failed",
  "missing_cleanup",
  "inconsistent_timestamps",
] as const;
/** TaskFlow audit codes, in the reference's order. */
export const FLOW_AUDIT_CODES = [
  "restore_failed",
  "stale_running",
  "stale_waiting",
  "stale_blocked",
  "cancel_stuck",
  "missing_linked_tasks",
  "blocked_task_missing",
  "inconsistent_timestamps",
] as const;
/** The codes `tasks audit --code` accepts: the task codes, then the flow codes not already listed. */
export const SYSTEM_AUDIT_CODES = [
  ...TASK_AUDIT_CODES,
  ...FLOW_AUDIT_CODES.filter((code) => !(TASK_AUDIT_CODES as readonly string[]).includes(code)),
];

const M = 60_000;
const STALE_QUEUED_MS = 10 * M;
const STALE_RUNNING_MS = 30 * M;
const STALE_WAITING_MS = 30 * M;
const STALE_BLOCKED_MS = 30 * M;
const CANCEL_STUCK_MS = 5 * M;
/** How long a finished task is kept; a lost one only a day. */
export const TASK_RETENTION_MS = 7 * 24 * 60 * M;
const LOST_TASK_RETENTION_MS = 24 * 60 * M;

/** One task finding. */
export interface TaskFinding {
  severity: string;
  code: string;
  task: TaskRecord;
  detail: string;
  ageMs?: number;
}

/** One TaskFlow finding. */
export interface FlowFinding {
  severity: string;
  code: string;
  detail: string;
  ageMs?: number;
  flow?: FlowRecord;
}

/** Counts of a finding list, as the reference's summaries key them. */
export interface AuditSummary {
  total: number;
  warnings: number;
  errors: number;
  byCode: Record<string, number>;
}

/** When a finished task may be pruned by its status alone. */
export function statusCleanupAfter(task: TaskRecord): number {
  return (task.endedAt ?? task.lastEventAt ?? task.createdAt) +
    (task.status === "lost" ? LOST_TASK_RETENTION_MS : TASK_RETENTION_MS);
}

/** When a finished task may be pruned: its stamp, but never later than a day for a lost one. */
export function effectiveCleanupAfter(task: TaskRecord): number {
  const byStatus = statusCleanupAfter(task);
  if (typeof task.cleanupAfter !== "number") return byStatus;
  return task.status === "lost" ? Math.min(task.cleanupAfter, byStatus) : task.cleanupAfter;
}

/** A lost task still inside its retention: when it may go, else undefined. */
export function retainedLostUntil(task: TaskRecord, now: number): number | undefined {
  if (task.status !== "lost" || typeof task.cleanupAfter !== "number") return undefined;
  const at = effectiveCleanupAfter(task);
  return at > now ? at : undefined;
}

function timestampIssue(task: TaskRecord): string | undefined {
  if (task.startedAt && task.startedAt < task.createdAt) return "startedAt is earlier than createdAt";
  if (task.endedAt && task.startedAt && task.endedAt < task.startedAt) return "endedAt is earlier than startedAt";
  if (!isTerminalStatus(task.status) && task.endedAt) return `${task.status} task should not already have endedAt`;
  return undefined;
}

const TASK_WORDS: Record<string, string> = {
  "stale_queued": "queued task has not advanced recently",
  "stale_running": "running task appears stuck",
  "delivery_failed": "terminal update delivery failed",
  "missing_cleanup": "terminal task is missing cleanupAfter",
};

function compareFindings(
  left: { severity: string; ageMs?: number | undefined; createdAt: number },
  right: { severity: string; ageMs?: number | undefined; createdAt: number },
): number {
  const rank = (severity: string) => severity === "error" ? 0 : 1;
  return rank(left.severity) - rank(right.severity) || (right.ageMs ?? -1) - (left.ageMs ?? -1) ||
    left.createdAt - right.createdAt;
}

/** The findings of each task, most severe and oldest first. */
export function taskFindings(tasks: readonly TaskRecord[], now: number): TaskFinding[] {
  const findings: TaskFinding[] = [];
  for (const task of tasks) {
    const ageMs = Math.max(0, now - (task.lastEventAt ?? task.startedAt ?? task.createdAt));
    // `null`: a finding without an age (a default parameter would turn `undefined` into the task's age).
    const add = (code: string, severity: string, detail: string, age: number | null = ageMs) =>
      findings.push({ severity, code, task, detail, ...(age !== null ? { ageMs: age } : {}) });
    if (task.status === "queued" && ageMs >= STALE_QUEUED_MS) add("stale_queued", "warn", TASK_WORDS.stale_queued!);
    if (task.status === "running" && ageMs >= STALE_RUNNING_MS) {
      add("stale_running", "error", TASK_WORDS.stale_running!);
    }
    if (task.status === "lost") {
      const retained = retainedLostUntil(task, now) !== undefined;
      add(
        "lost",
        retained ? "warn" : "error",
        task.error?.trim() ||
          (retained
            ? "task lost its backing session and is retained until cleanupAfter"
            : "task lost its backing session"),
      );
    }
    if (task.deliveryStatus === "failed" && task.notifyPolicy !== "silent") {
      add("delivery_failed", "warn", TASK_WORDS.delivery_failed!);
    }
    if (task.status !== "lost" && isTerminalStatus(task.status) && typeof task.cleanupAfter !== "number") {
      add("missing_cleanup", "warn", TASK_WORDS.missing_cleanup!);
    }
    const issue = timestampIssue(task);
    if (issue) add("inconsistent_timestamps", "warn", issue, null);
  }
  return findings.toSorted((a, b) =>
    compareFindings({ ...a, createdAt: a.task.createdAt }, { ...b, createdAt: b.task.createdAt })
  );
}

function flowTimestampIssue(flow: FlowRecord): string | undefined {
  if (flow.updatedAt < flow.createdAt) return "updatedAt is earlier than createdAt";
  if (flow.endedAt && flow.endedAt < flow.createdAt) return "endedAt is earlier than createdAt";
  if (flow.endedAt && flow.endedAt < flow.updatedAt) return "endedAt is earlier than updatedAt";
  return undefined;
}

/** Whether a linked task still keeps its flow busy (cancellation waits for it). */
export function isPendingForFlow(task: TaskRecord): boolean {
  return !isTerminalStatus(task.status);
}

/** The findings of each TaskFlow, most severe and oldest first. */
export function flowFindings(flows: readonly FlowRecord[], tasks: readonly TaskRecord[], now: number): FlowFinding[] {
  const findings: FlowFinding[] = [];
  for (const flow of flows) {
    const ageMs = Math.max(0, now - (flow.updatedAt ?? flow.createdAt));
    const linked = tasks.filter((task) => task.parentFlowId?.trim() === flow.flowId.trim());
    const add = (severity: string, code: string, detail: string, age: number | null = ageMs) =>
      findings.push({ severity, code, detail, ...(age !== null ? { ageMs: age } : {}), flow });
    if (flow.status === "running" && ageMs >= STALE_RUNNING_MS) {
      add("error", "stale_running", "running TaskFlow has not advanced recently");
    }
    if (flow.status === "waiting" && ageMs >= STALE_WAITING_MS) {
      add("warn", "stale_waiting", "waiting TaskFlow has not advanced recently");
    }
    if (flow.status === "blocked" && flow.endedAt == null && ageMs >= STALE_BLOCKED_MS) {
      add("warn", "stale_blocked", "blocked TaskFlow has not advanced recently");
    }
    if (
      flow.cancelRequestedAt != null && !["cancelled", "failed", "succeeded", "lost"].includes(flow.status) &&
      !linked.some(isPendingForFlow) && now - flow.cancelRequestedAt >= CANCEL_STUCK_MS
    ) {
      add(
        "warn",
        "cancel_stuck",
        "cancel-requested TaskFlow has no active child tasks but is still nonterminal",
        Math.max(0, now - flow.cancelRequestedAt),
      );
    }
    const staleAfter = flow.status === "running"
      ? STALE_RUNNING_MS
      : flow.status === "waiting"
      ? STALE_WAITING_MS
      : STALE_BLOCKED_MS;
    const waitsOnSomething = Boolean(
      flow.blockedTaskId?.trim() || flow.blockedSummary?.trim() || flow.waitJson != null,
    );
    if (
      flow.syncMode === "managed" && ["running", "waiting", "blocked"].includes(flow.status) && ageMs >= staleAfter &&
      linked.length === 0 && !waitsOnSomething
    ) {
      add(
        flow.status === "running" ? "error" : "warn",
        "missing_linked_tasks",
        "managed TaskFlow has no linked tasks or wait state",
      );
    }
    const blockedTaskId = flow.blockedTaskId?.trim();
    if (flow.endedAt == null && blockedTaskId && !linked.some((task) => task.taskId === blockedTaskId)) {
      add("warn", "blocked_task_missing", `blocked TaskFlow points at missing task ${blockedTaskId}`);
    }
    const issue = flowTimestampIssue(flow);
    if (issue) add("warn", "inconsistent_timestamps", issue, null);
  }
  return findings.toSorted((a, b) =>
    compareFindings({ ...a, createdAt: a.flow?.createdAt ?? 0 }, { ...b, createdAt: b.flow?.createdAt ?? 0 })
  );
}

/** Counts findings by severity and code (every code of `codes` present, zero or not). */
export function summarizeFindings(
  findings: readonly { severity: string; code: string }[],
  codes: readonly string[],
): AuditSummary {
  const summary: AuditSummary = {
    total: 0,
    warnings: 0,
    errors: 0,
    byCode: Object.fromEntries(codes.map((c) => [c, 0])),
  };
  for (const finding of findings) {
    summary.total += 1;
    summary.byCode[finding.code] = (summary.byCode[finding.code] ?? 0) + 1;
    if (finding.severity === "error") summary.errors += 1;
    else summary.warnings += 1;
  }
  return summary;
}

/** One row of `tasks audit`: a task's or a flow's finding. */
export interface SystemFinding {
  kind: "task" | "task_flow";
  severity: string;
  code: string;
  detail: string;
  ageMs?: number | undefined;
  status: string;
  token?: string | undefined;
  task?: TaskRecord;
  flow?: FlowRecord;
}

/** Both audits together, filtered, with their summaries (the reference's `tasks audit`). */
export function systemAudit(
  tasks: readonly TaskRecord[],
  flows: readonly FlowRecord[],
  now: number,
  filter: { severity?: string | undefined; code?: string | undefined },
) {
  const forTasks = taskFindings(tasks, now);
  const forFlows = flowFindings(flows, tasks, now);
  const all: SystemFinding[] = [
    ...forTasks.map((f): SystemFinding => ({
      kind: "task",
      severity: f.severity,
      code: f.code,
      detail: f.detail,
      ageMs: f.ageMs,
      status: f.task.status,
      token: f.task.taskId,
      task: f.task,
    })),
    ...forFlows.map((f): SystemFinding => ({
      kind: "task_flow",
      severity: f.severity,
      code: f.code,
      detail: f.detail,
      ageMs: f.ageMs,
      status: f.flow?.status ?? "n/a",
      token: f.flow?.flowId,
      ...(f.flow ? { flow: f.flow } : {}),
    })),
  ];
  const createdAt = (f: SystemFinding) => f.task?.createdAt ?? f.flow?.createdAt ?? 0;
  const filtered = all.filter((f) =>
    (!filter.severity || f.severity === filter.severity) && (!filter.code || f.code === filter.code)
  ).toSorted((a, b) => compareFindings({ ...a, createdAt: createdAt(a) }, { ...b, createdAt: createdAt(b) }));
  return {
    filtered,
    summary: {
      total: all.length,
      errors: all.filter((f) => f.severity === "error").length,
      warnings: all.filter((f) => f.severity !== "error").length,
      tasks: summarizeFindings(forTasks, TASK_AUDIT_CODES),
      taskFlows: summarizeFindings(forFlows, FLOW_AUDIT_CODES),
    },
  };
}
