// The `openclaw uninstall` command, as the reference names its options; the action imports
// cli/commands/uninstall_run.ts lazily.
import type { Command } from "commander";
import type { GlobalOptions } from "./main.ts";

/** Adds `openclaw uninstall` to `program`. */
export function addUninstallCommands(
  program: Command,
  run: (task: () => Promise<number>) => void,
  globals: () => GlobalOptions,
): void {
  program.command("uninstall").description("Uninstall the gateway service + local data")
    .option("--service", "Remove the gateway service", false)
    .option("--state", "Remove state + config", false)
    .option("--workspace", "Remove workspace dirs", false)
    .option("--app", "Remove the macOS app", false)
    .option("--all", "Remove service + state + workspace + app", false)
    .option("--yes", "Skip confirmation prompts", false)
    .option("--non-interactive", "Disable prompts (requires --yes)", false)
    .option("--dry-run", "Print actions without removing files", false)
    .action((options) =>
      run(async () => (await import("./commands/uninstall_run.ts")).uninstall({ ...globals(), ...options }))
    );
}
