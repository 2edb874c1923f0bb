// What `openclaw tasks flow list|show` prints, as the reference prints it.
import { findFlow, type Ledger, tasksOfFlow } from "./tasks_ledger.ts";
import { displayStatus, type FlowRecord, isTerminalFlow, TASK_FLOW_STATUSES } from "./tasks_records.ts";
import { enumFilter } from "./tasks_cli_error.ts";
import { flowLookupMiss, isIssue, isoOrNa, taskDetail, terminalText, textCell, truncateText } from "./tasks_text.ts";
import { failure, jsonView, lines, summarizeTasks, type TasksView } from "./tasks_views.ts";

/** Display text of a flow field: sanitized, trimmed, optionally cut; `n/a` when empty. */
function flowText(value: string | undefined, max?: number): string {
  const text = terminalText(value ?? "").trim();
  if (!text) return "n/a";
  return max === undefined ? text : truncateText(text, max);
}

function flowRows(ledger: Ledger, flows: readonly FlowRecord[]): string[] {
  const header = [
    "TaskFlow".padEnd(10),
    "Mode".padEnd(14),
    "Status".padEnd(10),
    "Rev".padEnd(6),
    "Controller".padEnd(20),
    "Tasks".padEnd(14),
    "Goal",
  ].join(" ");
  return [
    header,
    ...flows.map((flow) => {
      const tasks = tasksOfFlow(ledger.tasks, flow.flowId);
      const active = tasks.filter((task) => task.status === "queued" || task.status === "running").length;
      return [
        flowText(flow.flowId.trim(), 10).padEnd(10),
        flow.syncMode.padEnd(14),
        flow.status.padEnd(10),
        String(flow.revision).padEnd(6),
        textCell(flowText(flow.controllerId), 20),
        `${active} active/${tasks.length} total`.padEnd(14),
        flowText(flow.goal, 80),
      ].join(" ");
    }),
  ];
}

function pressure(flows: readonly FlowRecord[]): string {
  const count = (test: (flow: FlowRecord) => boolean) => flows.filter(test).length;
  const active = count((f) => f.status === "queued" || f.status === "running");
  const waiting = count((f) => f.status === "waiting");
  const blocked = count((f) => f.status === "blocked");
  const issues = count((f) => f.status === "failed" || f.status === "lost");
  const cancelRequested = count((f) => f.cancelRequestedAt != null && !isTerminalFlow(f));
  return `${active} active${waiting ? ` · ${waiting} waiting` : ""} · ${blocked} blocked${
    issues ? ` · ${issues} issues` : ""
  } · ${cancelRequested} cancel-requested · ${flows.length} total`;
}

function withTasks(ledger: Ledger, flow: FlowRecord) {
  const tasks = tasksOfFlow(ledger.tasks, flow.flowId);
  return { ...flow, tasks, taskSummary: summarizeTasks(tasks) };
}

/** `tasks flow list [--status] [--json]`. */
export function flowListView(ledger: Ledger, options: { status?: string; json?: boolean }): TasksView {
  const status = enumFilter(options.status, "--status", TASK_FLOW_STATUSES);
  const flows = ledger.flows.filter((flow) => !status || flow.status === status);
  if (options.json) {
    return jsonView({
      count: flows.length,
      status: status ?? null,
      flows: flows.map((flow) => withTasks(ledger, flow)),
    });
  }
  const out = [
    `TaskFlows: ${flows.length}`,
    `TaskFlow pressure: ${pressure(flows)}`,
    ...(status ? [`Status filter: ${terminalText(status)}`] : []),
  ];
  if (flows.length === 0) {
    return lines([...out, "No TaskFlows found. Run openclaw tasks list to inspect standalone background tasks."]);
  }
  return lines([...out, ...flowRows(ledger, flows)]);
}

function waitSummary(wait: unknown): string {
  if (wait == null) return "n/a";
  if (typeof wait !== "object") return String(wait);
  if (Array.isArray(wait)) return `array(${wait.length})`;
  return Object.keys(wait).toSorted().join(", ") || "object";
}

function stateSummary(flow: FlowRecord): string | undefined {
  if (flow.status === "blocked") {
    return flow.blockedSummary || (flow.blockedTaskId ? `blocked by ${flow.blockedTaskId}` : "blocked");
  }
  if (flow.status === "waiting" && flow.waitJson != null) return waitSummary(flow.waitJson);
  return undefined;
}

/** `tasks flow show <lookup> [--json]`: by flow id or owner key. */
export function flowShowView(ledger: Ledger, options: { lookup: string; json?: boolean }): TasksView {
  const flow = findFlow(ledger.flows, options.lookup);
  if (!flow) return failure(flowLookupMiss(options.lookup), options.json);
  const shown = withTasks(ledger, flow);
  if (options.json) return jsonView(shown);
  const state = stateSummary(flow);
  const { tasks, taskSummary } = shown;
  const out = [
    "TaskFlow:",
    `flowId: ${flow.flowId}`,
    `status: ${flow.status}`,
    `goal: ${flowText(flow.goal)}`,
    `currentStep: ${flowText(flow.currentStep)}`,
    `owner: ${flowText(flow.ownerKey)}`,
    `notify: ${flow.notifyPolicy}`,
    ...(state ? [`state: ${flowText(state)}`] : []),
    ...(flow.cancelRequestedAt ? [`cancelRequestedAt: ${isoOrNa(flow.cancelRequestedAt)}`] : []),
    `createdAt: ${isoOrNa(flow.createdAt)}`,
    `updatedAt: ${isoOrNa(flow.updatedAt)}`,
    `endedAt: ${isoOrNa(flow.endedAt)}`,
    `tasks: ${taskSummary.total} total · ${taskSummary.active} active · ${tasks.filter(isIssue).length} issues`,
  ].map(terminalText);
  if (tasks.length === 0) return lines([...out, "Linked tasks: none"]);
  return lines([
    ...out,
    "Linked tasks:",
    ...tasks.map((task) => {
      const detail = taskDetail(task);
      return terminalText(
        `- ${task.taskId} ${displayStatus(task)} ${flowText(task.runId)} ${flowText(task.label ?? task.task)}${
          detail ? ` · ${flowText(detail)}` : ""
        }`,
      );
    }),
  ]);
}
