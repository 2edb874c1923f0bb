// A `backup sqlite` repository: one directory per committed snapshot, each exactly `manifest.json`
// and `database.sqlite`, published as the reference publishes it (staged in `.tmp-<uuid>`, the
// directory marked `.pending` until both files are in and verified), listed newest first, verified
// through a private copy, and restored only to a fresh path outside the repository.
import { basename, dirname, join } from "node:path";
import { isDeepStrictEqual } from "node:util";
import { DatabaseSync } from "node:sqlite";
import { isPathWithin } from "./backup_archive_path.ts";
import { canonicalForContainment } from "./backup_plan.ts";
import { snapshotDatabase, type SnapshotRole } from "./backup_sqlite_snapshot.ts";
import {
  assertArtifactMatches,
  assertSnapshotContents,
  hashFile,
  readSnapshotManifest,
  verifySnapshotArtifact,
} from "./sqlite_snapshot_checks.ts";
import { type SnapshotDatabase, snapshotId, type SnapshotManifest } from "./sqlite_snapshot_manifest.ts";
import { lstatOrUndefined } from "./lstat_or_undefined.ts";

/** A snapshot as `list` reports it. */
export interface ListedSnapshot {
  ref: { path: string };
  manifest: SnapshotManifest;
}

function assertRealDirectory(info: Deno.FileInfo, path: string, label: string): void {
  if (info.isSymlink || !info.isDirectory) throw new Error(`${label} must be a real directory: ${path}`);
}

/** Verifies a complete `.pending` snapshot and removes the marker; returns its manifest. */
async function commitPending(dir: string, validationRoot: string, expected?: SnapshotManifest) {
  await assertSnapshotContents(dir, true);
  const manifest = await readSnapshotManifest(dir);
  if (expected && !isDeepStrictEqual(manifest, expected)) {
    throw new Error(`SQLite snapshot manifest changed during publication: ${dir}`);
  }
  const artifact = join(dir, "database.sqlite");
  assertArtifactMatches(artifact, await hashFile(artifact), manifest);
  await verifySnapshotArtifact(artifact, manifest, validationRoot);
  await Deno.remove(join(dir, ".pending")).catch((error) => {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  });
  await assertSnapshotContents(dir);
  return manifest;
}

async function classify(dir: string): Promise<"incomplete" | "committed" | "complete-pending"> {
  const names = new Set<string>();
  for await (const entry of Deno.readDir(dir)) {
    if (!["manifest.json", ".pending", "database.sqlite"].includes(entry.name) || entry.isSymlink || !entry.isFile) {
      throw new Error(`SQLite snapshot contains unexpected incomplete entry: ${join(dir, entry.name)}`);
    }
    names.add(entry.name);
  }
  if (names.size === 0) return "incomplete";
  if (!names.has(".pending")) return "committed";
  return names.has("manifest.json") && names.has("database.sqlite") ? "complete-pending" : "incomplete";
}

/** Snapshots `source` into a new directory of `repository`. */
export async function createSnapshot(
  repository: string,
  source: { path: string; owner: Exclude<SnapshotRole, { role: "quarantine" }> },
  now = new Date(),
): Promise<{ snapshotPath: string; manifest: SnapshotManifest }> {
  const existing = await lstatOrUndefined(repository);
  if (existing) assertRealDirectory(existing, repository, "SQLite snapshot repository");
  await Deno.mkdir(repository, { recursive: true, mode: 0o700 });
  await Deno.chmod(repository, 0o700);
  const id = snapshotId(now);
  const dir = join(repository, id);
  const staging = join(repository, `.tmp-${crypto.randomUUID()}`);
  await Deno.mkdir(staging, { mode: 0o700 });
  let created = false;
  try {
    const artifact = join(staging, "database.sqlite");
    await snapshotDatabase(source.path, artifact, source.owner);
    const copy = new DatabaseSync(artifact, { readOnly: true });
    const userVersion = (copy.prepare("PRAGMA user_version").get() as { user_version: number }).user_version;
    copy.close();
    const name = basename(source.path);
    const database: SnapshotDatabase = source.owner.role === "global"
      ? { role: "global", basename: name, userVersion }
      : { role: "agent", agentId: source.owner.agentId, basename: name, userVersion };
    const manifest: SnapshotManifest = {
      schemaVersion: 1,
      snapshotId: id,
      createdAt: now.toISOString(),
      database,
      artifact: { path: "database.sqlite", ...(await hashFile(artifact)) },
    };
    await Deno.writeTextFile(join(staging, "manifest.json"), `${JSON.stringify(manifest, null, 2)}\n`, {
      createNew: true,
      mode: 0o600,
    });
    try {
      await Deno.mkdir(dir, { mode: 0o700 });
      created = true;
    } catch (error) {
      if (error instanceof Deno.errors.AlreadyExists) {
        throw new Error(`SQLite snapshot directory already exists: ${dir}`);
      }
      throw error;
    }
    await Deno.writeFile(join(dir, ".pending"), new Uint8Array(), { createNew: true, mode: 0o600 });
    for (const name of ["database.sqlite", "manifest.json"]) {
      await Deno.link(join(staging, name), join(dir, name));
      await Deno.remove(join(staging, name));
    }
    await commitPending(dir, repository, manifest);
    return { snapshotPath: dir, manifest };
  } catch (error) {
    if (created) await Deno.remove(dir, { recursive: true }).catch(() => {});
    throw error;
  } finally {
    await Deno.remove(staging, { recursive: true }).catch(() => {});
  }
}

