// The database half of `backup verify`: the state database snapshot is extracted to a private temp
// dir and checked (header, integrity, role `global`); the agent snapshots its registry lists are
// then checked for their owner. Sidecars beside a snapshot and case-mangled paths are refused.
import * as tar from "tar";
import { DatabaseSync } from "node:sqlite";
import { isAbsolute, join, posix } from "node:path";
import { backupArchivePath, isArchivePathWithin } from "./backup_archive_path.ts";
import type { BackupManifest } from "./backup_manifest.ts";
import {
  assertAgentDbOwner,
  assertSnapshotRole,
  assertSqliteFileShape,
  assertSqliteIntegrity,
  registeredAgentDatabases,
} from "./backup_sqlite_checks.ts";

/** A snapshot's expected owner. */
type Owner = { archivePath: string; role: "global" } | { archivePath: string; role: "agent"; agentId: string };

/** The listed entries the checks run over. */
interface Entry {
  raw: string;
  normalized: string;
  size?: number;
  type?: string;
}

const SIDECARS = ["-wal", "-shm", "-journal"];
const portableKey = (value: string) => value.normalize("NFC").toLowerCase();
const isRegular = (type?: string) => type === "File" || type === "OldFile" || type === "ContiguousFile";

function snapshotEntries(entries: Entry[], owners: Owner[]): (Entry & Owner)[] {
  const byKey = new Map(owners.map((owner) => [portableKey(owner.archivePath), owner]));
  const found: (Entry & Owner)[] = [];
  for (const entry of entries) {
    const key = portableKey(entry.normalized);
    for (const suffix of SIDECARS) {
      if (key.endsWith(suffix) && byKey.has(key.slice(0, -suffix.length))) {
        throw new Error(`Backup contains a SQLite snapshot sidecar: ${entry.normalized}`);
      }
    }
    const owner = byKey.get(key);
    if (!owner) continue;
    if (entry.normalized !== owner.archivePath) {
      throw new Error(`Backup contains a case-mangled canonical SQLite path: ${entry.normalized}`);
    }
    if (!isRegular(entry.type)) throw new Error(`SQLite snapshot must be a regular archive file: ${entry.normalized}`);
    found.push({ ...entry, ...owner });
  }
  return found;
}

async function extract(archivePath: string, dir: string, wanted: (Entry & Owner)[]): Promise<void> {
  const byRaw = new Map(wanted.map((entry) => [entry.raw, entry]));
  for (const entry of wanted) {
    if (!Number.isSafeInteger(entry.size) || (entry.size ?? -1) < 0) {
      throw new Error(`SQLite snapshot has an invalid archive size: ${entry.normalized}`);
    }
    if (entry.size === 0) throw new Error(`SQLite snapshot is empty: ${entry.normalized}`);
  }
  await tar.x({
    file: archivePath,
    gzip: true,
    cwd: dir,
    strict: true,
    preserveOwner: false,
    filter: (path: string, item: unknown) => {
      const expected = byRaw.get(path);
      if (!expected) return false;
      if ((item as { size?: number }).size !== expected.size) {
        throw new Error(`SQLite snapshot size changed during verification: ${path}`);
      }
      return true;
    },
  } as tar.TarOptionsWithAliasesFile);
}

/** Checks the state database snapshot and the agent snapshots it registers; returns nothing or throws. */
export async function verifySnapshots(
  params: { archivePath: string; entries: Entry[]; manifest: BackupManifest; tempRoot: string },
): Promise<void> {
  const { manifest, entries } = params;
  const stateDir = manifest.paths?.stateDir ?? manifest.assets.find((a) => a.kind === "state")?.sourcePath;
  if (!stateDir) return;
  const stateRoot = backupArchivePath(manifest.archiveRoot, stateDir);
  for (const entry of entries) {
    if (
      isArchivePathWithin(portableKey(entry.normalized), portableKey(stateRoot)) &&
      !isArchivePathWithin(entry.normalized, stateRoot)
    ) throw new Error(`Backup contains a case-mangled state asset path: ${entry.normalized}`);
  }
  const globalOwner: Owner = { archivePath: posix.join(stateRoot, "state/openclaw.sqlite"), role: "global" };
  const globals = snapshotEntries(entries, [globalOwner]);
  if (globals.length === 0) return;
  const states = manifest.assets.filter((a) => a.kind === "state");
  if (states.length > 1) {
    throw new Error(`Backup manifest must contain at most one state asset; found ${states.length}.`);
  }
  if (states[0] && states[0].archivePath !== backupArchivePath(manifest.archiveRoot, states[0].sourcePath)) {
    throw new Error("Backup manifest state asset archivePath does not match its sourcePath.");
  }
  const dir = await Deno.makeTempDir({ dir: params.tempRoot, prefix: "openclaw-backup-verify-sqlite-" });
  try {
    const batches = [globals];
    for (const batch of batches) {
      await extract(params.archivePath, dir, batch);
      for (const entry of batch) {
        const extracted = join(dir, ...entry.normalized.split("/"));
        let db: DatabaseSync | undefined;
        try {
          const info = await Deno.lstat(extracted);
          if (!info.isFile) throw new Error(`Extracted SQLite snapshot is not a regular file: ${entry.normalized}`);
          if (info.size !== entry.size) {
            throw new Error(`Extracted SQLite snapshot size does not match archive: ${entry.normalized}`);
          }
          await assertSqliteFileShape(extracted, entry.normalized, info.size);
          db = new DatabaseSync(extracted, { readOnly: true });
          db.exec("PRAGMA query_only = ON; PRAGMA trusted_schema = OFF;");
          assertSqliteIntegrity(db, entry.normalized);
          if (entry.role === "agent") assertAgentDbOwner(db, entry.normalized, entry.agentId);
          else assertSnapshotRole(db, entry.normalized, entry.role);
          if (entry.role === "global") {
            const agents: Owner[] = registeredAgentDatabases(db, stateDir).map((row) => ({
              archivePath: backupArchivePath(
                manifest.archiveRoot,
                isAbsolute(row.path) ? row.path : posix.join(stateDir, row.path),
              ),
              role: "agent",
              agentId: row.agentId,
            }));
            const found = snapshotEntries(entries, agents);
            if (found.length > 0) batches.push(found);
          }
        } catch (error) {
          throw new Error(
            `Backup SQLite snapshot failed verification: ${entry.normalized}. ${
              error instanceof Error ? error.message : error
            }`,
          );
        } finally {
          db?.close();
        }
      }
    }
  } finally {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}
