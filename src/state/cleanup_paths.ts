// What `openclaw reset` and `openclaw uninstall` may delete, and the one way they delete it. The
// targets are only the state dir, the config file, the credentials dir, the configured workspaces and
// the per-agent session dirs; a symlink among them is unlinked, never followed, and a target that is
// `/`, the home, or contains the home or the cwd is refused whatever the config says.

import { credentialsDir } from "../config/account_dirs.ts";
import { agentIds, agentWorkspace, normalizePosix } from "../config/agent_roster.ts";
import type { EnvSnapshot, GatewayPaths } from "../config/paths.ts";
import { lstatOrUndefined } from "./lstat_or_undefined.ts";

/** The paths a cleanup considers, resolved from the env and the config as the reference does. */
export interface CleanupPlan {
  home: string;
  stateDir: string;
  configPath: string;
  credsDir: string;
  configInsideState: boolean;
  credsInsideState: boolean;
  workspaceDirs: string[];
}

/** Where one removal's words go: the reference logs progress on stdout and failures on stderr. */
export interface CleanupOutput {
  log: (line: string) => void;
  error: (line: string) => void;
}

/** True when `child` is `parent` or lies below it (both absolute, normalized). */
export function isWithin(child: string, parent: string): boolean {
  const c = normalizePosix(child);
  const p = normalizePosix(parent);
  return c === p || c.startsWith(p === "/" ? "/" : `${p}/`);
}

/** The cleanup plan: workspaces of every configured agent (the default one when there is no config tree). */
export function cleanupPlan(
  paths: GatewayPaths,
  env: EnvSnapshot,
  tree: Record<string, unknown> | undefined,
): CleanupPlan {
  const credsDir = credentialsDir(paths.stateDir, env);
  const roster = { home: paths.home, stateDir: paths.stateDir };
  const ids = tree ? agentIds(tree) : ["main"];
  const workspaceDirs = [...new Set(ids.map((id) => agentWorkspace(tree ?? {}, id, roster)))];
  // Normalized: `~/link/` (a trailing slash) would make lstat and remove follow the link.
  const normal = (path: string) => path.startsWith("/") ? normalizePosix(path) : path;
  return {
    home: paths.home,
    stateDir: normal(paths.stateDir),
    configPath: normal(paths.configPath),
    credsDir: normal(credsDir),
    configInsideState: isWithin(paths.configPath, paths.stateDir),
    credsInsideState: isWithin(credsDir, paths.stateDir),
    workspaceDirs,
  };
}

/**
 * Why a target may not be removed, or undefined when it may: empty, the filesystem root, the home,
 * anything containing the home (the reference refuses only the home itself), or anything containing the cwd.
 */
export function unsafeReason(target: string, home: string, cwd: string): string | undefined {
  if (!target.trim() || !target.startsWith("/")) return "not an absolute path";
  const resolved = normalizePosix(target);
  if (resolved === "/") return "the filesystem root";
  if (home && isWithin(home, resolved)) return "the home directory or a directory containing it";
  if (isWithin(cwd, resolved)) return "the current directory or a directory containing it";
  return undefined;
}

/** `~` for the home prefix, as the reference prints paths. */
export function shortenHome(path: string, home: string): string {
  if (!home || home === "/") return path;
  return path === home ? "~" : path.startsWith(`${home}/`) ? `~${path.slice(home.length)}` : path;
}

/**
 * The path as the filesystem resolves it, its last component left unresolved (a symlink there is
 * unlinked, not followed): `/tmp/link-to-root/home/a` is the home `/home/a`.
 */
async function physicalPath(path: string): Promise<string> {
  const normal = normalizePosix(path);
  if (normal === "/") return normal;
  const cut = normal.lastIndexOf("/");
  const parent = normal.slice(0, cut) || "/";
  const real = await Deno.realPath(parent).catch(() => parent);
  return normalizePosix(`${real}/${normal.slice(cut + 1)}`);
}

