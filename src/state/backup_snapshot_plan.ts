// Which databases an archive snapshots instead of copying: the shared state database, the
// quarantine store and every agent database the state database's registry lists (the registry read
// from the snapshot, not the live file).
// Their live files and `-wal`/`-shm`/`-journal` sidecars never enter the archive; any other
// SQLite file under the state or agent roots is copied as opaque bytes with a warning.
import { basename, isAbsolute, join } from "node:path";
import { isPathWithin } from "./backup_archive_path.ts";
import { type BackupPlan, canonicalForContainment } from "./backup_plan.ts";
import { isTransientSqlitePath } from "./backup_policy.ts";
import { snapshotDatabase, type SnapshotRole } from "./backup_sqlite_snapshot.ts";

const SIDECARS = ["-wal", "-shm", "-journal"] as const;

/** The snapshots taken and the rules the walk applies to SQLite files. */
export interface SnapshotPlan {
  /** Each snapshot file and the live database path it stands for in the archive. */
  files: { snapshotPath: string; sourcePath: string }[];
  /** Live database files and sidecars replaced by a snapshot. */
  skippedPaths: Set<string>;
  /** `excluded` (transient, AppleDouble or outside the policy), `opaque` (copied with a warning) or undefined. */
  classify(path: string): "excluded" | "opaque" | undefined;
}

async function fileExists(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isFile;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

function databaseOf(path: string): string | undefined {
  for (const suffix of SIDECARS) {
    if (path.endsWith(suffix)) {
      const db = path.slice(0, -suffix.length);
      return db.endsWith(".sqlite") ? db : undefined;
    }
  }
  return path.endsWith(".sqlite") ? path : undefined;
}

/** Snapshots the state and registered agent databases into `scratch`. */
export async function snapshotPlan(plan: BackupPlan, scratch: string): Promise<SnapshotPlan> {
  const stateDir = canonicalForContainment(plan.stateDir);
  const files: SnapshotPlan["files"] = [];
  const skippedPaths = new Set<string>();
  const take = async (sourcePath: string, owner: SnapshotRole) => {
    const snapshotPath = join(scratch, `openclaw-state-db-${files.length}.sqlite`);
    try {
      const registry = await snapshotDatabase(sourcePath, snapshotPath, owner);
      files.push({ snapshotPath, sourcePath });
      for (const path of new Set([sourcePath, await Deno.realPath(sourcePath)])) {
        skippedPaths.add(path);
        for (const suffix of SIDECARS) skippedPaths.add(`${path}${suffix}`);
      }
      return registry;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new Error(
        `SQLite database cannot be compacted safely for backup: ${sourcePath}. ${message}. The source must pass full integrity checks, online SQLite backup, and offline compaction with its required SQLite capabilities; a direct file copy was refused because it can retain deleted data.`,
        { cause: error },
      );
    }
  };
  const globalPath = join(stateDir, "state", "openclaw.sqlite");
  let registry: { agentId: string; path: string }[] = [];
  if (await fileExists(globalPath)) {
    registry = await take(globalPath, { role: "global" });
  } else {
    for (const suffix of SIDECARS) {
      if (await fileExists(`${globalPath}${suffix}`)) {
        throw new Error(`Canonical global SQLite database is missing but a sidecar remains: ${globalPath}${suffix}`);
      }
    }
  }
  const quarantinePath = join(stateDir, "state", "openclaw-quarantine.sqlite");
  if (await fileExists(quarantinePath)) await take(quarantinePath, { role: "quarantine" });
  const seen = new Set<string>();
  for (const row of registry) {
    const path = isAbsolute(row.path) ? row.path : join(stateDir, row.path);
    if (seen.has(path) || !(await fileExists(path))) continue;
    seen.add(path);
    await take(path, { role: "agent", agentId: row.agentId });
  }
  const roots = [stateDir, ...plan.agentRoots.map((root) => root.sourcePath)];
  return {
    files,
    skippedPaths,
    classify: (path) => {
      const transient = isTransientSqlitePath(path);
      const db = databaseOf(path);
      if (!transient && !db) return undefined;
      if (!roots.some((root) => isPathWithin(path, root)) || plan.policy.isPackageContent(path)) return undefined;
      if (transient || !plan.policy.isIncluded(path)) return "excluded";
      if (basename(path).startsWith("._")) return "excluded";
      return "opaque";
    },
  };
}
