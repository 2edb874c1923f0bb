// What `openclaw tasks`, `tasks list` and `tasks show` print, as the reference prints it: pure renderers
// from the ledger to lines (or the JSON value) and an exit code. The shell (tasks.ts) reads and prints.
import { findTask, type Ledger } from "./tasks_ledger.ts";
import {
  displayStatus,
  matchesStatusFilter,
  TASK_RUNTIMES,
  TASK_STATUS_FILTERS,
  type TaskRecord,
} from "./tasks_records.ts";
import { isIssue, isoOrNa, taskDetail, taskLookupMiss, terminalText, tokenCell, truncateText } from "./tasks_text.ts";
import { enumFilter } from "./tasks_cli_error.ts";

/** What a command prints: stdout lines, stderr lines, or a JSON value on stdout; and its exit code. */
export interface TasksView {
  out: string[];
  err: string[];
  json?: unknown;
  code: number;
}

/** A view that prints lines and succeeds. */
export function lines(out: string[]): TasksView {
  return { out, err: [], code: 0 };
}

/** A view that prints a JSON value and succeeds. */
export function jsonView(value: unknown): TasksView {
  return { out: [], err: [], json: value, code: 0 };
}

/** A failing view: the message on stderr, or as the reference's JSON failure envelope. */
export function failure(message: string, json = false): TasksView {
  return json
    ? { out: [], err: [], json: { ok: false, error: { type: "cli_error", message } }, code: 1 }
    : { out: [], err: [message], code: 1 };
}

/** Counts of tasks by status and runtime, as the reference's summary keys them. */
export function summarizeTasks(tasks: readonly TaskRecord[]) {
  const byStatus: Record<string, number> = {
    queued: 0,
    running: 0,
    succeeded: 0,
    failed: 0,
    "timed_out": 0,
    cancelled: 0,
    lost: 0,
  };
  const byRuntime: Record<string, number> = { subagent: 0, acp: 0, cli: 0, cron: 0 };
  const summary = { total: 0, active: 0, terminal: 0, failures: 0, byStatus, byRuntime };
  for (const task of tasks) {
    summary.total += 1;
    byStatus[task.status] = (byStatus[task.status] ?? 0) + 1;
    byRuntime[task.runtime] = (byRuntime[task.runtime] ?? 0) + 1;
    if (task.status === "queued" || task.status === "running") summary.active += 1;
    else summary.terminal += 1;
    if (["failed", "timed_out", "lost"].includes(task.status)) summary.failures += 1;
  }
  return summary;
}

function taskRows(tasks: readonly TaskRecord[]): string[] {
  const header = [
    "Task".padEnd(10),
    "Kind".padEnd(8),
    "Status".padEnd(10),
    "Delivery".padEnd(14),
    "Run".padEnd(10),
    "Child Session".padEnd(36),
    "Summary",
  ].join(" ");
  return [
    header,
    ...tasks.map((task) =>
      [
        tokenCell(task.taskId),
        task.runtime.padEnd(8),
        displayStatus(task).padEnd(10),
        task.deliveryStatus.padEnd(14),
        tokenCell(task.runId),
        tokenCell(task.childSessionKey, 36),
        truncateText(terminalText(taskDetail(task) || task.label?.trim() || task.task.trim()), 80),
      ].join(" ").trimEnd()
    ),
  ];
}

/** `tasks [list] [--runtime] [--status] [--json]`. */
export function listView(ledger: Ledger, options: { runtime?: string; status?: string; json?: boolean }): TasksView {
  const runtime = enumFilter(options.runtime, "--runtime", TASK_RUNTIMES);
  const status = enumFilter(options.status, "--status", TASK_STATUS_FILTERS);
  const tasks = ledger.tasks.filter((task) =>
    (!runtime || task.runtime === runtime) && (!status || matchesStatusFilter(task, status))
  );
  if (options.json) return jsonView({ count: tasks.length, runtime: runtime ?? null, status: status ?? null, tasks });
  const summary = summarizeTasks(tasks);
  const out = [
    `Background tasks: ${tasks.length}`,
    `Task pressure: ${summary.byStatus.queued} queued · ${summary.byStatus.running} running · ${
      tasks.filter(isIssue).length
    } issues`,
    ...(runtime ? [`Runtime filter: ${terminalText(runtime)}`] : []),
    ...(status ? [`Status filter: ${terminalText(status)}`] : []),
  ];
  if (tasks.length === 0) {
    return lines([...out, "No background tasks found. Run openclaw tasks audit to check for stale task state."]);
  }
  return lines([...out, ...taskRows(tasks)]);
}

/** The `tasks show` lines of one task. */
export function showLines(task: TaskRecord): string[] {
  const text = [
    "Background task:",
    `taskId: ${task.taskId}`,
    `kind: ${task.runtime}`,
    `sourceId: ${task.sourceId ?? "n/a"}`,
    `status: ${displayStatus(task)}`,
    `result: ${task.terminalOutcome ?? "n/a"}`,
    `delivery: ${task.deliveryStatus}`,
    `notify: ${task.notifyPolicy}`,
    `ownerKey: ${task.ownerKey}`,
    `childSessionKey: ${task.childSessionKey ?? "n/a"}`,
    `parentTaskId: ${task.parentTaskId ?? "n/a"}`,
    `agentId: ${task.agentId ?? "n/a"}`,
    `runId: ${task.runId ?? "n/a"}`,
    `label: ${task.label ?? "n/a"}`,
    `task: ${task.task}`,
    `createdAt: ${isoOrNa(task.createdAt)}`,
    `startedAt: ${isoOrNa(task.startedAt)}`,
    `endedAt: ${isoOrNa(task.endedAt)}`,
    `lastEventAt: ${isoOrNa(task.lastEventAt)}`,
    `cleanupAfter: ${isoOrNa(task.cleanupAfter)}`,
    ...(task.error ? [`error: ${task.error}`] : []),
    ...(task.progressSummary ? [`progressSummary: ${task.progressSummary}`] : []),
    ...(task.terminalSummary ? [`terminalSummary: ${task.terminalSummary}`] : []),
  ];
  return text.map(terminalText);
}

/** `tasks show <lookup> [--json]`: by task id, run id or session key. */
export function showView(ledger: Ledger, options: { lookup: string; json?: boolean }): TasksView {
  const task = findTask(ledger.tasks, options.lookup);
  if (!task) return failure(taskLookupMiss(options.lookup), options.json);
  return options.json ? jsonView(task) : lines(showLines(task));
}
