// `security audit --fix`: the reference's safe remediations. Open group policies become allowlists
// (one atomic, hash-guarded config write that keeps a .bak), and the state dir, config and the
// state's sensitive files get 700/600. Tokens, tools, bind and auth are never changed.
import { loadConfig } from "../../config/load.ts";
import { ConfigError } from "../../config/errors.ts";
import type { EnvSnapshot } from "../../config/paths.ts";
import { writeConfigFile } from "../../config/write.ts";
import { json5CommentsWarning } from "../../config/json5_comments.ts";
import { printError } from "../output.ts";
import { configReadOnly, readOnlyMessage } from "./config_common.ts";
import { messageOf } from "../../log/error_text.ts";
import { dirname } from "node:path";
import { credentialsDir } from "../../config/account_dirs.ts";

/** One chmod the fix tried, in the reference's JSON shape. */
export interface ChmodAction {
  kind: "chmod";
  path: string;
  mode: number;
  ok: boolean;
  skipped?: "symlink" | "not-a-directory" | "not-a-file" | "already" | "missing";
  error?: string;
}

/** The `fix` object of `security audit --fix --json`. */
export interface FixResult {
  ok: boolean;
  stateDir: string;
  configPath: string;
  configWritten: boolean;
  changes: string[];
  actions: ChmodAction[];
  errors: string[];
}

interface Target {
  path: string;
  mode: number;
  require: "dir" | "file";
  /**
   * The tree the target belongs to (the state dir, or the credentials dir for its files): skipped
   * when a symlinked folder on the way leads out of it; null: reached through a symlink, skipped.
   */
  within?: string | null;
}

/** Whether the folder holding `path` is, symlinks resolved, `root` (resolved) or inside it. */
async function staysWithin(path: string, root: string): Promise<boolean> {
  const real = await Deno.realPath(root);
  const parent = await Deno.realPath(dirname(path));
  return parent === real || parent.startsWith(`${real}/`);
}

async function safeChmod(target: Target): Promise<ChmodAction> {
  const base = { kind: "chmod" as const, path: target.path, mode: target.mode, ok: false };
  try {
    const stat = await Deno.lstat(target.path);
    if (stat.isSymlink) return { ...base, skipped: "symlink" };
    if (target.within === null || (target.within !== undefined && !(await staysWithin(target.path, target.within)))) {
      return { ...base, skipped: "symlink" };
    }
    if (target.require === "dir" && !stat.isDirectory) return { ...base, skipped: "not-a-directory" };
    if (target.require === "file" && !stat.isFile) return { ...base, skipped: "not-a-file" };
    if (((stat.mode ?? 0) & 0o777) === target.mode) return { ...base, skipped: "already" };
    await Deno.chmod(target.path, target.mode);
    return { ...base, ok: true };
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return { ...base, skipped: "missing" };
    return { ...base, error: String(error) };
  }
}

async function filesIn(dir: string, suffix: string): Promise<string[]> {
  const out: string[] = [];
  try {
    for await (const entry of Deno.readDir(dir)) if (entry.isFile && entry.name.endsWith(suffix)) out.push(entry.name);
  } catch {
    // A missing directory has no files to tighten.
  }
  return out.sort();
}

/** The reference's permission targets, in its order. */
async function permissionTargets(
  stateDir: string,
  configPath: string,
  credentials: string,
  agentIds: string[],
): Promise<Target[]> {
  // A credentials dir named by OPENCLAW_OAUTH_DIR is its own tree; a symlinked one is not entered.
  const inState = credentials.startsWith(`${stateDir}/`);
  const credsLinked = await Deno.lstat(credentials).then((stat) => stat.isSymlink, () => false);
  const targets: Target[] = [
    { path: stateDir, mode: 0o700, require: "dir" },
    { path: configPath, mode: 0o600, require: "file" },
    { path: credentials, mode: 0o700, require: "dir", ...(inState ? { within: stateDir } : {}) },
    ...(await filesIn(credentials, ".json")).map((name): Target => ({
      path: `${credentials}/${name}`,
      mode: 0o600,
      require: "file",
      within: credsLinked ? null : inState ? stateDir : credentials,
    })),
  ];
  for (const agentId of agentIds) {
    const root = `${stateDir}/agents/${agentId}`;
    const sessions = `${root}/sessions`;
    targets.push(
      { path: root, mode: 0o700, require: "dir", within: stateDir },
      { path: `${root}/agent`, mode: 0o700, require: "dir", within: stateDir },
      ...["", "-wal", "-shm", "-journal"].map((suffix): Target => ({
        path: `${root}/agent/openclaw-agent.sqlite${suffix}`,
        mode: 0o600,
        require: "file",
        within: stateDir,
      })),
      { path: `${root}/agent/auth-profiles.json`, mode: 0o600, require: "file", within: stateDir },
      { path: sessions, mode: 0o700, require: "dir", within: stateDir },
      { path: `${sessions}/sessions.json`, mode: 0o600, require: "file", within: stateDir },
      ...(await filesIn(sessions, ".jsonl")).map((name): Target => ({
        path: `${sessions}/${name}`,
        mode: 0o600,
        require: "file",
        within: stateDir,
      })),
    );
  }
  return targets;
}

