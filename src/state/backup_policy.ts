// Which paths a full archive takes, as the reference decides: live-mutation files (session
// transcripts, logs, queues, sockets, pid/tmp files) are skipped as volatile, installer-managed and
// regenerable roots are left out, and explicitly selected paths (config, credentials, workspaces,
// agent roots, the state database) always stay in.
import { extname, posix } from "node:path";
import { isPathWithin } from "./backup_archive_path.ts";

/** State-relative roots that hold managed checkouts, package trees and downloaded runtimes. */
export const MANAGED_STATE_ROOTS = ["dev", "git", "npm", "npm-runtime", "tmp", "tools"] as const;

const SINGLETONS = new Set(["SingletonCookie", "SingletonLock", "SingletonSocket"]);
const SQLITE_TRANSIENT =
  /(?:^|\/)(?:[^/]+\.sqlite\.(?:generation-(?:lock|writer)|reindex-lock)\.sqlite|[^/]+\.sqlite\.(?:backup|memory-reindex|tmp)-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?:-wal|-shm|-journal)?$/iu;

/** Socket, pid and tmp names, skipped in every selected root. */
export function isTransientName(path: string): boolean {
  return /.+\.(?:sock$|pid$|tmp(?:\.|$))/iu.test(posix.basename(path));
}

/** Memory-index lock and scratch databases, never archived. */
export function isTransientSqlitePath(path: string): boolean {
  return SQLITE_TRANSIENT.test(path);
}

const under = (child: string, parent: string) => child === parent || child.startsWith(`${parent}/`);
const hasExt = (path: string, exts: string[]) => exts.includes(extname(path).toLowerCase());

function isStateVolatile(path: string, stateDir: string): boolean {
  const rel = (...parts: string[]) => posix.join(stateDir, ...parts);
  if (under(path, rel("browser"))) {
    const parts = posix.relative(rel("browser"), path).split("/").filter(Boolean);
    if (parts.length === 3 && parts[1] === "user-data" && SINGLETONS.has(parts[2] ?? "")) return true;
  }
  for (const root of ["sandbox/skills-workspaces", "cache/control-ui-assets", "tmp/plugin-captures"]) {
    if (under(path, rel(root))) return true;
  }
  const logLike = [".jsonl", ".log"];
  if (under(path, rel("sessions")) && hasExt(path, logLike)) return true;
  if (under(path, rel("agents"))) {
    const parts = posix.relative(rel("agents"), path).split("/").filter(Boolean);
    if (parts.length >= 3 && parts[1] === "sessions" && hasExt(path, logLike)) return true;
  }
  if ((under(path, rel("cron", "runs")) || under(path, rel("logs"))) && hasExt(path, logLike)) return true;
  for (const queue of ["delivery-queue", "session-delivery-queue"]) {
    if (under(path, rel(queue)) && hasExt(path, [".json", ".delivered", ".tmp"])) return true;
  }
  return under(path, stateDir) && isTransientName(path);
}

/** The inputs of the path policy: the state dir and what was explicitly selected or left out. */
export interface PolicyInputs {
  stateDir: string;
  /** Paths that stay in whatever rule matches them (config, credentials, workspaces, agent roots). */
  protectedPaths: readonly string[];
  /** Roots left out (managed and regenerable roots, workspaces under `--no-include-workspace`). */
  excludedPaths: readonly string[];
}

/** The traversal predicates of one archive run. */
export interface BackupPolicy {
  isIncluded(path: string): boolean;
  isTraversable(path: string): boolean;
  isVolatile(path: string): boolean;
  isPackageContent(path: string): boolean;
}

/** Builds the traversal predicates from the selected and excluded paths. */
export function backupPolicy(inputs: PolicyInputs): BackupPolicy {
  const { stateDir, protectedPaths, excludedPaths } = inputs;
  const isIncluded = (path: string) => {
    const exclusion = excludedPaths.find((excluded) => isPathWithin(path, excluded));
    if (!exclusion) return true;
    return protectedPaths.some((kept) => isPathWithin(path, kept) && isPathWithin(kept, exclusion));
  };
  return {
    isIncluded,
    isTraversable: (path) => isIncluded(path) || protectedPaths.some((kept) => isPathWithin(kept, path)),
    isVolatile: (path) => {
      const owned = protectedPaths.some((kept) => isPathWithin(path, kept));
      const holdsKept = protectedPaths.some((kept) => isPathWithin(kept, path));
      return (path !== stateDir && !holdsKept && isTransientName(path)) || (!owned && isStateVolatile(path, stateDir));
    },
    isPackageContent: (path) => {
      if (protectedPaths.some((kept) => isPathWithin(path, kept) || isPathWithin(kept, path))) return false;
      if (!isPathWithin(path, stateDir)) return false;
      return posix.relative(stateDir, path).split("/").includes("node_modules");
    },
  };
}
