// What the `openclaw agents` commands share: the config they read (refused as `config set` refuses
// an invalid one), the paths agents resolve against, the write through `config set`'s writer with
// the reference's "Updated config" lines, and its failure output (stderr, or the JSON envelope).
import { avatarIssue } from "../../config/agent_avatar.ts";
import type { RosterPaths } from "../../config/agent_roster.ts";
import { ConfigEditError } from "../../config/config_edit.ts";
import { ConfigError } from "../../config/errors.ts";
import { type ConfigSnapshot, loadConfig } from "../../config/load.ts";
import { type EnvSnapshot, pathExists, resolveHome, resolvePaths } from "../../config/paths.ts";
import type { GlobalOptions } from "../main.ts";
import { printError, printFailureBlock, printJson, printLine } from "../output.ts";
import { invalidConfigMachineForm, issueEntries, issueLines, jsonFailure, shortHome } from "./config_common.ts";
import { CommandFailure, commitTree } from "./config_write.ts";
import { isFenceRefusal } from "./state_write_access.ts";

/** A refusal in the reference's words: printed as is (or as the JSON envelope), exit 1. */
export class AgentsFailure extends Error {
  /** With `--json`: what the envelope carries besides the message, and the words stderr gets instead. */
  readonly json: { extra?: Record<string, unknown>; message?: string; stderr?: string };
  constructor(message: string, json: AgentsFailure["json"] = {}) {
    super(message);
    this.name = "AgentsFailure";
    this.json = json;
  }
}

/** The reference's refusal of an invalid config before any agents command (its two forms: text and `--json`). */
function invalidConfig(path: string, env: EnvSnapshot, error: ConfigError): AgentsFailure {
  const lines = issueLines(error, path, "-");
  const fix = ["Fix: openclaw doctor --fix", "Inspect: openclaw config validate"];
  return new AgentsFailure(
    [`OpenClaw config is invalid: ${path}`, ...lines, ...fix].join("\n"),
    {
      message: `OpenClaw config is invalid: ${shortHome(path, env)}`,
      extra: { issues: issueEntries(error.issues) },
      stderr: invalidConfigMachineForm(path, env, error).stderr,
    },
  );
}

/** The config an agents command works on, and where things resolve. */
export interface AgentsContext {
  env: EnvSnapshot;
  path: string;
  paths: RosterPaths;
  cwd: string;
  snapshot: ConfigSnapshot;
  /** The config as written (no `${VAR}` substituted, no defaults added). */
  tree: Record<string, unknown>;
}

/** Loads the active config; an invalid one is refused as the reference refuses it. */
export async function loadAgentsContext(options: GlobalOptions): Promise<AgentsContext> {
  const env: EnvSnapshot = Deno.env.toObject();
  const resolved = resolvePaths({ env, profile: options.profile, dev: options.dev, exists: pathExists });
  let snapshot: ConfigSnapshot;
  try {
    snapshot = await loadConfig(resolved.configPath, env);
  } catch (error) {
    if (!(error instanceof ConfigError) || error.issues.length === 0) throw error;
    throw invalidConfig(resolved.configPath, env, error);
  }
  return {
    env,
    path: resolved.configPath,
    paths: { stateDir: resolved.stateDir, home: resolveHome(env) },
    cwd: Deno.cwd(),
    snapshot,
    tree: snapshot.authored,
  };
}

/** A path for people: under the home as `~/…`. */
export function shown(context: AgentsContext, path: string): string {
  return shortHome(path, context.env);
}

/**
 * Writes a new tree through `config set`'s writer (read-only refusal, validation, hash guard,
 * `.bak`, 0600) and, unless quiet (`--json`), prints the reference's lines: `Updated config: <path>`
 * and the backup it left.
 */
export async function commitAgents(context: AgentsContext, tree: Record<string, unknown>, quiet: boolean) {
  const avatar = avatarIssue(tree, context.paths);
  if (avatar) throw new AgentsFailure(`Config validation failed: ${avatar}`);
  await commitTree(context.path, context.env, context.snapshot, tree);
  if (quiet) return;
  printLine(`Updated config: ${shown(context, context.path)}`);
  if (pathExists(`${context.path}.bak`)) printLine(`  Backup: ${shown(context, `${context.path}.bak`)}`);
}

/** Runs an agents command: its refusals go to stderr (with `--json`, also the envelope on stdout) and exit 1. */
export async function runAgents(json: boolean | undefined, task: () => Promise<number>): Promise<number> {
  try {
    return await task();
  } catch (error) {
    // The shared-state ownership fence: the reference's generic failure block (and envelope with --json).
    if (isFenceRefusal(error)) {
      if (json) printJson(jsonFailure(error.message));
      printFailureBlock(error.message);
      return 1;
    }
    const known = error instanceof AgentsFailure || error instanceof CommandFailure ||
      error instanceof ConfigEditError;
    if (!known) throw error;
    // As the reference: with `--json` the envelope goes to stdout and the words to stderr too.
    const detail = error instanceof AgentsFailure ? error.json : {};
    if (json) printJson({ ...jsonFailure(detail.message ?? error.message), ...detail.extra });
    printError(json && detail.stderr ? detail.stderr : error.message);
    return 1;
  }
}
