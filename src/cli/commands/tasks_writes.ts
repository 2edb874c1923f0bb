// The ledger writes `openclaw tasks` makes itself, as the reference's CLI makes them: a task's notify
// policy, and a TaskFlow's cancellation. Each is one `BEGIN IMMEDIATE` transaction that reads the row
// again under the write lock, so a gateway writing the same database meanwhile is never overwritten.
import type { DatabaseSync } from "node:sqlite";
import { immediate } from "../../state/immediate.ts";
import { openExistingStateDb } from "../../state/state_db_existing.ts";
import type { StateDbAccess } from "../../state/state_write_fence.ts";
import { findFlow, findTask, readLedgerFrom } from "./tasks_ledger.ts";
import { reconcileForInspection } from "./tasks_inspect.ts";
import { type FlowRecord, flowRecordOf, isTerminalFlow, isTerminalStatus } from "./tasks_records.ts";
import { flowLookupMiss, taskLookupMiss, terminalText } from "./tasks_text.ts";
import { failure, lines, type TasksView } from "./tasks_views.ts";

/** Runs `body` on the state database opened read-write (fenced for `access`); undefined when it does not exist. */
function withStateDb<T>(stateDir: string, access: StateDbAccess, body: (db: DatabaseSync) => T): T | undefined {
  const db = openExistingStateDb(stateDir, access);
  if (!db) return undefined;
  try {
    return body(db);
  } finally {
    db.close();
  }
}

/** `tasks notify <lookup> <policy>`: the policy must be one of the three the reference knows. */
export function setNotifyPolicy(
  stateDir: string,
  change: { lookup: string; policy: string; now: number; access?: StateDbAccess },
): TasksView {
  const { lookup, policy, now } = change;
  if (!["done_only", "state_changes", "silent"].includes(policy)) {
    return failure("Notify policy must be done_only, state_changes, or silent.");
  }
  const updated = withStateDb(stateDir, change.access ?? "write", (db) =>
    immediate(db, () => {
      const task = findTask(reconcileForInspection(readLedgerFrom(db).tasks), lookup);
      if (!task) return undefined;
      const changes = db.prepare("UPDATE task_runs SET notify_policy = ?, last_event_at = ? WHERE task_id = ?")
        .run(policy, now, task.taskId).changes;
      return Number(changes) > 0 ? task.taskId : undefined;
    }));
  if (!updated) return failure(taskLookupMiss(lookup));
  return lines([terminalText(`Updated ${updated} notify policy to ${policy}.`)]);
}

function readFlow(db: DatabaseSync, flowId: string): FlowRecord | undefined {
  const row = db.prepare("SELECT * FROM flow_runs WHERE flow_id = ?").get(flowId) as
    | Record<string, unknown>
    | undefined;
  return row ? flowRecordOf(row) : undefined;
}

/** Writes a flow's cancel request (once): the next revision, requested and updated now. */
function requestCancel(db: DatabaseSync, flow: FlowRecord, now: number): void {
  if (flow.cancelRequestedAt != null) return;
  db.prepare(
    "UPDATE flow_runs SET cancel_requested_at = ?, updated_at = ?, revision = revision + 1 WHERE flow_id = ? AND revision = ?",
  ).run(now, now, flow.flowId, flow.revision);
}

/**
 * Writes a flow cancelled: no blocking or wait state left, ended and updated now, the next revision. The
 * wait state is stored as JSON `null` (the text), as the reference serializes its cleared value.
 */
function markCancelled(db: DatabaseSync, flowId: string, now: number): void {
  db.prepare(
    `UPDATE flow_runs SET status = 'cancelled', blocked_task_id = NULL, blocked_summary = NULL, wait_json = 'null',
       ended_at = ?, updated_at = ?, revision = revision + 1 WHERE flow_id = ?`,
  ).run(now, now, flowId);
}

/**
 * `tasks flow cancel <lookup>`: a finished flow stays as it is; otherwise the cancel is requested, and the
 * flow is cancelled once none of its tasks still runs (a running agent task can only be stopped by the
 * gateway that owns it, so its flow stays cancel-requested until it ends).
 */
export function cancelFlow(
  stateDir: string,
  request: { lookup: string; now: number; access?: StateDbAccess },
): TasksView {
  const { lookup, now } = request;
  const outcome = withStateDb(stateDir, request.access ?? "write", (db) =>
    immediate(db, (): TasksView => {
      const ledger = readLedgerFrom(db);
      const flow = findFlow(ledger.flows, lookup);
      if (!flow) return failure(flowLookupMiss(lookup));
      if (isTerminalFlow(flow)) return failure(`Flow is already ${flow.status}.`);
      requestCancel(db, flow, now);
      const active = ledger.tasks.filter((task) =>
        task.parentFlowId?.trim() === flow.flowId && !isTerminalStatus(task.status)
      );
      if (active.length > 0) return failure("One or more child tasks are still active.");
      markCancelled(db, flow.flowId, now);
      const updated = readFlow(db, flow.flowId) ?? flow;
      return lines([terminalText(`Cancelled ${updated.flowId} (${updated.syncMode}) with status ${updated.status}.`)]);
    }));
  return outcome ?? failure(flowLookupMiss(lookup));
}
