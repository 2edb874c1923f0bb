// `openclaw completion [--shell S] [--install] [--write-state] [--yes]`: prints, caches or installs
// the shell completion script generated from the program tree (never from the command files).

import type { Command } from "commander";
import { pathExists, resolveHome, resolvePaths } from "../../config/paths.ts";
import { readTextIfExists, writeTextAtomic } from "../../config/write.ts";
import type { GlobalOptions } from "../main.ts";
import { printError, printFailureBlock, printLine } from "../output.ts";
import { bashCompletionScript } from "../completion_bash.ts";
import { fishCompletionScript } from "../completion_fish.ts";
import { powershellCompletionScript } from "../completion_powershell.ts";
import {
  COMPLETION_SHELLS,
  completionCachePath,
  completionProfilePath,
  type CompletionShell,
  reloadCommand,
  shellFromEnv,
  updateProfile,
} from "../completion_profile.ts";
import { collectCompletionTree } from "../completion_tree.ts";
import { zshCompletionScript } from "../completion_zsh.ts";

/** Options of `openclaw completion`. */
export interface CompletionOptions extends GlobalOptions {
  shell?: CompletionShell;
  install?: boolean;
  writeState?: boolean;
  yes?: boolean;
}

/** The completion script for `shell`, generated from `program`. */
export function completionScript(program: Command, shell: CompletionShell): string {
  if (shell === "zsh") return zshCompletionScript(program);
  const tree = collectCompletionTree(program);
  if (shell === "bash") return bashCompletionScript(tree);
  if (shell === "powershell") return powershellCompletionScript(tree);
  return fishCompletionScript(tree);
}

/** Writes `<stateDir>/completions/openclaw.<ext>`, the cached script a profile sources, for `shell`. */
export async function writeCompletionCache(program: Command, stateDir: string, shell: CompletionShell): Promise<void> {
  await Deno.mkdir(`${stateDir}/completions`, { recursive: true, mode: 0o755 });
  await writeTextAtomic(completionCachePath(stateDir, shell), completionScript(program, shell), { mode: 0o644 });
}

/** An install that could not complete; its message is the reference's reason line. */
export class CompletionInstallError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CompletionInstallError";
  }
}

async function install(shell: CompletionShell, stateDir: string, env: Record<string, string>): Promise<void> {
  const cachePath = completionCachePath(stateDir, shell);
  if (!pathExists(cachePath)) {
    throw new CompletionInstallError(
      `Completion cache not found at ${cachePath}. Run \`openclaw completion --write-state\` first.`,
    );
  }
  const home = env.HOME || resolveHome(env);
  const profile = completionProfilePath(shell, env, { home, exists: pathExists });
  try {
    const current = await readTextIfExists(profile);
    if (current === undefined) printError(`Profile not found at ${profile}. Creating a new one.`);
    const update = updateProfile(current ?? "", { shell, cachePath, home });
    if (!update.changed) {
      printError(`Completion already installed in ${profile}`);
      return;
    }
    printError(`${update.hadExisting ? "Updating" : "Installing"} completion in ${profile}...`);
    const mode = current === undefined ? 0o644 : (await Deno.stat(profile)).mode! & 0o777;
    await writeTextAtomic(profile, update.next, { mode });
    const hint = shell !== "powershell" && profile.startsWith(`${env.HOME}/`)
      ? `~/${profile.slice(env.HOME!.length + 1)}`
      : profile;
    printError(`Completion installed. Restart your shell or run: ${reloadCommand(shell, hint)}`);
  } catch (error) {
    throw new CompletionInstallError(`Failed to install completion: ${(error as Error).message}`);
  }
}

/** Runs `openclaw completion` against the finished program tree; the exit code. */
export async function completion(program: Command, options: CompletionOptions): Promise<number> {
  const env = Deno.env.toObject();
  const shell = options.shell ?? shellFromEnv(env);
  try {
    const stateDir = resolvePaths({ env, profile: options.profile, dev: options.dev, exists: pathExists }).stateDir;
    if (options.writeState) {
      for (const target of options.shell ? [shell] : COMPLETION_SHELLS) {
        await writeCompletionCache(program, stateDir, target);
      }
    }
    if (options.install) {
      await install(shell, stateDir, env);
      return 0;
    }
    if (!options.writeState) printLine(completionScript(program, shell));
    return 0;
  } catch (error) {
    if (!(error instanceof CompletionInstallError)) throw error;
    printFailureBlock(error.message);
    return 1;
  }
}
