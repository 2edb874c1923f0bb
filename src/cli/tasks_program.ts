// The `openclaw tasks` command tree as the reference 2026.9.6 names it: the listing (`tasks`, `tasks list`,
// sharing --json/--runtime/--status given before or after `list`), `audit`, `maintenance`, `show`,
// `notify`, `cancel`, `retry`, `dismiss` and `tasks flow list|show|cancel`. A subcommand refuses a parent
// flag it does not take, in the reference's words. Each action imports its command file lazily.
import type { Command } from "commander";
import type { GlobalOptions } from "./main.ts";
import { refuseUnknownSubcommand } from "./openclaw_command.ts";

const PARENT_OPTIONS = ["json", "runtime", "status"] as const;
type ParentOption = typeof PARENT_OPTIONS[number];

/** The parent options each subcommand takes (the others are refused when given to `tasks`). */
const LEAF_SUPPORT: Record<string, readonly ParentOption[]> = {
  list: PARENT_OPTIONS,
  audit: ["json"],
  maintenance: ["json"],
  show: ["json"],
  notify: [],
  cancel: [],
  retry: [],
  dismiss: [],
  "flow list": ["json"],
  "flow show": ["json"],
  "flow cancel": [],
};

/** The options a leaf runs with, after the parent's are merged in. */
export interface LeafOptions {
  json?: boolean;
  runtime?: string;
  status?: string;
  /** Parent flags given that the leaf does not take (refused before any work). */
  refused: string[];
}

/** A parent's value of `name` when given on the command line (up to two levels up), as the reference inherits. */
function inherited(command: Command, name: string, cliOnly = false): unknown {
  const own = command.getOptionValueSource(name);
  if (own && own !== "default") return undefined;
  let ancestor = command.parent;
  for (let depth = 0; ancestor && depth < 2; depth += 1, ancestor = ancestor.parent) {
    const source = ancestor.getOptionValueSource(name);
    if (source && source !== "default") return cliOnly && source !== "cli" ? undefined : ancestor.getOptionValue(name);
  }
  return undefined;
}

function leafOptions(command: Command, leaf: string): LeafOptions {
  const supported = LEAF_SUPPORT[leaf] ?? [];
  const refused = PARENT_OPTIONS.filter((name) =>
    !supported.includes(name) && inherited(command, name, true) !== undefined
  )
    .map((name) => `--${name}`);
  const local = (name: string) => {
    const source = command.getOptionValueSource(name);
    return source && source !== "default" ? command.getOptionValue(name) : undefined;
  };
  const resolve = (name: string) => local(name) ?? inherited(command, name);
  const json = resolve("json");
  const runtime = resolve("runtime");
  const status = leaf === "flow list" ? local("status") : resolve("status");
  return {
    ...(typeof json === "boolean" ? { json } : {}),
    ...(typeof runtime === "string" ? { runtime } : {}),
    ...(typeof status === "string" ? { status } : {}),
    refused,
  };
}

function addListOptions(command: Command): Command {
  return command
    .option("--json", "Output as JSON", false)
    .option("--runtime <name>", "Filter by kind (subagent, acp, cron, cli)")
    .option(
      "--status <name>",
      "Filter by status (queued, running, succeeded, failed, timed_out, cancelled, lost, blocked)",
    );
}

