// Reading the task ledger offline, as the reference's `openclaw tasks` does: every `task_runs` and
// `flow_runs` row of the global state database, opened read-only (a running gateway keeps writing), and
// the reference's lookups: a task by id, run id or related session key; a flow by id or owner key.
import { DatabaseSync } from "node:sqlite";
import { stateDbPath } from "../../state/state_db_existing.ts";
import { type FlowRecord, flowRecordOf, isTerminalFlow, type TaskRecord, taskRecordOf } from "./tasks_records.ts";

/** The tasks and TaskFlows of a state dir, newest first. */
export interface Ledger {
  tasks: TaskRecord[];
  flows: FlowRecord[];
}

/** How long a read waits out a gateway's write lock. */
const BUSY_TIMEOUT_MS = 5_000;

/** Whether the state database exists (a fresh state dir has an empty ledger, not an error). */
function exists(path: string): boolean {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
}

/** Opens the state database for reading only; undefined when it does not exist. */
export function openLedgerReadOnly(stateDir: string): DatabaseSync | undefined {
  const path = stateDbPath(stateDir);
  if (!exists(path)) return undefined;
  const db = new DatabaseSync(path, { readOnly: true });
  db.exec(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
  return db;
}

/** Every task and flow of an open state database, newest first (ties: the later row first). */
export function readLedgerFrom(db: DatabaseSync): Ledger {
  const tasks = (db.prepare("SELECT * FROM task_runs ORDER BY created_at DESC, rowid DESC").all() as Record<
    string,
    unknown
  >[]).map(taskRecordOf);
  const flows = (db.prepare("SELECT * FROM flow_runs ORDER BY created_at DESC, rowid DESC").all() as Record<
    string,
    unknown
  >[]).map(flowRecordOf);
  return { tasks, flows };
}

/** The ledger of a state dir, read-only; empty when the state database does not exist yet. */
export function readLedger(stateDir: string): Ledger {
  const db = openLedgerReadOnly(stateDir);
  if (!db) return { tasks: [], flows: [] };
  try {
    return readLedgerFrom(db);
  } finally {
    db.close();
  }
}

function relatesToSession(task: TaskRecord, key: string): boolean {
  return [task.requesterSessionKey, task.childSessionKey, task.ownerKey].some((candidate) => candidate?.trim() === key);
}

/**
 * The task a lookup names, in the reference's order: its task id; else the task of that run id (a
 * non-`cli` one first, then the oldest); else the newest task related to that session key.
 */
export function findTask(tasks: readonly TaskRecord[], token: string): TaskRecord | undefined {
  const lookup = token.trim();
  if (!lookup) return undefined;
  const byId = tasks.find((task) => task.taskId === lookup);
  if (byId) return byId;
  const byRun = tasks.filter((task) => task.runId?.trim() === lookup)
    .toSorted((a, b) => Number(a.runtime === "cli") - Number(b.runtime === "cli") || a.createdAt - b.createdAt)[0];
  return byRun ?? tasks.find((task) => relatesToSession(task, lookup));
}

/** The flow a lookup names: its flow id; else the owner's first unfinished flow, else its newest. */
export function findFlow(flows: readonly FlowRecord[], token: string): FlowRecord | undefined {
  const lookup = token.trim();
  if (!lookup) return undefined;
  const byId = flows.find((flow) => flow.flowId === lookup);
  if (byId) return byId;
  const owned = flows.filter((flow) => flow.ownerKey.trim() === lookup);
  return owned.find((flow) => !isTerminalFlow(flow)) ?? owned[0];
}

/** The tasks linked to a flow, newest first. */
export function tasksOfFlow(tasks: readonly TaskRecord[], flowId: string): TaskRecord[] {
  const key = flowId.trim();
  return key ? tasks.filter((task) => task.parentFlowId?.trim() === key) : [];
}