/** Flips `groupPolicy: "open"` to `"allowlist"` on each channel and account; returns the change lines. */
export function allowlistOpenGroups(tree: Record<string, unknown>): string[] {
  const changes: string[] = [];
  const channels = tree.channels;
  if (typeof channels !== "object" || channels === null) return changes;
  for (const [channel, value] of Object.entries(channels as Record<string, unknown>)) {
    if (typeof value !== "object" || value === null) continue;
    const section = value as Record<string, unknown>;
    if (section.groupPolicy === "open") {
      section.groupPolicy = "allowlist";
      changes.push(`channels.${channel}.groupPolicy=open -> allowlist`);
    }
    const accounts = section.accounts;
    if (typeof accounts !== "object" || accounts === null) continue;
    for (const [account, accountValue] of Object.entries(accounts as Record<string, unknown>)) {
      if (!account || typeof accountValue !== "object" || accountValue === null) continue;
      const entry = accountValue as Record<string, unknown>;
      if (entry.groupPolicy !== "open") continue;
      entry.groupPolicy = "allowlist";
      changes.push(`channels.${channel}.accounts.${account}.groupPolicy=open -> allowlist`);
    }
  }
  return changes;
}

/** Applies the fixes; an invalid config is left untouched and named in `errors`. */
export async function fixSecurityFootguns(params: {
  env: EnvSnapshot;
  stateDir: string;
  configPath: string;
  agentIds: (config: Record<string, unknown>) => string[];
}): Promise<FixResult> {
  const { env, stateDir, configPath } = params;
  const errors: string[] = [];
  let changes: string[] = [];
  let configWritten = false;
  let config: Record<string, unknown> = {};
  try {
    const snapshot = await loadConfig(configPath, env);
    config = snapshot.config as Record<string, unknown>;
    // Edit the file as written (before ${VAR} substitution), so no secret is expanded onto disk.
    const tree = structuredClone(snapshot.authored);
    changes = allowlistOpenGroups(tree);
    if (changes.length > 0 && configReadOnly(env)) {
      // An immutable config is not written; the modes are still tightened (the reference's order).
      errors.push(`replaceConfigFile failed: ConfigReadOnlyError: ${readOnlyMessage(configPath, env)}`);
    } else if (changes.length > 0) {
      // As `config set`: the rewrite is JSON, so say so before comments in a JSON5 file are dropped.
      const warning = json5CommentsWarning(snapshot.source, configPath);
      if (warning) printError(warning);
      try {
        await writeConfigFile(configPath, tree, { expectedHash: snapshot.hash });
        configWritten = true;
      } catch (error) {
        errors.push(`replaceConfigFile failed: ${String(error)}`);
      }
    }
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const issues = error.issues.map((issue) => `${issue.path}: ${issue.message}`);
    errors.push(...(issues.length > 0 ? issues : [messageOf(error)]));
  }
  const actions: ChmodAction[] = [];
  const credentials = credentialsDir(stateDir, env);
  for (const target of await permissionTargets(stateDir, configPath, credentials, params.agentIds(config))) {
    actions.push(await safeChmod(target));
  }
  return { ok: errors.length === 0, stateDir, configPath, configWritten, changes, actions, errors };
}
