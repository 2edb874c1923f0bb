// `openclaw tasks maintenance [--apply] [--json]`, as the reference does it: the plan of
// tasks_maintenance_plan.ts is previewed, or applied row by row (each action one `BEGIN IMMEDIATE`
// transaction that re-reads the row and re-decides, so a gateway writing meanwhile is never overwritten),
// then the health before and after is reported in the reference's words and JSON.
import type { DatabaseSync } from "node:sqlite";
import { immediate } from "../../state/immediate.ts";
import { openExistingStateDb } from "../../state/state_db_existing.ts";
import type { StateDbAccess } from "../../state/state_write_fence.ts";
import {
  FLOW_AUDIT_CODES,
  flowFindings,
  retainedLostUntil,
  summarizeFindings,
  TASK_AUDIT_CODES,
  taskFindings,
} from "./tasks_audit_findings.ts";
import { reconcileForInspection } from "./tasks_inspect.ts";
import { type Ledger, readLedger, readLedgerFrom } from "./tasks_ledger.ts";
import {
  countPlan,
  type FlowAction,
  flowAction,
  planFlowMaintenance,
  planTaskMaintenance,
  type TaskAction,
} from "./tasks_maintenance_plan.ts";
import { flowRecordOf, isTerminalStatus, type TaskRecord, taskRecordOf } from "./tasks_records.ts";
import { isoOrNa } from "./tasks_text.ts";
import { jsonView, lines, summarizeTasks, type TasksView } from "./tasks_views.ts";
import { sessionRegistrySweep } from "./tasks_session_sweep.ts";

const STALE_RUNNING_MS = 30 * 60_000;

/** Why an old running task is kept: offline, no runtime can say an agent, cron or ACP task is gone. */
function retentionReason(task: TaskRecord): string {
  if (task.runtime === "cron") return "cron_runtime_not_authoritative";
  if (task.runtime === "acp") return "acp_runtime_not_authoritative";
  if (task.runtime === "cli") return "cli_runtime_not_authoritative";
  return "backing_session_present";
}

/** The JSON diagnostics: every task running for 30 minutes or more, and why it is kept. */
function diagnostics(tasks: readonly TaskRecord[], planned: readonly TaskAction[], now: number) {
  const recovering = new Set(planned.filter((a) => a.kind === "recover").map((a) => a.task.taskId));
  const staleRunningTasks = tasks.flatMap((task) => {
    if (task.status !== "running") return [];
    const ageMs = Math.max(0, now - (task.lastEventAt ?? task.startedAt ?? task.createdAt));
    if (ageMs < STALE_RUNNING_MS || recovering.has(task.taskId)) return [];
    return [{
      taskId: task.taskId,
      runtime: task.runtime,
      status: task.status,
      decision: "retained",
      reason: retentionReason(task),
      ageMs,
      ...(task.childSessionKey ? { childSessionKey: task.childSessionKey } : {}),
      ...(task.runId ? { runId: task.runId } : {}),
    }];
  });
  return { staleRunningTasks };
}

function auditSummaries(ledger: Ledger, now: number) {
  const tasks = summarizeFindings(taskFindings(ledger.tasks, now), TASK_AUDIT_CODES);
  const flows = summarizeFindings(flowFindings(ledger.flows, ledger.tasks, now), FLOW_AUDIT_CODES);
  return { tasks, flows };
}

function readTask(db: DatabaseSync, taskId: string): TaskRecord | undefined {
  const row = db.prepare("SELECT * FROM task_runs WHERE task_id = ?").get(taskId) as
    | Record<string, unknown>
    | undefined;
  return row ? taskRecordOf(row) : undefined;
}

/** Applies one task action if, re-read under the write lock, the row still calls for it. */
function applyTaskAction(db: DatabaseSync, action: TaskAction, now: number): boolean {
  return immediate(db, () => {
    const current = readTask(db, action.task.taskId);
    if (!current) return false;
    const fresh = planTaskMaintenance(
      [current, ...readLedgerFrom(db).tasks.filter((t) => t.taskId !== current.taskId)],
      now,
    ).find((a) => a.task.taskId === current.taskId);
    if (!fresh || fresh.kind !== action.kind) return false;
    if (fresh.kind === "prune") {
      return Number(db.prepare("DELETE FROM task_runs WHERE task_id = ?").run(current.taskId).changes) > 0;
    }
    if (fresh.kind === "stamp") {
      return Number(
        db.prepare("UPDATE task_runs SET cleanup_after = ? WHERE task_id = ? AND cleanup_after IS NULL")
          .run(fresh.cleanupAfter, current.taskId).changes,
      ) > 0;
    }
    const r = fresh.recovery;
    return Number(
      db.prepare(
        `UPDATE task_runs SET status = ?, ended_at = ?, last_event_at = ?, error = ?,
           terminal_summary = COALESCE(?, terminal_summary), detail_json = COALESCE(?, detail_json),
           cleanup_after = COALESCE(cleanup_after, ?) WHERE task_id = ?`,
      ).run(
        r.status,
        r.endedAt,
        r.lastEventAt,
        r.error ?? null,
        r.terminalSummary ?? null,
        r.detail === undefined ? null : JSON.stringify(r.detail),
        r.endedAt + 7 * 24 * 3_600_000,
        current.taskId,
      ).changes,
    ) > 0;
  });
}