/** unsafeReason on the path as written and as the filesystem resolves it (home and cwd resolved too). */
async function unsafeOnDisk(target: string, home: string, cwd: string): Promise<string | undefined> {
  const lexical = unsafeReason(target, home, cwd);
  if (lexical) return lexical;
  const realHome = home ? await Deno.realPath(home).catch(() => home) : home;
  const realCwd = await Deno.realPath(cwd).catch(() => cwd);
  return unsafeReason(await physicalPath(target), realHome, realCwd);
}

/**
 * Removes one target (a dry run only says so): a symlink is unlinked, a directory removed without
 * following links inside it (the remover unlinks them), a missing path counts as removed.
 */
export async function removeTarget(
  target: string,
  context: { home: string; cwd: string; dryRun: boolean; out: CleanupOutput },
): Promise<boolean> {
  const label = shortenHome(target, context.home);
  if (await unsafeOnDisk(target, context.home, context.cwd)) {
    context.out.error(`Refusing to remove unsafe path: ${label}`);
    return false;
  }
  // A trailing slash would make lstat and remove follow a symlink named by the target.
  target = target.startsWith("/") ? normalizePosix(target) : target;
  if (context.dryRun) {
    context.out.log(`[dry-run] remove ${label}`);
    return true;
  }
  try {
    const info = await lstatOrUndefined(target);
    if (info?.isSymlink) await Deno.remove(target);
    else if (info) await Deno.remove(target, { recursive: true });
    context.out.log(`Removed ${label}`);
    return true;
  } catch (error) {
    context.out.error(`Failed to remove ${label}: ${error instanceof Error ? error.message : String(error)}`);
    return false;
  }
}

/**
 * Removes `target` except the `preserve` paths below it (the workspaces `uninstall --state` keeps):
 * entries holding no preserved path go whole, the rest are descended into.
 */
export async function removePreserving(
  target: string,
  preserve: string[],
  context: { home: string; cwd: string; dryRun: boolean; out: CleanupOutput },
): Promise<boolean> {
  const kept = preserve.filter((path) => isWithin(path, target));
  if (kept.some((path) => isWithin(target, path))) return true;
  if (kept.length === 0) return await removeTarget(target, context);
  const label = shortenHome(target, context.home);
  if (await unsafeOnDisk(target, context.home, context.cwd)) {
    context.out.error(`Refusing to remove unsafe path: ${label}`);
    return false;
  }
  target = normalizePosix(target);
  if (context.dryRun) {
    context.out.log(
      `[dry-run] remove ${label} preserving ${kept.map((path) => shortenHome(path, context.home)).join(", ")}`,
    );
    return true;
  }
  const info = await lstatOrUndefined(target);
  if (!info?.isDirectory) return await removeTarget(target, context);
  const quiet = { ...context, out: { log: () => {}, error: context.out.error } };
  for await (const entry of Deno.readDir(target)) {
    if (!await removePreserving(`${target}/${entry.name}`, kept, quiet)) return false;
  }
  context.out.log(`Removed contents of ${label}`);
  return true;
}

/**
 * The per-agent session dirs under the state dir (`<state>/agents/<id>/sessions`), sorted. An
 * `agents` dir that is a link leading out of the state dir is not followed: `outside` names it and
 * no dir of it is listed (the reference removes the sessions at the link's target).
 */
export async function agentSessionDirs(stateDir: string): Promise<{ dirs: string[]; outside?: string }> {
  const agents = `${normalizePosix(stateDir)}/agents`;
  const real = await Deno.realPath(agents).catch(() => undefined);
  if (real === undefined) return { dirs: [] };
  const realState = await Deno.realPath(stateDir).catch(() => stateDir);
  if (!isWithin(real, realState)) return { dirs: [], outside: agents };
  const dirs: string[] = [];
  for await (const entry of Deno.readDir(agents)) {
    if (entry.isDirectory) dirs.push(`${agents}/${entry.name}/sessions`);
  }
  return { dirs: dirs.sort() };
}
