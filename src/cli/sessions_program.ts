// The `openclaw sessions` command tree as the reference names it: the listing (`sessions`, and
// `sessions list` with the same flags, given before or after `list`), `archive`, `delete`, `cleanup`,
// `tail`, `export-trajectory` and `compact`. Each action imports its command file lazily.
import type { Command } from "commander";
import type { GlobalOptions } from "./main.ts";
import { refuseUnknownSubcommand } from "./openclaw_command.ts";

function addListOptions(command: Command): Command {
  return command
    .option("--json", "Output as JSON", false)
    .option("--verbose", "Verbose logging", false)
    .option("--store <path>", "Legacy session store selector path")
    .option("--agent <id>", "Agent id to inspect (required for multiple explicit agents)")
    .option("--all-agents", "Aggregate sessions across all configured agents", false)
    .option("--active <minutes>", "Only show sessions updated within the past N minutes")
    .option("--limit <count>", 'Max sessions to show (default: 100; use "all" for full output)');
}

/** The parent's listing flags that a lifecycle subcommand refuses, by their flag names. */
const PARENT_ONLY = [["store", "--store"], ["allAgents", "--all-agents"], ["active", "--active"], [
  "limit",
  "--limit",
], ["verbose", "--verbose"]] as const;

const EXAMPLES = `
Examples:
  openclaw sessions
    List all sessions.
  openclaw sessions --agent work
    List sessions for one agent.
  openclaw sessions --all-agents
    Aggregate sessions across agents.
  openclaw sessions --active 120
    Only last 2 hours.
  openclaw sessions --limit 25
    Show the newest 25 sessions.
  openclaw sessions --json
    Machine-readable output.
  openclaw sessions --store ./tmp/sessions.sqlite
    Use a specific session store.

Docs: https://docs.openclaw.ai/cli/sessions`;

const CLEANUP_EXAMPLES = `
Examples:
  openclaw sessions cleanup --dry-run
    Preview stale/cap cleanup.
  openclaw sessions cleanup --dry-run --fix-missing
    Also preview pruning entries with missing transcript files.
  openclaw sessions cleanup --dry-run --fix-dm-scope
    Preview stale direct-DM rows after returning dmScope to main.
  openclaw sessions cleanup --enforce
    Apply maintenance now.
  openclaw sessions cleanup --agent work --dry-run
    Preview one agent store.
  openclaw sessions cleanup --all-agents --dry-run
    Preview all agent stores.
  openclaw sessions cleanup --enforce --store ./tmp/sessions.sqlite
    Use a specific store.`;

/** Adds `openclaw sessions cleanup`, its flags as the reference's (sorted as its help lists them). */
function addCleanupCommand(
  sessions: Command,
  run: (task: () => Promise<number>) => void,
  globals: () => GlobalOptions,
): void {
  sessions.command("cleanup").description("Run session-store maintenance now")
    .option("--active-key <key>", "Protect this session key from budget-eviction")
    .option("--agent <id>", "Agent id to maintain (required for multiple explicit agents)")
    .option("--all-agents", "Run maintenance across all configured agents", false)
    .option("--dry-run", "Preview maintenance actions without writing", false)
    .option("--enforce", "Apply maintenance even when configured mode is warn", false)
    .option(
      "--fix-dm-scope",
      "Retire stale direct-DM session rows that no longer match session.dmScope=main",
      false,
    )
    .option(
      "--fix-missing",
      "Remove store entries whose transcript files are missing (bypasses age/count retention)",
      false,
    )
    .option("--json", "Output JSON", false)
    .option("--store <path>", "Legacy session store selector path")
    .addHelpText("after", CLEANUP_EXAMPLES)
    .action((options, self: Command) => {
      const parent = self.parent!.opts();
      run(async () =>
        (await import("./commands/sessions_cleanup.ts")).sessionsCleanup({
          ...globals(),
          ...options,
          store: options.store ?? parent.store,
          agent: options.agent ?? parent.agent,
          allAgents: options.allAgents || parent.allAgents,
          json: options.json || parent.json,
        })
      );
    });
}

/** The parent's listing flags a subcommand refuses, by option key and flag name. */
function parentFlags(parent: Record<string, unknown>, keys: [string, string][]): string[] {
  return keys.filter(([key]) => parent[key] !== undefined && parent[key] !== false).map(([, flag]) => flag);
}

