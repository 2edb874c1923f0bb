// `openclaw tasks …`: the thin shell over the pure views. It finds the state dir, reads the ledger
// read-only, prints what a view says, and does the few writes the reference's CLI does itself (notify
// policy, maintenance --apply, offline cancels) in short write transactions beside a running gateway.
// Cancelling a gateway-owned task, and retrying or dismissing a completion delivery, go through the
// running gateway (`tasks.cancel`, `tasks.retry`, `tasks.dismiss`), as the reference does.
import type { GlobalOptions } from "../main.ts";
import { printError, printFailureBlock, printJson, printLine } from "../output.ts";
import { auditLimit, auditView } from "./tasks_audit_view.ts";
import { TasksCliError } from "./tasks_cli_error.ts";
import { flowListView, flowShowView } from "./tasks_flow_views.ts";
import { readLedger } from "./tasks_ledger.ts";
import { inspectLedger } from "./tasks_source.ts";
import { stateDirOf } from "./state_dir_of.ts";
import { cliWriteAccess, isFenceRefusal } from "./state_write_access.ts";
import type { StateDbAccess } from "../../state/state_write_fence.ts";
import { listView, showView, type TasksView } from "./tasks_views.ts";

/** Prints a view; its exit code. */
export function printView(view: TasksView): number {
  for (const line of view.err) printError(line);
  for (const line of view.out) printLine(line);
  if (view.json !== undefined) printJson(view.json);
  return view.code;
}

/** A refusal before any work, as the reference prints one: the message alone on stderr, exit 1. */
export function refuse(message: string): number {
  printError(message);
  return 1;
}

/**
 * Runs a view builder; a {@link TasksCliError} becomes the reference's refusal: its message on stderr, or
 * with `--json` the JSON failure envelope on stdout and the generic failure block on stderr.
 */
function guarded(build: () => TasksView, json?: boolean): number {
  try {
    return printView(build());
  } catch (error) {
    if (!(error instanceof TasksCliError)) throw error;
    if (!json) return refuse(error.message);
    printJson({ ok: false, error: { type: "cli_error", message: error.message } });
    printFailureBlock(error.message);
    return 1;
  }
}

/**
 * Runs a `tasks` command that writes shared state once the ownership fence admits it. A refusal reads as
 * the reference's (its task registry restore is refused first): two lines on stderr, or with `--json` its
 * first line, the JSON failure envelope and the generic failure block.
 */
async function fenced(
  options: GlobalOptions & { json?: boolean },
  run: (access: StateDbAccess) => Promise<number> | number,
): Promise<number> {
  const access = cliWriteAccess();
  const { checkStateWritable } = await import("../../state/state_db_existing.ts");
  try {
    checkStateWritable(stateDirOf(options), access);
  } catch (error) {
    if (!isFenceRefusal(error)) throw error;
    const reason = `Task registry restore failed: ${error.message}`;
    printError(`[tasks/registry] Failed to restore task registry: ${error.message}`);
    if (!options.json) return refuse(reason);
    printJson({ ok: false, error: { type: "cli_error", message: reason } });
    printFailureBlock(reason);
    return 1;
  }
  return await run(access);
}

/** The reference's refusal of parent flags a subcommand does not take. */
export function refuseInherited(leaf: string, flags: string[]): number {
  return refuse(
    `\`tasks ${leaf}\` does not support inherited ${flags.length === 1 ? "option" : "options"} ${flags.join(", ")}.`,
  );
}

/** `tasks` / `tasks list`. */
export function tasksList(options: GlobalOptions & { json?: boolean; runtime?: string; status?: string }): number {
  return guarded(() => listView(inspectLedger(stateDirOf(options)), options), options.json);
}

/** `tasks show <lookup>`. */
export function tasksShow(options: GlobalOptions & { json?: boolean; lookup: string }): number {
  return guarded(() => showView(inspectLedger(stateDirOf(options)), options), options.json);
}

/** `tasks audit`. */
export function tasksAudit(
  options: GlobalOptions & { json?: boolean; severity?: string; code?: string; limit?: string },
): number {
  return guarded(() => {
    const limit = auditLimit(options.limit);
    return auditView(inspectLedger(stateDirOf(options)), { ...options, limit }, Date.now());
  }, options.json);
}

/** `tasks maintenance [--apply]`. */
export async function tasksMaintenance(options: GlobalOptions & { json?: boolean; apply?: boolean }): Promise<number> {
  const { runMaintenance } = await import("./tasks_maintenance.ts");
  // A dry run only reads; --apply writes the ledger.
  if (!options.apply) return guarded(() => runMaintenance(stateDirOf(options), options, Date.now()), options.json);
  return await fenced(
    options,
    (access) => guarded(() => runMaintenance(stateDirOf(options), { ...options, access }, Date.now()), options.json),
  );
}

/** `tasks notify <lookup> <policy>`. */
export async function tasksNotify(options: GlobalOptions & { lookup: string; notify: string }): Promise<number> {
  const { setNotifyPolicy } = await import("./tasks_writes.ts");
  return await fenced(options, (access) =>
    printView(
      setNotifyPolicy(stateDirOf(options), { lookup: options.lookup, policy: options.notify, now: Date.now(), access }),
    ));
}

/** `tasks cancel <lookup>`. */
export async function tasksCancel(options: GlobalOptions & { lookup: string }): Promise<number> {
  const { cancelTask } = await import("./tasks_cancel.ts");
  return await fenced(options, async () => printView(await cancelTask(options, options.lookup)));
}

/** `tasks retry|dismiss <lookups...>`. */
export async function tasksRecovery(
  action: "retry" | "dismiss",
  options: GlobalOptions & { lookups: string[] },
): Promise<number> {
  const { recoverDeliveries } = await import("./tasks_cancel.ts");
  return await fenced(options, async () => printView(await recoverDeliveries(action, options, options.lookups)));
}

/** `tasks flow list`. */
export function flowList(options: GlobalOptions & { json?: boolean; status?: string }): number {
  return guarded(() => flowListView(readLedger(stateDirOf(options)), options), options.json);
}

/** `tasks flow show <lookup>`. */
export function flowShow(options: GlobalOptions & { json?: boolean; lookup: string }): number {
  return guarded(() => flowShowView(readLedger(stateDirOf(options)), options), options.json);
}

/** `tasks flow cancel <lookup>`. */
export async function flowCancel(options: GlobalOptions & { lookup: string }): Promise<number> {
  const { cancelFlow } = await import("./tasks_writes.ts");
  return await fenced(
    options,
    (access) => printView(cancelFlow(stateDirOf(options), { lookup: options.lookup, now: Date.now(), access })),
  );
}