/** Applies one flow action if the flow is unchanged (same revision) and still calls for it. */
function applyFlowAction(db: DatabaseSync, action: FlowAction, now: number): boolean {
  return immediate(db, () => {
    const row = db.prepare("SELECT * FROM flow_runs WHERE flow_id = ?").get(action.flow.flowId) as
      | Record<string, unknown>
      | undefined;
    if (!row) return false;
    const flow = flowRecordOf(row);
    if (flow.revision !== action.flow.revision) return false;
    const pending = () =>
      readLedgerFrom(db).tasks.some((task) =>
        task.parentFlowId?.trim() === flow.flowId && !isTerminalStatus(task.status)
      );
    const fresh = flowAction(flow, now, pending);
    if (!fresh || fresh.kind !== action.kind) return false;
    if (fresh.kind === "prune") {
      return Number(db.prepare("DELETE FROM flow_runs WHERE flow_id = ?").run(flow.flowId).changes) > 0;
    }
    const patch = fresh.patch;
    const cancelled = fresh.kind === "cancel";
    return Number(
      db.prepare(
        `UPDATE flow_runs SET status = ?, blocked_task_id = ?, blocked_summary = ?, wait_json = ?, ended_at = ?,
           updated_at = ?, revision = revision + 1 WHERE flow_id = ? AND revision = ?`,
      ).run(
        cancelled ? "cancelled" : flow.status,
        cancelled ? null : flow.blockedTaskId ?? null,
        cancelled ? null : flow.blockedSummary ?? null,
        // A cancel stores the cleared wait state as JSON `null` (the text), as the reference does.
        cancelled ? "null" : flow.waitJson === undefined ? null : JSON.stringify(flow.waitJson),
        patch.endedAt ?? flow.endedAt ?? null,
        patch.updatedAt,
        flow.flowId,
        flow.revision,
      ).changes,
    ) > 0;
  });
}

function inspected(ledger: Ledger): Ledger {
  return { ...ledger, tasks: reconcileForInspection(ledger.tasks) };
}

/** Runs `tasks maintenance` on a state dir at `now`. */
export function runMaintenance(
  stateDir: string,
  options: { json?: boolean; apply?: boolean; access?: StateDbAccess },
  now: number,
): TasksView {
  const raw = readLedger(stateDir);
  const before = auditSummaries(inspected(raw), now);
  const taskPlan = planTaskMaintenance(raw.tasks, now);
  const flowPlan = planFlowMaintenance(raw.flows, raw.tasks, now);
  let counts = countPlan(taskPlan, flowPlan);
  if (options.apply && (taskPlan.length > 0 || flowPlan.length > 0)) {
    const db = openExistingStateDb(stateDir, options.access ?? "write");
    if (db) {
      try {
        const doneTasks = taskPlan.filter((action) => applyTaskAction(db, action, now));
        const doneFlows = flowPlan.filter((action) => applyFlowAction(db, action, now));
        counts = countPlan(doneTasks, doneFlows);
      } finally {
        db.close();
      }
    }
  }
  const sessions = sessionRegistrySweep({ apply: options.apply === true });
  const after = options.apply ? inspected(readLedger(stateDir)) : inspected(raw);
  const summary = summarizeTasks(after.tasks);
  const auditAfter = options.apply ? auditSummaries(after, now) : before;
  const retained = after.tasks.map((task) => retainedLostUntil(task, now)).filter((at) => at !== undefined);
  if (options.json) {
    return jsonView({
      mode: options.apply ? "apply" : "preview",
      maintenance: { tasks: counts.tasks, taskFlows: counts.taskFlows, sessions },
      tasks: summary,
      diagnostics: diagnostics(raw.tasks, taskPlan, now),
      auditBefore: { ...before.tasks, taskFlows: before.flows },
      auditAfter: { ...auditAfter.tasks, taskFlows: auditAfter.flows },
    });
  }
  const t = counts.tasks;
  const f = counts.taskFlows;
  const out = [
    `Tasks maintenance (${
      options.apply ? "applied" : "preview"
    }): tasks ${t.reconciled} reconcile · ${t.recovered} recovered · ${t.cleanupStamped} cleanup stamp · ${t.pruned} prune; task-flows ${f.reconciled} reconcile · ${f.pruned} prune`,
    sessions.skippedReason
      ? `Session registry: sweep skipped (${sessions.skippedReason})`
      : `Session registry: ${sessions.pruned} prune · ${sessions.runningCronJobs} running automations · ${sessions.skippedStores} skipped ${
        sessions.skippedStores === 1 ? "store" : "stores"
      }`,
    `${
      options.apply ? "Tasks health after apply" : "Tasks health"
    }: ${summary.byStatus.queued} queued · ${summary.byStatus.running} running · ${
      auditAfter.tasks.errors + auditAfter.flows.errors
    } audit errors · ${auditAfter.tasks.warnings + auditAfter.flows.warnings} audit warnings`,
    ...(retained.length > 0
      ? [
        `Retained lost tasks: ${retained.length} retained until ${
          isoOrNa(Math.min(...retained))
        }; maintenance will prune after cleanupAfter.`,
      ]
      : []),
    ...(options.apply
      ? [
        `Tasks health before apply: ${before.tasks.errors + before.flows.errors} audit errors · ${
          before.tasks.warnings + before.flows.warnings
        } audit warnings`,
      ]
      : ["Dry run only. Re-run with `openclaw tasks maintenance --apply` to write changes."]),
  ];
  return lines(out);
}
