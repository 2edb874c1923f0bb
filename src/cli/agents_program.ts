// The `openclaw agents` command tree, named and flagged as the reference names it (2026.9.6); each
// action imports its command file lazily (nothing of it on `gateway run`'s path). `agents team`
// is not served: it fails as an unknown command does, in the reference's words.
import type { Command } from "commander";
import type { GlobalOptions } from "./main.ts";
import { refuseUnknownSubcommand } from "./openclaw_command.ts";

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** The option names of `agents add` that select the non-interactive path when given. */
const AUTOMATION_FLAGS = ["workspace", "model", "agentDir", "bind", "nonInteractive"];

/** Adds `openclaw agents [list|bindings|bind|unbind|add|set-identity|delete]` to `program`. */
export function addAgentsCommands(
  program: Command,
  run: (task: () => Promise<number>) => void,
  globals: () => GlobalOptions,
): void {
  const list = () => import("./commands/agents_list.ts");
  const bind = () => import("./commands/agents_bind.ts");
  const agents = program.command("agents").description("Manage isolated agents (workspaces + auth + routing)");
  agents.command("list").description("List configured agents")
    .option("--json", "Output JSON instead of text", false)
    .option("--bindings", "Include routing bindings", false)
    .action((options) => run(async () => (await list()).agentsList({ ...globals(), ...options })));
  agents.command("bindings").description("List routing bindings")
    .option("--agent <id>", "Filter by agent id")
    .option("--json", "Output JSON instead of text", false)
    .action((options) => run(async () => (await bind()).agentsBindings({ ...globals(), ...options })));
  agents.command("bind").description("Add routing bindings for an agent")
    .option("--agent <id>", "Agent id (defaults to current default agent)")
    .option(
      "--bind <channel[:accountId]>",
      "Binding to add (repeatable). If omitted, accountId is resolved by channel defaults/hooks.",
      collect,
      [],
    )
    .option("--json", "Output JSON summary", false)
    .action((options) => run(async () => (await bind()).agentsBind({ ...globals(), ...options })));
  agents.command("unbind").description("Remove routing bindings for an agent")
    .option("--agent <id>", "Agent id (defaults to current default agent)")
    .option("--bind <channel[:accountId]>", "Binding to remove (repeatable)", collect, [])
    .option("--all", "Remove all bindings for this agent", false)
    .option("--json", "Output JSON summary", false)
    .action((options) => run(async () => (await bind()).agentsUnbind({ ...globals(), ...options })));
  agents.command("add").description("Add a new isolated agent").argument("[name]")
    .option("--workspace <dir>", "Workspace directory for the new agent")
    .option("--role <role>", "Seed a role: coordinator, researcher, writer, reviewer")
    .option("--model <id>", "Model id for this agent")
    .option("--agent-dir <dir>", "Agent state directory for this agent")
    .option("--bind <channel[:accountId]>", "Route channel binding (repeatable)", collect, [])
    .option("--non-interactive", "Disable prompts; requires --workspace unless --role is set", false)
    .option("--json", "Output JSON summary", false)
    .action((name, options, command: Command) => {
      // As the reference: a flag given on the command line (not its default) selects automation.
      const automation = AUTOMATION_FLAGS.some((key) => command.getOptionValueSource(key) === "cli");
      run(async () =>
        (await import("./commands/agents_add.ts")).agentsAdd(name, { ...globals(), ...options }, automation)
      );
    });
  agents.command("set-identity").description("Update an agent identity (name/theme/emoji/avatar)")
    .option("--agent <id>", "Agent id to update")
    .option("--workspace <dir>", "Locate the agent and IDENTITY.md; does not change the stored workspace")
    .option("--identity-file <path>", "Explicit IDENTITY.md path to read")
    .option("--from-identity", "Read values from IDENTITY.md", false)
    .option("--name <name>", "Identity name")
    .option("--theme <theme>", "Identity theme")
    .option("--emoji <emoji>", "Identity emoji")
    .option("--avatar <value>", "Identity avatar (workspace path, http(s) URL, or data URI)")
    .option("--json", "Output JSON summary", false)
    .action((options) =>
      run(async () => (await import("./commands/agents_identity.ts")).agentsSetIdentity({ ...globals(), ...options }))
    );
  agents.command("delete").description("Delete an agent and prune workspace/state").argument("<id>")
    .option("--force", "Skip confirmation", false)
    .option("--json", "Output JSON summary", false)
    .action((id, options) =>
      run(async () => (await import("./commands/agents_delete.ts")).agentsDelete(id, { ...globals(), ...options }))
    );
  // Bare `openclaw agents` lists; any other word is refused in the reference's words (`team` too).
  agents.allowExcessArguments(true).allowUnknownOption(true).action((_options, command: Command) => {
    const [unknown] = command.args;
    run(async () => {
      if (unknown === undefined) return await (await list()).agentsList(globals());
      return refuseUnknownSubcommand(agents, unknown);
    });
  });
}