/** Adds `openclaw sessions tail`, its flags as the reference's help lists them. */
function addTailCommand(
  sessions: Command,
  run: (task: () => Promise<number>) => void,
  globals: () => GlobalOptions,
): void {
  sessions.command("tail").description("Tail human-readable session trajectory progress")
    .option("--agent <id>", "Agent id to inspect (required for multiple explicit agents)")
    .option("--all-agents", "Aggregate sessions across all configured agents", false)
    .option("--follow", "Continue following for new trajectory events", false)
    .option("--session-key <key>", "Session key to tail (default: active sessions or latest)")
    .option("--store <path>", "Legacy session store selector path")
    .option("--tail <count>", "Number of existing trajectory events to show", "80")
    .action((options, self: Command) => {
      const parent = self.parent!.opts();
      run(async () => {
        const given = parentFlags(parent, [["json", "--json"], ["active", "--active"], ["limit", "--limit"], [
          "verbose",
          "--verbose",
        ]]);
        if (given.length > 0) {
          const { refuseParentOptions } = await import("./commands/sessions_parent_options.ts");
          return refuseParentOptions(
            "tail",
            given,
            parent.json,
            "trajectory tail emits human-readable progress and selects sessions separately",
          );
        }
        return (await import("./commands/sessions_tail.ts")).sessionsTail({
          ...globals(),
          ...options,
          store: options.store ?? parent.store,
          agent: options.agent ?? parent.agent,
          allAgents: options.allAgents || parent.allAgents,
        });
      });
    });
}

/** Adds `openclaw sessions export-trajectory`, its flags as the reference's help lists them. */
function addExportTrajectoryCommand(
  sessions: Command,
  run: (task: () => Promise<number>) => void,
  globals: () => GlobalOptions,
): void {
  sessions.command("export-trajectory").description("Export a redacted trajectory bundle for a stored session")
    .option("--session-key <key>", "Session key to export")
    .option("--output <path>", "Output directory name inside .openclaw/trajectory-exports")
    .option("--workspace <path>", "Workspace root for the export (default: current directory)")
    .option("--store <path>", "Legacy session store selector path")
    .option("--agent <id>", "Agent id for resolving the default session store")
    .option("--request-json-base64 <payload>", "Base64url-encoded export request")
    .option("--json", "Output JSON", false)
    .action((options, self: Command) => {
      const parent = self.parent!.opts();
      run(async () => {
        const json = options.json || parent.json;
        const given = parentFlags(parent, [
          ["allAgents", "--all-agents"],
          ["active", "--active"],
          ["limit", "--limit"],
          [
            "verbose",
            "--verbose",
          ],
        ]);
        if (given.length > 0) {
          const { refuseParentOptions } = await import("./commands/sessions_parent_options.ts");
          return refuseParentOptions(
            "export-trajectory",
            given,
            json,
            "trajectory export targets one session and cannot apply session-list filters",
          );
        }
        return (await import("./commands/sessions_export_trajectory.ts")).sessionsExportTrajectory({
          ...globals(),
          ...options,
          store: options.store ?? parent.store,
          agent: options.agent ?? parent.agent,
          json,
        });
      });
    });
}

const COMPACT_EXAMPLES = `
Examples:
  openclaw sessions compact "agent:main:main"
    LLM-summarize a session to reclaim context budget.
  openclaw sessions compact "agent:main:main" --max-lines 200
    Truncate to the last 200 transcript lines instead.
  openclaw sessions compact "agent:work:main" --agent work --json
    Target one agent's session and emit JSON.

Backed by the sessions.compact gateway RPC; exits non-zero when compaction fails.`;

