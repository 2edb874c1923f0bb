// The `openclaw reset` command, as the reference names its options; the action imports
// cli/commands/reset_run.ts lazily.
import type { Command } from "commander";
import type { GlobalOptions } from "./main.ts";

/** Adds `openclaw reset` to `program`. */
export function addResetCommands(
  program: Command,
  run: (task: () => Promise<number>) => void,
  globals: () => GlobalOptions,
): void {
  program.command("reset").description("Reset local config/state (keeps the CLI installed)")
    .option("--scope <scope>", "config|config+creds+sessions|full (default: interactive prompt)")
    .option("--yes", "Skip confirmation prompts", false)
    .option("--non-interactive", "Disable prompts (requires --scope + --yes)", false)
    .option("--dry-run", "Print actions without removing files", false)
    .action((options) =>
      run(async () => (await import("./commands/reset_run.ts")).reset({ ...globals(), ...options }))
    );
}
