// `openclaw tasks cancel <lookup>` and `tasks retry|dismiss <lookups...>`, as the reference does them: the
// task is looked up in the ledger, then the running gateway that owns it is asked (`tasks.cancel`,
// `tasks.retry`, `tasks.dismiss`). Without a gateway an agent task cannot be cancelled (only its owner
// can stop the run), a cron task is answered from the ledger, and a delivery cannot be recovered.
import { connectGateway, GatewayTransportError } from "../../client/rpc_client.ts";
import { resolveTarget } from "../../client/target.ts";
import { loadConfig } from "../../config/load.ts";
import { unreachableLines } from "../gateway_failure.ts";
import type { GlobalOptions } from "../main.ts";
import { inspectLedger } from "./tasks_source.ts";
import { stateDirOf } from "./state_dir_of.ts";
import { findTask } from "./tasks_ledger.ts";
import { isTerminalStatus, type TaskRecord } from "./tasks_records.ts";
import { taskLookupMiss, terminalText } from "./tasks_text.ts";
import { failure, lines, type TasksView } from "./tasks_views.ts";

/** What `tasks.cancel` answers (and what the offline path answers in its place). */
export interface CancelResult {
  found: boolean;
  cancelled: boolean;
  reason?: string;
  task?: { taskId?: string; id?: string; runtime?: string; runId?: string };
}

const SCOPES = ["operator.read", "operator.write"];

/**
 * A gateway call that could not be made, its message the reference's (several lines). `expected`: the
 * reference prints it as it is (no credentials, nothing listening), not wrapped in its command's words.
 */
export class TasksGatewayError extends Error {
  /** Names the failure for the exit mapping. */
  override name = "TasksGatewayError";
  /** Whether the reference prints the message alone. */
  readonly expected: boolean;
  /** Builds the failure from the reference's message. */
  constructor(message: string, expected: boolean) {
    super(message);
    this.expected = expected;
  }
}

/** Whether the config turns gateway auth off (then no credentials are needed). */
async function authIsOff(configPath: string): Promise<boolean> {
  try {
    const { config } = await loadConfig(configPath, Deno.env.toObject());
    return (config as { gateway?: { auth?: { mode?: unknown } } }).gateway?.auth?.mode === "none";
  } catch {
    return false;
  }
}

/**
 * One request to the running gateway the config names (and `--profile`/`--dev`). As the reference, it
 * refuses before connecting when it has no credentials to send.
 */
export async function callGateway<T>(
  options: GlobalOptions,
  method: string,
  params: unknown,
  timeoutMs: number,
): Promise<T> {
  const target = await resolveTarget({ profile: options.profile, dev: options.dev }, Deno.env.toObject());
  if (!target.token && !target.password && !(await authIsOff(target.configPath))) {
    throw new TasksGatewayError(
      [
        `gateway ${method} requires credentials before opening a websocket`,
        "Fix: configure gateway.auth token/password, pair this device, or pass --token/--password.",
        `Config: ${target.configPath}`,
      ].join("\n"),
      true,
    );
  }
  let connection;
  try {
    connection = await connectGateway(target, { scopes: SCOPES, timeoutMs });
  } catch (error) {
    if (error instanceof GatewayTransportError) {
      throw new TasksGatewayError(unreachableLines(error, target).join("\n"), true);
    }
    throw error;
  }
  try {
    return await connection.request<T>(method, params, timeoutMs);
  } finally {
    connection.close();
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The gateway's answer; undefined for a cron task the gateway could not be asked about. */
async function cancelViaGateway(options: GlobalOptions, task: TaskRecord): Promise<CancelResult | undefined> {
  try {
    return await callGateway<CancelResult>(
      options,
      "tasks.cancel",
      { taskId: task.taskId },
      task.runtime === "cli" ? 15_000 : 5_000,
    );
  } catch (error) {
    if (task.runtime === "cron") return undefined;
    return {
      found: true,
      cancelled: false,
      reason: `${task.runtime.toUpperCase()} task cancellation requires the live Gateway tasks.cancel path: ${
        messageOf(error)
      }`,
      task,
    };
  }
}

/**
 * The reference's own answer for a task no gateway could cancel: a finished task is final, and an
 * automation run has no cancellation handle outside the gateway that runs it.
 */
export function cancelOffline(task: TaskRecord): CancelResult {
  if (isTerminalStatus(task.status)) {
    return { found: true, cancelled: false, reason: "Task is already terminal.", task };
  }
  if (task.runtime === "cron") {
    return { found: true, cancelled: false, reason: "Cron task has no active cancellation handle.", task };
  }
  return {
    found: true,
    cancelled: false,
    reason: "Task has no live run owner. Use openclaw tasks audit to inspect its state.",
    task,
  };
}

/** `tasks cancel <lookup>`. */
export async function cancelTask(options: GlobalOptions, lookup: string): Promise<TasksView> {
  const task = findTask(inspectLedger(stateDirOf(options)).tasks, lookup);
  if (!task) return failure(taskLookupMiss(lookup));
  const result = await cancelViaGateway(options, task) ?? cancelOffline(task);
  if (!result.found) return failure(terminalText(result.reason ?? taskLookupMiss(lookup)));
  if (!result.cancelled) return failure(terminalText(result.reason ?? `Could not cancel task: ${lookup}`));
  const updated = result.task;
  const runId = updated?.runId;
  return lines([
    terminalText(
      `Cancelled ${updated?.taskId ?? updated?.id ?? task.taskId} (${updated?.runtime ?? task.runtime})${
        runId ? ` run ${runId}` : ""
      }.`,
    ),
  ]);
}

/** `tasks retry|dismiss <lookups...>`: at most ten, every one found, then one gateway call. */
export async function recoverDeliveries(
  action: "retry" | "dismiss",
  options: GlobalOptions,
  lookups: string[],
): Promise<TasksView> {
  if (lookups.length > 10) return failure("At most 10 task deliveries can be recovered per request.");
  const tasks = inspectLedger(stateDirOf(options)).tasks;
  const found: TaskRecord[] = [];
  for (const lookup of lookups) {
    const task = findTask(tasks, lookup);
    if (!task) return failure(taskLookupMiss(lookup));
    found.push(task);
  }
  let answer: { results?: { taskId?: string; ok?: boolean; reason?: string }[] };
  try {
    answer = await callGateway(options, `tasks.${action}`, { taskIds: found.map((task) => task.taskId) }, 10_000);
  } catch (error) {
    if (error instanceof TasksGatewayError && error.expected) return failure(error.message);
    return failure(terminalText(`Task delivery ${action} requires a live Gateway: ${messageOf(error)}`));
  }
  const failures = answer.results?.filter((result) => result.ok !== true) ?? [];
  if (failures.length > 0) {
    return {
      out: [],
      err: failures.map((f) => terminalText(`${f.taskId ?? "task"}: ${f.reason ?? `${action} failed`}`)),
      code: 1,
    };
  }
  const plural = found.length === 1 ? "completion delivery" : "completion deliveries";
  return lines([
    terminalText(
      `${action === "retry" ? "Retried" : "Dismissed"} ${found.length} ${plural}.${
        action === "retry" ? " Ambiguous prior acknowledgements may still produce a duplicate visible result." : ""
      }`,
    ),
  ]);
}
