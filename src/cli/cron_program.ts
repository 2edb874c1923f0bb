// The `openclaw cron` command tree (alias `automations`), with the reference's subcommands and
// flags; each action imports cli/commands/cron.ts lazily. Connection flags may come before or
// after the subcommand, as in the reference.
import type { Command } from "commander";
import type { GlobalOptions } from "./main.ts";

function addConnectionOptions(command: Command): Command {
  return command
    .option("--url <url>", "Gateway WebSocket URL (defaults to gateway.remote.url when configured)")
    .option("--port <port>", "Local Gateway port")
    .option("--token <token>", "Gateway token (if required)")
    .option("--password <password>", "Gateway password (if required)")
    .option("--timeout <ms>", "Timeout in ms", "30000")
    .option("--json", "Output JSON");
}

function addMutationOptions(command: Command, create: boolean): Command {
  return command
    .option("--name <name>", "Job name")
    .option("--display-name <name>", "Human-readable job label")
    .option("--description <text>", "Job description")
    .option("--delete-after-run", "Delete one-shot after successful completion")
    .option("--keep-after-run", "Keep one-shot job after it succeeds")
    .option("--agent <id>", "Agent id for this job")
    .option("--session <target>", "Session target (main|isolated|current|session:<id>)")
    .option("--session-key <key>", "Session key for job routing")
    .option("--wake <mode>", "Wake mode (now|next-heartbeat)")
    .option("--at <when>", "One-shot time (ISO, offset-less uses --tz) or duration like 20m")
    .option("--every <duration>", "Interval duration (e.g. 10m, 1h)")
    .option("--cron <expr>", "Cron expression (5-field or 6-field with seconds)")
    .option("--tz <iana>", "Timezone for cron expressions (IANA)")
    .option("--stagger <duration>", "Cron stagger window (e.g. 30s, 5m)")
    .option("--exact", "Disable cron staggering (set stagger to 0)")
    .option("--system-event <text>", "System event payload (main session)")
    .option("--message <text>", "Agent message payload")
    .option("--thinking <level>", "Thinking level for agent jobs")
    .option("--model <model>", "Model override for agent jobs (provider/model or alias)")
    .option("--fallbacks <list>", "Fallback model list for agent jobs")
    .option(
      "--timeout-seconds <n>",
      "Timeout seconds for agent jobs (non-negative integer; 0 disables scheduler timeout)",
    )
    .option("--light-context", "Use lightweight bootstrap context for agent jobs")
    .option("--tools <list>", 'Tool allow-list (e.g. exec,read or exec read; "" disables all tools)')
    .option("--announce", "Fallback-deliver final text to a chat")
    .option("--deliver", "Deprecated (use --announce). Fallback-delivers final text to a chat.")
    .option("--no-deliver", "Disable runner fallback delivery")
    .option("--webhook <url>", "POST the finished payload to a webhook URL")
    .option("--channel <channel>", "Delivery channel (last or a channel id)")
    .option("--to <dest>", "Delivery destination")
    .option("--thread-id <id>", "Telegram forum topic thread id")
    .option("--account <id>", "Channel account id for delivery (multi-account setups)")
    .option(
      "--best-effort-deliver",
      create
        ? "Do not fail the job if delivery fails"
        : "Do not fail job if delivery fails (also implies --announce when used alone)",
    );
}

