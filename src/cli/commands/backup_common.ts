// What the `openclaw backup` commands share: the paths of this state dir and config, the
// configured agent and workspace roots, and the reference's failure output (a line on stderr, or
// the JSON envelope on stdout plus its `[openclaw]` lines on stderr).
import { resolve } from "node:path";
import process from "node:process";
import { ConfigError } from "../../config/errors.ts";
import { credentialsDir } from "../../config/account_dirs.ts";
import { loadConfig } from "../../config/load.ts";
import { type BackupRoots, backupRoots } from "../../config/backup_roots.ts";
import { type EnvSnapshot, expandHome, pathExists, resolvePaths } from "../../config/paths.ts";
import type { GlobalOptions } from "../main.ts";
import { printError, printFailureBlock, printJson } from "../output.ts";
import { displayPath } from "../../state/backup_plan.ts";
import { VERSION } from "../../version.ts";

/** The live paths a backup command works from. */
export interface BackupPaths {
  env: EnvSnapshot;
  home: string | undefined;
  stateDir: string;
  configPath: string;
  oauthDir: string;
}

/** Resolves the state dir, config path and credentials dir as every other command does. */
export function backupPaths(options: GlobalOptions): BackupPaths {
  const env: EnvSnapshot = Deno.env.toObject();
  const paths = resolvePaths({ env, profile: options.profile, dev: options.dev, exists: pathExists });
  return {
    env,
    home: env.HOME,
    stateDir: paths.stateDir,
    configPath: paths.configPath,
    oauthDir: credentialsDir(paths.stateDir, env),
  };
}

/** The configured agents' roots and workspaces; an invalid config refuses with the reference's words. */
export async function configuredRoots(paths: BackupPaths): Promise<BackupRoots> {
  let snapshot: Awaited<ReturnType<typeof loadConfig>>;
  try {
    snapshot = await loadConfig(paths.configPath, paths.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const issues = error.issues.length ? error.issues.map((issue) => issue.message).join("; ") : error.message;
    throw new Error(
      `Backup discovery failed at ${
        displayPath(paths.configPath, paths.home)
      }: ${issues}. Agent and plugin ownership could not be resolved. Resolve the reported error and retry backup, or use --only-config to save the config alone.`,
    );
  }
  return backupRoots(snapshot.config, paths.stateDir, paths.home ?? "");
}

/** What the manifest records about the program that wrote it. */
export function runtimeFacts(): { version: string; platform: string; nodeVersion: string } {
  return {
    version: VERSION,
    platform: Deno.build.os === "windows" ? "win32" : Deno.build.os,
    nodeVersion: process.version,
  };
}

/** A user path argument: trimmed, `~` expanded, absolute. */
export function userPath(value: string, home: string | undefined): string {
  const trimmed = value.trim();
  const expanded = home && (trimmed === "~" || trimmed.startsWith("~/")) ? expandHome(trimmed, home) : trimmed;
  return resolve(expanded);
}

/** A required option left out, in the reference's words (its commander output); exit code 1. */
export function missingOption(flag: string, command: string): number {
  printError(`Missing required option "${flag}".`);
  printError(`Try: openclaw ${command} --help`);
  return 1;
}

/** The reference's failure output for a backup command; returns exit code 1. */
export function backupFailed(error: unknown, json: boolean | undefined): number {
  const message = error instanceof Error ? error.message : String(error);
  if (!json) {
    printError(message);
    return 1;
  }
  printJson({ ok: false, error: { type: "cli_error", message } });
  printFailureBlock(message);
  return 1;
}
