// The parts `openclaw reset` and `openclaw uninstall` share: the cleanup plan read from the config,
// the refusal while a gateway owns the state dir, and stopping an installed gateway service.

import { loadConfig } from "../../config/load.ts";
import { type EnvSnapshot, type GatewayPaths, pathExists, resolvePaths } from "../../config/paths.ts";
import { normalizePosix } from "../../config/agent_roster.ts";
import { InstanceLock, lockOwner, lockPath } from "../../server/instance_lock.ts";
import { StartupError } from "../../server/startup_error.ts";
import { controlService, ServiceError, servicePath, type ServiceTarget } from "../../service/install.ts";
import { runCommand } from "../../service/runtime.ts";
import { type CleanupOutput, type CleanupPlan, cleanupPlan, removePreserving } from "../../state/cleanup_paths.ts";
import type { GlobalOptions } from "../main.ts";
import { printError, printLine } from "../output.ts";

/** Progress on stdout, failures on stderr, as the reference's runtime prints them. */
export const consoleOutput: CleanupOutput = { log: printLine, error: printError };

/** The state dir, config path and home for this profile and env. */
export function cleanupPaths(options: GlobalOptions, env: EnvSnapshot): GatewayPaths {
  return resolvePaths({ env, profile: options.profile, dev: options.dev, exists: pathExists });
}

/**
 * The plan for a removal. A config that does not load leaves the workspaces unknown, so a real
 * removal refuses (the reference's words); a dry run falls back to the default workspace.
 */
export async function resolvePlan(
  paths: GatewayPaths,
  env: EnvSnapshot,
  dryRun: boolean,
): Promise<CleanupPlan | undefined> {
  try {
    const snapshot = await loadConfig(paths.configPath, env);
    return cleanupPlan(paths, env, snapshot.exists ? snapshot.authored : undefined);
  } catch (error) {
    if (dryRun) return cleanupPlan(paths, env, undefined);
    const reason = error instanceof Error ? error.message : String(error);
    printError(
      `Cannot safely remove OpenClaw state because workspace configuration could not be resolved: ${reason}. Fix the configuration and retry.`,
    );
    return undefined;
  }
}

/** The reference's refusal while a gateway (or other state owner) holds the state dir, or undefined. */
export async function ownershipRefusal(stateDir: string): Promise<string | undefined> {
  const owner = await lockOwner(stateDir);
  if (!owner) return undefined;
  const pid = owner.record ? ` Owner: pid ${owner.record.pid}.` : "";
  return `Cannot remove OpenClaw state while the Gateway or another state maintenance command owns this state directory. Stop the Gateway and retry.${pid}`;
}

/**
 * Removes the state dir while holding its gateway lock, so no gateway can start on it meanwhile:
 * everything but the lock file (and `preserve`) goes, then the lock is released and the dir, if
 * empty, removed (a dry run only lists, taking no lock). Undefined when done; the refusal when another process owns the state dir.
 */
export async function removeStateOwned(
  plan: CleanupPlan,
  preserve: string[],
  context: { home: string; cwd: string; dryRun: boolean; out: CleanupOutput },
): Promise<string | undefined> {
  if (context.dryRun) return await removePreserving(plan.stateDir, preserve, context) ? undefined : "";
  const refusal = await ownershipRefusal(plan.stateDir);
  if (refusal) return refusal;
  const info = await Deno.lstat(plan.stateDir).catch(() => undefined);
  if (!info?.isDirectory) return await removePreserving(plan.stateDir, preserve, context) ? undefined : "";
  let lock: InstanceLock;
  try {
    lock = await InstanceLock.acquire({ stateDir: plan.stateDir, configPath: plan.configPath, port: 0 });
  } catch (error) {
    if (!(error instanceof StartupError)) throw error;
    return "Cannot remove OpenClaw state while the Gateway or another state maintenance command owns this state directory. Stop the Gateway and retry.";
  }
  let ok: boolean;
  try {
    ok = await removePreserving(plan.stateDir, [...preserve, lockPath(plan.stateDir)], context);
  } finally {
    await lock.release();
  }
  if (ok) await Deno.remove(plan.stateDir).catch(() => {}); // left in place when a preserved workspace is inside
  return ok ? undefined : "";
}

/** The service target of this profile, as `openclaw gateway install` wrote it. */
export function cleanupServiceTarget(paths: GatewayPaths): ServiceTarget {
  return {
    manager: Deno.build.os === "darwin" ? "launchd" : "systemd",
    system: false,
    home: paths.home,
    profile: paths.profile,
    uid: Deno.uid() ?? 0,
    run: runCommand,
  };
}

/** The state dir the installed unit's gateway runs on: its pinned OPENCLAW_STATE_DIR, else the profile's default. */
export async function serviceStateDir(target: ServiceTarget, paths: GatewayPaths): Promise<string | undefined> {
  const text = await Deno.readTextFile(servicePath(target)).catch(() => undefined);
  if (text === undefined) return undefined;
  const pinned = /^Environment="?OPENCLAW_STATE_DIR=(.*?)"?$/m.exec(text)?.[1] ??
    /<key>OPENCLAW_STATE_DIR<\/key>\s*<string>([^<]*)<\/string>/.exec(text)?.[1];
  const dir = pinned?.replace(/\\(["\\])/g, "$1").replace(/%%/g, "%") ??
    resolvePaths({ env: { HOME: paths.home }, profile: paths.profile, dev: paths.dev, exists: pathExists }).stateDir;
  return normalizePosix(dir);
}

/**
 * True when this profile's unit is installed and runs on `paths.stateDir`: a unit serving another
 * state dir (OPENCLAW_STATE_DIR moved for this command only) is another install's, never ours to stop.
 */
export async function serviceServesState(target: ServiceTarget, paths: GatewayPaths): Promise<boolean> {
  const dir = await serviceStateDir(target, paths);
  return dir !== undefined && dir === normalizePosix(paths.stateDir);
}

/** True when this profile's service unit is installed (the reference's "loaded"). */
export function serviceInstalled(target: ServiceTarget): boolean {
  return pathExists(servicePath(target));
}

/** Stops an installed gateway service; false (with the reference's words) when stopping fails. */
export async function stopInstalledService(target: ServiceTarget): Promise<boolean> {
  if (!serviceInstalled(target)) return true;
  try {
    await controlService(target, "stop");
    return true;
  } catch (error) {
    if (!(error instanceof ServiceError)) throw error;
    printError(`Gateway stop failed: ${error.message}`);
    return false;
  }
}

/** True when prompts can be answered: stdin is a terminal. */
export function stdinIsTerminal(): boolean {
  return Deno.stdin.isTerminal();
}