/** Adds `openclaw cron|automations status|list|add|edit|enable|disable|rm|get|show|run|runs` to `program`. */
export function addCronCommands(
  program: Command,
  run: (task: () => Promise<number>) => void,
  globals: () => GlobalOptions,
): void {
  const commands = () => import("./commands/cron.ts");
  const cron = addConnectionOptions(
    program.command("cron").alias("automations").description("Manage automations (via Gateway)"),
  );
  // Connection flags given before the subcommand apply to it.
  const opts = (command: Command) => ({ ...globals(), ...cron.opts(), ...command.opts() });
  addConnectionOptions(cron.command("status").description("Show automations scheduler status"))
    .action((_o, command: Command) => run(async () => (await commands()).cronStatus(opts(command))));
  addConnectionOptions(cron.command("list").description("List automations"))
    .option("--all", "Include disabled jobs")
    .option("--agent <id>", "Filter by agent id")
    .action((_o, command: Command) => run(async () => (await commands()).cronList(opts(command))));
  addConnectionOptions(addMutationOptions(cron.command("add").alias("create").description("Add an automation"), true))
    .argument("[scheduleOrName]", "Schedule string, or job name when using --at/--every/--cron")
    .argument("[message]", "Agent message when using a positional schedule")
    .option("--declaration-key <key>", "Idempotent declaration identity key")
    .option("--disabled", "Create job disabled")
    .action((first, second, _o, command: Command) =>
      run(async () =>
        (await commands()).cronAdd({ first, second }, opts(command), {
          session: command.getOptionValueSource("session") === "cli",
          channel: command.getOptionValueSource("channel") === "cli",
        })
      )
    );
  addConnectionOptions(addMutationOptions(cron.command("edit").description("Edit an automation (patch fields)"), false))
    .argument("<id>", "Job id")
    .option("--clear-display-name", "Restore the stable name in list and detail views")
    .option("--enable", "Enable job")
    .option("--disable", "Disable job")
    .option("--clear-agent", "Unset agent and use default")
    .option("--clear-thinking", "Remove the per-job thinking override")
    .option("--clear-fallbacks", "Remove per-job fallback override")
    .option("--clear-model", "Remove the per-job model override")
    .option("--no-light-context", "Disable lightweight bootstrap context for agent jobs")
    .option("--clear-channel", "Unset the delivery channel")
    .option("--clear-to", "Unset the delivery destination")
    .option("--clear-account", "Unset the per-job delivery account override")
    .option("--no-best-effort-deliver", "Fail job when delivery fails")
    .action((id, _o, command: Command) => run(async () => (await commands()).cronEdit(id, opts(command))));
  for (const [name, enabled] of [["enable", true], ["disable", false]] as const) {
    addConnectionOptions(cron.command(name).description(`${enabled ? "Enable" : "Disable"} an automation`))
      .argument("<id>", "Job id")
      .action((id, _o, command: Command) => run(async () => (await commands()).cronToggle(id, enabled, opts(command))));
  }
  addConnectionOptions(cron.command("rm").aliases(["remove", "delete"]).description("Remove an automation"))
    .argument("<id>", "Job id")
    .action((id, _o, command: Command) => run(async () => (await commands()).cronRemove(id, opts(command))));
  addConnectionOptions(cron.command("get").description("Get an automation as JSON"))
    .argument("<id>", "Job id")
    .action((id, _o, command: Command) => run(async () => (await commands()).cronGet(id, opts(command))));
  addConnectionOptions(cron.command("show").description("Show an automation"))
    .argument("<id>", "Job id or exact name")
    .action((id, _o, command: Command) => run(async () => (await commands()).cronShow(id, opts(command))));
  addConnectionOptions(cron.command("runs").description("Show automation run history"))
    .argument("[id]", "Job id")
    .option("--id <id>", "Job id (alternative to positional argument)")
    .option("--run-id <runId>", "Filter by cron run id")
    .option("--status <status>", "Filter by run status (all|ok|error|skipped)")
    .option("--delivery-status <status>", "Filter by delivery status (delivered|not-delivered|unknown|not-requested)")
    .option("--query <text>", "Filter by run summary or error text")
    .option("--offset <n>", "Entries to skip before returning results")
    .option("--sort <direction>", "Sort by run time (asc|desc)")
    .option("--limit <n>", "Max entries (default 50)")
    .action((id, _o, command: Command) => run(async () => (await commands()).cronRuns(id, opts(command))));
  addConnectionOptions(cron.command("scratch").description("Read or replace an automation's private scratch"))
    .argument("<id>", "Job id")
    .option("--set <text>", "Replace scratch with exact text")
    .option("--file <path>", "Replace scratch from a file, or - for stdin")
    .option("--unset", "Remove the scratch row", false)
    .option("--expected-revision <n>", "Require the current scratch revision")
    .action((id, _o, command: Command) =>
      run(async () => (await import("./commands/cron_scratch.ts")).cronScratch(id, opts(command)))
    );
  addConnectionOptions(cron.command("run").description("Run an automation now (debug)"))
    .argument("<id>", "Job id")
    .option("--due", "Run only when due (default behavior in older versions)")
    .option("--wait", "Wait for the queued run to finish")
    .option("--wait-timeout <duration>", "Maximum time to wait for --wait", "10m")
    .option("--poll-interval <duration>", "Polling interval for --wait", "2s")
    .action((id, _o, command: Command) => run(async () => (await commands()).cronRun(id, opts(command))));
}