/** Every committed snapshot of `repository`, newest first (a complete pending one is committed first). */
export async function listSnapshots(repository: string): Promise<ListedSnapshot[]> {
  const info = await lstatOrUndefined(repository);
  if (!info) return [];
  assertRealDirectory(info, repository, "SQLite snapshot repository");
  const snapshots: ListedSnapshot[] = [];
  for await (const entry of Deno.readDir(repository)) {
    const path = join(repository, entry.name);
    if (entry.name.startsWith(".tmp-")) {
      if (entry.isSymlink || !entry.isDirectory) {
        throw new Error(`SQLite snapshot repository contains unsafe staging entry: ${path}`);
      }
      continue;
    }
    if (entry.isSymlink || !entry.isDirectory) {
      throw new Error(`SQLite snapshot repository contains unexpected entry: ${path}`);
    }
    const state = await classify(path);
    if (state === "incomplete") continue;
    const manifest = state === "complete-pending"
      ? await commitPending(path, dirname(repository))
      : (await assertSnapshotContents(path), await readSnapshotManifest(path));
    snapshots.push({ ref: { path }, manifest });
  }
  return snapshots.sort((a, b) =>
    b.manifest.createdAt.localeCompare(a.manifest.createdAt) ||
    b.manifest.snapshotId.localeCompare(a.manifest.snapshotId)
  );
}

async function resolveSnapshot(snapshot: string, validationRoot: string): Promise<string> {
  const repository = dirname(snapshot);
  const repoInfo = await lstatOrUndefined(repository);
  if (!repoInfo) {
    throw new Error(
      `SQLite snapshot repository does not exist: ${repository}. Check the snapshot path or create a snapshot with \`openclaw backup sqlite create\`.`,
    );
  }
  assertRealDirectory(repoInfo, repository, "SQLite snapshot repository");
  const info = await lstatOrUndefined(snapshot);
  if (!info) {
    throw new Error(
      `SQLite snapshot does not exist: ${snapshot}. Run \`openclaw backup sqlite list --repository ${repository}\` to inspect available snapshots.`,
    );
  }
  assertRealDirectory(info, snapshot, "SQLite snapshot");
  if (await lstatOrUndefined(join(snapshot, ".pending")) && await classify(snapshot) === "complete-pending") {
    await commitPending(snapshot, validationRoot);
  }
  return snapshot;
}

/** Verifies one snapshot directory; `validationRoot` holds the private verification copy. */
export async function verifySnapshot(snapshot: string, validationRoot: string): Promise<SnapshotManifest> {
  const dir = await resolveSnapshot(snapshot, validationRoot);
  await assertSnapshotContents(dir);
  const manifest = await readSnapshotManifest(dir);
  const artifact = join(dir, "database.sqlite");
  assertArtifactMatches(artifact, await hashFile(artifact), manifest);
  await verifySnapshotArtifact(artifact, manifest, validationRoot);
  await assertSnapshotContents(dir);
  return manifest;
}

const SIDECARS = ["-wal", "-shm", "-journal"];

/** Verifies a snapshot and writes its database to the fresh path `target`. */
export async function restoreSnapshot(snapshot: string, target: string): Promise<SnapshotManifest> {
  const repository = dirname(snapshot);
  const dir = await resolveSnapshot(snapshot, dirname(repository));
  await assertSnapshotContents(dir);
  const manifest = await readSnapshotManifest(dir);
  for (const candidate of [target, ...SIDECARS.map((suffix) => `${target}${suffix}`)]) {
    if (await lstatOrUndefined(candidate)) throw new Error(`Fresh SQLite restore path already exists: ${candidate}`);
  }
  if (isPathWithin(canonicalForContainment(target), await Deno.realPath(repository))) {
    throw new Error(`SQLite restore target must be outside snapshot repository ${repository}: ${target}`);
  }
  const parent = dirname(target);
  await Deno.mkdir(parent, { recursive: true, mode: 0o700 });
  const staging = await Deno.makeTempDir({ dir: parent, prefix: ".tmp-restore-" });
  try {
    const staged = join(staging, "database.sqlite");
    await Deno.copyFile(join(dir, "database.sqlite"), staged);
    await Deno.chmod(staged, 0o600);
    assertArtifactMatches(staged, await hashFile(staged), manifest);
    await assertSnapshotContents(dir);
    await verifySnapshotArtifact(staged, manifest, parent);
    try {
      await Deno.link(staged, target);
    } catch (error) {
      if (error instanceof Deno.errors.AlreadyExists) {
        throw new Error(`Fresh SQLite restore path already exists: ${target}`);
      }
      throw error;
    }
    for (const suffix of SIDECARS) {
      if (await lstatOrUndefined(`${target}${suffix}`)) {
        throw new Error(`Restored SQLite database has unexpected sidecar: ${target}${suffix}`);
      }
    }
    return manifest;
  } finally {
    await Deno.remove(staging, { recursive: true }).catch(() => {});
  }
}
