// The `openclaw completion` command, as the reference names its options; the action imports
// cli/commands/completion.ts lazily and hands it the finished program tree.
import { type Command, Option } from "commander";
import type { GlobalOptions } from "./main.ts";

/** Adds `openclaw completion` to `program` (the root, whose tree the scripts describe). */
export function addCompletionCommands(
  program: Command,
  run: (task: () => Promise<number>) => void,
  globals: () => GlobalOptions,
): void {
  program.command("completion").description("Generate shell completion script")
    .addOption(
      new Option("-s, --shell <shell>", "Shell to generate completion for (default: detected)")
        .choices(["zsh", "bash", "powershell", "fish"]),
    )
    .option("-i, --install", "Install completion script to shell profile")
    .option("--write-state", "Write completion scripts to $OPENCLAW_STATE_DIR/completions (no stdout)")
    .option("-y, --yes", "Skip confirmation (non-interactive)", false)
    .action((options) =>
      run(async () => (await import("./commands/completion.ts")).completion(program, { ...globals(), ...options }))
    );
}
