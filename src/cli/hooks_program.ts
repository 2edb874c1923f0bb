// The `openclaw hooks` command tree, as the reference names its commands and options (recorded help,
// tests/fixtures/hooks_cli/); each action imports its command file lazily. Bare `hooks` lists, and
// the parent's `--agent`/`--json` reach every report command, as in the reference.
import type { Command } from "commander";
import type { GlobalOptions } from "./main.ts";
import { printFailureBlock } from "./output.ts";

type HooksFlags = { agent?: string; json?: boolean; eligible?: boolean; verbose?: boolean };

/** Adds `openclaw hooks [list|info|check|enable|disable|install|update]` to `program`. */
export function addHooksCommands(
  program: Command,
  run: (task: () => Promise<number>) => void,
  globals: () => GlobalOptions,
): void {
  const hooks = program.command("hooks").description("Manage internal agent hooks")
    .option("--agent <id>", "Agent id to inspect")
    .option("--json", "Output as JSON", false)
    .addHelpText("after", "\nDocs: https://docs.openclaw.ai/cli/hooks\n");
  const command = () => import("./commands/hooks.ts");
  // A subcommand's own flag wins; the parent's stands in for one not given (the reference's lookup).
  const merged = (options: HooksFlags) => {
    const parent = hooks.opts<HooksFlags>();
    return {
      ...globals(),
      ...options,
      agent: options.agent ?? parent.agent,
      json: Boolean(options.json || parent.json),
    };
  };
  /** The reference's refusals of the parent's `--agent` (blank, or before a command that does not take it). */
  const parentAgentRefusal = (name: string | undefined): string | undefined => {
    const agent = hooks.opts<HooksFlags>().agent;
    if (agent === undefined) return undefined;
    if (!agent.trim()) return "--agent must not be blank";
    if (name === undefined || ["list", "info", "check", "enable", "disable"].includes(name)) return undefined;
    return `openclaw hooks ${name} does not support --agent; the option only selects an owner for read-only hook reports.`;
  };
  const guarded = (name: string | undefined, task: () => Promise<number>) =>
    run(async () => {
      const refusal = parentAgentRefusal(name);
      if (refusal === undefined) return await task();
      printFailureBlock(refusal);
      return 1;
    });

  hooks.command("list").description("List all hooks")
    .option("--agent <id>", "Agent id to inspect")
    .option("--eligible", "Show only eligible hooks", false)
    .option("--json", "Output as JSON", false)
    .option("-v, --verbose", "Show more details including missing requirements", false)
    .action((options: HooksFlags) => guarded("list", async () => (await command()).hooksList(merged(options))));
  hooks.command("info <name>").description("Show detailed information about a hook")
    .option("--agent <id>", "Agent id to inspect")
    .option("--json", "Output as JSON", false)
    .action((name: string, options: HooksFlags) =>
      guarded("info", async () => (await command()).hooksInfo(name, merged(options)))
    );
  hooks.command("check").description("Check hooks eligibility status")
    .option("--agent <id>", "Agent id to inspect")
    .option("--json", "Output as JSON", false)
    .action((options: HooksFlags) => guarded("check", async () => (await command()).hooksCheck(merged(options))));
  for (const [name, enabled] of [["enable", true], ["disable", false]] as const) {
    hooks.command(`${name} <name>`).description(`${enabled ? "Enable" : "Disable"} a hook`)
      .option("--agent <id>", "Agent id whose workspace to inspect")
      .action((hook: string, options: HooksFlags) =>
        guarded(name, async () => (await command()).hooksSetEnabled(hook, enabled, merged(options)))
      );
  }
  const packs = () => import("./commands/hooks_packs.ts");
  const policyWarning = [
    "--acknowledge-install-policy-warning",
    "Acknowledge security.installPolicy warnings without prompting; blocks and failures remain terminal",
  ] as const;
  hooks.command("install").description("Deprecated: install a hook pack via `openclaw plugins install`")
    .argument("<path-or-spec>", "Path to a hook pack or npm package spec")
    .option("-l, --link", "Link a local path instead of copying", false)
    .option("--pin", "Record npm installs as exact resolved <name>@<version>", false)
    .option("--force", "Confirm non-ClawHub sources and overwrite an existing hook pack", false)
    .option(...policyWarning, false)
    .action((raw: string, options) => guarded("install", async () => (await packs()).hooksInstall(raw, options)));
  hooks.command("update").description("Deprecated: update hook packs via `openclaw plugins update`")
    .argument("[id]", "Hook pack id (omit with --all)")
    .option("--all", "Update all tracked hooks", false)
    .option("--dry-run", "Show what would change without writing", false)
    .option(...policyWarning, false)
    .action((id: string | undefined, options) =>
      guarded("update", async () => (await packs()).hooksUpdate(id, options))
    );
  hooks.action((options: HooksFlags) => guarded(undefined, async () => (await command()).hooksList(merged(options))));
}
