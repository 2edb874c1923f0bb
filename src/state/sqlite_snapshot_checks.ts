// The checks behind every `backup sqlite` read: the snapshot directory holds exactly
// `manifest.json` and `database.sqlite` (regular, not hard-linked), the artifact matches the
// manifest's size and SHA-256, and a private copy of it passes SQLite's integrity checks, its owner
// check and the manifest's `user_version`. The reference's words throughout.
import { createHash } from "node:crypto";
import { DatabaseSync } from "node:sqlite";
import { basename, join } from "node:path";
import { assertAgentDbOwner, assertSqliteIntegrity, assertStateDbOwner } from "./backup_sqlite_checks.ts";
import {
  parseSnapshotManifest,
  SNAPSHOT_MANIFEST_MAX_BYTES,
  type SnapshotDatabase,
  type SnapshotManifest,
} from "./sqlite_snapshot_manifest.ts";

/** SHA-256 (hex) and size of a file, read in chunks. */
export async function hashFile(path: string): Promise<{ sha256: string; sizeBytes: number }> {
  const hash = createHash("sha256");
  let sizeBytes = 0;
  using file = await Deno.open(path, { read: true });
  for await (const chunk of file.readable) {
    hash.update(chunk);
    sizeBytes += chunk.length;
  }
  return { sha256: hash.digest("hex"), sizeBytes };
}

/** The snapshot directory holds exactly the manifest and the database (plus `.pending` when allowed). */
export async function assertSnapshotContents(dir: string, allowPending = false): Promise<void> {
  const expected = new Set(["manifest.json", "database.sqlite"]);
  for await (const entry of Deno.readDir(dir)) {
    const path = join(dir, entry.name);
    if (allowPending && entry.name === ".pending") continue;
    if (!expected.delete(entry.name)) throw new Error(`SQLite snapshot contains unexpected entry: ${path}`);
    if (entry.isSymlink || !entry.isFile) throw new Error(`SQLite snapshot entry must be a regular file: ${path}`);
    if (((await Deno.lstat(path)).nlink ?? 1) > 1) {
      throw new Error(`SQLite snapshot entry must not be hardlinked: ${path}`);
    }
  }
  if (expected.size > 0) throw new Error(`SQLite snapshot is missing ${[...expected].join(", ")}: ${dir}`);
}

/** Reads and parses a snapshot directory's manifest. */
export async function readSnapshotManifest(dir: string): Promise<SnapshotManifest> {
  const path = join(dir, "manifest.json");
  const info = await Deno.lstat(path);
  if (info.size > SNAPSHOT_MANIFEST_MAX_BYTES) throw new Error(`Snapshot manifest exceeds 1048576 bytes: ${path}`);
  return parseSnapshotManifest(await Deno.readTextFile(path), path, basename(dir));
}

/** The artifact's size and hash are the manifest's. */
export function assertArtifactMatches(
  path: string,
  artifact: { sha256: string; sizeBytes: number },
  manifest: SnapshotManifest,
): void {
  if (artifact.sizeBytes !== manifest.artifact.sizeBytes) {
    throw new Error(
      `Snapshot artifact size mismatch for ${path}: expected ${manifest.artifact.sizeBytes}, got ${artifact.sizeBytes}`,
    );
  }
  if (artifact.sha256 !== manifest.artifact.sha256) {
    throw new Error(
      `Snapshot artifact hash mismatch for ${path}: expected ${manifest.artifact.sha256}, got ${artifact.sha256}`,
    );
  }
}

/** The owner check and `user_version` of an opened snapshot database. */
export function assertSnapshotDatabase(db: DatabaseSync, label: string, database: SnapshotDatabase): void {
  if (database.role === "global") assertStateDbOwner(db, label);
  else assertAgentDbOwner(db, label, database.agentId);
  const userVersion = (db.prepare("PRAGMA user_version").get() as { user_version: number }).user_version;
  if (userVersion !== database.userVersion) {
    throw new Error(
      `Snapshot database user_version mismatch for ${label}: expected ${database.userVersion}, got ${userVersion}`,
    );
  }
}

/**
 * Verifies the artifact through a private copy under `validationRoot` (so the bytes SQLite reads
 * cannot be swapped by a path race), then the artifact itself again.
 */
export async function verifySnapshotArtifact(
  artifactPath: string,
  manifest: SnapshotManifest,
  validationRoot: string,
): Promise<void> {
  try {
    if (!(await Deno.lstat(validationRoot)).isDirectory) throw new Deno.errors.NotADirectory(validationRoot);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
    throw new Error(
      `SQLite validation root does not exist: ${validationRoot}. Create a private directory there or pass an existing directory with \`--scratch\`.`,
    );
  }
  const dir = await Deno.makeTempDir({ dir: validationRoot, prefix: ".tmp-verify-" });
  try {
    await Deno.chmod(dir, 0o700);
    const copy = join(dir, "database.sqlite");
    await Deno.copyFile(artifactPath, copy);
    await Deno.chmod(copy, 0o600);
    assertArtifactMatches(copy, await hashFile(copy), manifest);
    const db = new DatabaseSync(copy, { readOnly: true });
    try {
      db.exec("PRAGMA busy_timeout = 30000; PRAGMA trusted_schema = OFF;");
      assertSqliteIntegrity(db, artifactPath);
      assertSnapshotDatabase(db, artifactPath, manifest.database);
    } finally {
      db.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
  assertArtifactMatches(artifactPath, await hashFile(artifactPath), manifest);
}