/** Adds `openclaw tasks …` to `program`. */
export function addTasksCommands(
  program: Command,
  run: (task: () => Promise<number>) => void,
  globals: () => GlobalOptions,
): void {
  const commands = () => import("./commands/tasks.ts");
  const leaf = (
    command: Command,
    name: string,
    body: (c: Awaited<ReturnType<typeof commands>>, o: LeafOptions) => number | Promise<number>,
  ) =>
    run(async () => {
      const loaded = await commands();
      const options = leafOptions(command, name);
      return options.refused.length > 0 ? loaded.refuseInherited(name, options.refused) : await body(loaded, options);
    });
  const tasks = addListOptions(
    program.command("tasks").description("Inspect durable background tasks and TaskFlow state"),
  )
    // An operand that names no subcommand reaches the action, to be refused in the reference's words.
    .allowExcessArguments(true)
    .enablePositionalOptions()
    .action((options, command: Command) => {
      const operand = command.args[0];
      run(async () =>
        operand !== undefined ? refuseUnknownSubcommand(tasks, operand) : (await commands()).tasksList({
          ...globals(),
          json: options.json,
          runtime: options.runtime,
          status: options.status,
        })
      );
    });
  addListOptions(tasks.command("list").description("List tracked background tasks"))
    .action((_options, command: Command) => leaf(command, "list", (c, o) => c.tasksList({ ...globals(), ...o })));
  tasks.command("audit").description("Show stale or broken background tasks and TaskFlows")
    .option("--json", "Output as JSON", false)
    .option("--severity <level>", "Filter by severity (warn, error)")
    .option(
      "--code <name>",
      "Filter by finding code (stale_queued, stale_running, lost, delivery_failed, missing_cleanup, inconsistent_timestamps, restore_failed, stale_waiting, stale_blocked, cancel_stuck, missing_linked_tasks, blocked_task_missing)",
    )
    .option("--limit <n>", "Limit displayed findings")
    .action((options, command: Command) =>
      leaf(
        command,
        "audit",
        (c, o) =>
          c.tasksAudit({
            ...globals(),
            json: o.json,
            severity: options.severity,
            code: options.code,
            limit: options.limit,
          }),
      )
    );
  tasks.command("maintenance").description("Preview or apply tasks and TaskFlow maintenance")
    .option("--json", "Output as JSON", false)
    .option("--apply", "Apply reconciliation, cleanup stamping, and pruning", false)
    .action((options, command: Command) =>
      leaf(command, "maintenance", (c, o) => c.tasksMaintenance({ ...globals(), json: o.json, apply: options.apply }))
    );
  tasks.command("show").description("Show one background task by task id, run id, or session key")
    .argument("<lookup>", "Task id, run id, or session key")
    .option("--json", "Output as JSON", false)
    .action((lookup: string, _options, command: Command) =>
      leaf(command, "show", (c, o) => c.tasksShow({ ...globals(), json: o.json, lookup }))
    );
  tasks.command("notify").description("Set task notify policy")
    .argument("<lookup>", "Task id, run id, or session key")
    .argument("<notify>", "Notify policy (done_only, state_changes, silent)")
    .action((lookup: string, notify: string, _options, command: Command) =>
      leaf(command, "notify", (c) => c.tasksNotify({ ...globals(), lookup, notify }))
    );
  tasks.command("cancel").description("Cancel a running background task")
    .argument("<lookup>", "Task id, run id, or session key")
    .action((lookup: string, _options, command: Command) =>
      leaf(command, "cancel", (c) => c.tasksCancel({ ...globals(), lookup }))
    );
  for (const action of ["retry", "dismiss"] as const) {
    tasks.command(`${action} <lookups...>`)
      .description(`${action === "retry" ? "Retry" : "Dismiss"} delivery for up to 10 blocked subagent completions`)
      .action((lookups: string[], _options, command: Command) =>
        leaf(command, action, (c) => c.tasksRecovery(action, { ...globals(), lookups }))
      );
  }
  const flow = tasks.command("flow").description("Inspect durable TaskFlow state under tasks")
    .option("--json", "Output as JSON", false)
    .enablePositionalOptions();
  flow.command("list").description("List tracked TaskFlows")
    .option("--json", "Output as JSON", false)
    .option(
      "--status <name>",
      "Filter by status (queued, running, waiting, blocked, succeeded, failed, cancelled, lost)",
    )
    .action((_options, command: Command) => leaf(command, "flow list", (c, o) => c.flowList({ ...globals(), ...o })));
  flow.command("show").description("Show one TaskFlow by flow id or owner key")
    .argument("<lookup>", "Flow id or owner key")
    .option("--json", "Output as JSON", false)
    .action((lookup: string, _options, command: Command) =>
      leaf(command, "flow show", (c, o) => c.flowShow({ ...globals(), json: o.json, lookup }))
    );
  flow.command("cancel").description("Cancel a running TaskFlow")
    .argument("<lookup>", "Flow id or owner key")
    .action((lookup: string, _options, command: Command) =>
      leaf(command, "flow cancel", (c) => c.flowCancel({ ...globals(), lookup }))
    );
}