/** Adds `openclaw sessions compact <key>`, its flags as the reference's help lists them. */
function addCompactCommand(
  sessions: Command,
  run: (task: () => Promise<number>) => void,
  globals: () => GlobalOptions,
): void {
  sessions.command("compact <key>").description("Compact a stored session transcript via the running gateway")
    .option("--agent <id>", "Agent id that owns the session (required for global keys)")
    .option("--json", "Output JSON", false)
    .option("--max-lines <count>", "Truncate to the last N transcript lines instead of LLM summarization")
    .option("--password <password>", "Gateway password (password auth)")
    .option("--timeout <ms>", "RPC timeout in milliseconds")
    .option("--token <token>", "Gateway token (if required)")
    .option("--url <url>", "Gateway WebSocket URL (defaults to gateway.remote.url when configured)")
    .addHelpText("after", COMPACT_EXAMPLES)
    .action((key: string, options, self: Command) => {
      const parent = self.parent!.opts();
      run(async () => {
        const given = parentFlags(parent, [
          ["store", "--store"],
          ["allAgents", "--all-agents"],
          ["active", "--active"],
          ["limit", "--limit"],
          ["verbose", "--verbose"],
        ]);
        if (given.length > 0) {
          const { refuseParentOptions } = await import("./commands/sessions_parent_options.ts");
          return refuseParentOptions(
            "compact",
            given,
            options.json || parent.json,
            "the gateway resolves the target store from <key> and --agent",
          );
        }
        return (await import("./commands/sessions_compact.ts")).sessionsCompact(key, {
          ...globals(),
          ...options,
          agent: options.agent ?? parent.agent,
          json: options.json || parent.json,
        });
      });
    });
}

/** Adds `openclaw sessions [list] | archive | delete | cleanup` to `program`. */
export function addSessionsCommands(
  program: Command,
  run: (task: () => Promise<number>) => void,
  globals: () => GlobalOptions,
): void {
  const listing = () => import("./commands/sessions_list.ts");
  const lifecycle = () => import("./commands/sessions_lifecycle.ts");
  const sessions = addListOptions(program.command("sessions").description("List stored conversation sessions"))
    // An operand that names no subcommand reaches the action (not commander's excess-argument error), to be
    // refused in the reference's words.
    .allowExcessArguments(true)
    .enablePositionalOptions()
    .addHelpText("after", EXAMPLES)
    .action((options, command: Command) => {
      const operand = command.args[0];
      run(async () =>
        operand !== undefined
          ? refuseUnknownSubcommand(sessions, operand)
          : (await listing()).sessionsList({ ...globals(), ...options })
      );
    });
  addListOptions(sessions.command("list").description("List stored conversation sessions"))
    .action((options, command: Command) => {
      const parent = command.parent!.opts();
      const merged = {
        json: options.json || parent.json,
        store: options.store ?? parent.store,
        agent: options.agent ?? parent.agent,
        allAgents: options.allAgents || parent.allAgents,
        active: options.active ?? parent.active,
        limit: options.limit ?? parent.limit,
      };
      run(async () => (await listing()).sessionsList({ ...globals(), ...merged }));
    });
  addCleanupCommand(sessions, run, globals);
  addTailCommand(sessions, run, globals);
  addExportTrajectoryCommand(sessions, run, globals);
  addCompactCommand(sessions, run, globals);
  for (const operation of ["archive", "delete"] as const) {
    const destructive = operation === "delete";
    const command = sessions.command(`${operation} <keys...>`)
      .description(
        destructive
          ? "Delete stored sessions and their live artifacts via the running gateway. Retained archives can remain searchable."
          : "Archive stored sessions via the running gateway",
      )
      .option("--dry-run", `Preview ${operation} actions without writing`, false);
    if (destructive) command.option("--yes", "Skip the destructive confirmation prompt", false);
    command
      .option("--agent <id>", "Agent id that owns the session (required for global keys)")
      .option("--url <url>", "Gateway WebSocket URL (defaults to gateway.remote.url when configured)")
      .option("--token <token>", "Gateway token (if required)")
      .option("--password <password>", "Gateway password (password auth)")
      .option("--timeout <ms>", "RPC timeout in milliseconds")
      .option("--json", "Output JSON", false)
      .action((keys: string[], options, self: Command) => {
        const parent = self.parent!.opts();
        run(async () => {
          const given = PARENT_ONLY.filter(([key]) => parent[key] !== undefined && parent[key] !== false)
            .map(([, flag]) => flag);
          const commands = await lifecycle();
          if (given.length > 0) return commands.refuseParentOptions(operation, given, options.json || parent.json);
          return await commands.sessionsLifecycle(operation, keys, {
            ...globals(),
            ...options,
            agent: options.agent ?? parent.agent,
            json: options.json || parent.json,
          });
        });
      });
  }
}
