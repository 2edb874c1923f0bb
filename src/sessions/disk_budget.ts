// The reference's session disk budget (`session.maintenance.maxDiskBytes` / `highWaterBytes`) over one
// agent: what it measures (the sessions directory's files, its `cold/` archives and prompt blobs, the agent
// database and its WAL) and, in `enforce` mode when the total is over `maxDiskBytes`, the eviction it
// runs until the total is at `highWaterBytes`: free pages are reclaimed, then published canonical
// archives go oldest first (file and `session_transcript_archives` row), then retained archive files
// (`.deleted.`/`.reset.`/`.bak.`) oldest first. Recorded in
// tests/fixtures/sessions/reference_sessions_artifacts.json (`budget`). Its later stages (evicting
// historical session windows, then archived sessions) are not run here: a store still over its high water
// keeps them, so nothing the reference would keep is ever removed.
import type { DatabaseSync } from "node:sqlite";
import { isRetainedArchiveName, readPromptBlobFiles, readSessionDirFiles } from "./session_artifacts.ts";
import type { SessionStore } from "./store.ts";

/** The reference's `diskBudget` block. */
export interface DiskBudgetSummary {
  totalBytesBefore: number;
  totalBytesAfter: number;
  removedFiles: number;
  removedEntries: number;
  freedBytes: number;
  maxBytes: number;
  highWaterBytes: number;
  overBudget: boolean;
}

/** One agent's files the budget counts: its database and its sessions directory. */
export interface BudgetTarget {
  agentId: string;
  dbPath: string;
  sessionsDir: string;
}

/** The limits, from `session.maintenance`. */
export interface BudgetLimits {
  maxDiskBytes: number;
  highWaterBytes: number;
}

async function sizeOf(path: string): Promise<number> {
  try {
    const stat = await Deno.lstat(path);
    return stat.isFile ? stat.size : 0;
  } catch {
    return 0;
  }
}

/** The physical bytes the reference measures for one agent. */
export async function measureDiskUsage(target: BudgetTarget): Promise<number> {
  const files = [
    ...await readSessionDirFiles(target.sessionsDir),
    ...await readSessionDirFiles(`${target.sessionsDir}/cold`),
    ...await readPromptBlobFiles(target.sessionsDir),
  ];
  const unique = new Map(files.map((f) => [f.path, f.size]));
  // The database and its write-ahead log (its shared-memory index is not data).
  for (const path of [target.dbPath, `${target.dbPath}-wal`]) unique.set(path, await sizeOf(path));
  unique.delete(`${target.dbPath}-shm`);
  return [...unique.values()].reduce((a, b) => a + b, 0);
}

function result(before: number, after: number, limits: BudgetLimits, removedFiles: number): DiskBudgetSummary {
  return {
    totalBytesBefore: before,
    totalBytesAfter: after,
    removedFiles,
    removedEntries: 0,
    freedBytes: Math.max(0, before - after),
    maxBytes: limits.maxDiskBytes,
    highWaterBytes: limits.highWaterBytes,
    overBudget: before > limits.maxDiskBytes,
  };
}

/** What a dry run reports: the measured total, nothing removed. */
export async function inspectDiskBudget(target: BudgetTarget, limits: BudgetLimits): Promise<DiskBudgetSummary> {
  const total = await measureDiskUsage(target);
  return result(total, total, limits, 0);
}

/**
 * Whether a real run would evict anything (the dry run's `wouldMutate`): over budget in `enforce` mode
 * with an archive, a historical session window or an archived session to evict, as the reference asks.
 */
export function budgetWouldMutate(db: DatabaseSync, sessionsDirNames: readonly string[]): boolean {
  if (sessionsDirNames.some(isRetainedArchiveName)) return true;
  const has = (sql: string) => db.prepare(sql).get() !== undefined;
  const archives = has("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'session_transcript_archives'") &&
    has("SELECT 1 FROM session_transcript_archives WHERE published_at IS NOT NULL LIMIT 1");
  return archives ||
    has(
      "SELECT 1 FROM session_windows w WHERE NOT EXISTS " +
        "(SELECT 1 FROM session_nodes n WHERE n.current_session_id = w.session_id) LIMIT 1",
    ) ||
    has("SELECT 1 FROM session_nodes WHERE archived_at IS NOT NULL LIMIT 1");
}

interface CanonicalArchive {
  name: string;
  sessionId: string;
  generation: string;
}

function oldestPublishedArchive(db: DatabaseSync): CanonicalArchive | undefined {
  const table = db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'session_transcript_archives'")
    .get();
  if (!table) return undefined;
  return db.prepare(
    "SELECT archive_name AS name, session_id AS sessionId, generation FROM session_transcript_archives " +
      "WHERE published_at IS NOT NULL ORDER BY created_at, session_id, generation LIMIT 1",
  ).get() as CanonicalArchive | undefined;
}

function unpublishedArchiveNames(db: DatabaseSync): Set<string> {
  const table = db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'session_transcript_archives'")
    .get();
  if (!table) return new Set();
  const rows = db.prepare("SELECT archive_name AS name FROM session_transcript_archives WHERE published_at IS NULL")
    .all() as { name: string }[];
  return new Set(rows.map((r) => r.name));
}

/** Removes a file; false when it could not be removed (a missing file counts as removed for canonical rows). */
async function removeFile(path: string): Promise<"removed" | "missing" | "failed"> {
  try {
    await Deno.remove(path);
    return "removed";
  } catch (error) {
    return error instanceof Deno.errors.NotFound ? "missing" : "failed";
  }
}

/**
 * Enforces the budget on one agent through `store` (the gateway's, or one the CLI opened): in `warn` mode
 * or under `maxDiskBytes` it only measures. Answers the reference's summary.
 */
export async function enforceDiskBudget(
  store: SessionStore,
  target: BudgetTarget,
  limits: BudgetLimits,
  mode: "enforce" | "warn",
): Promise<DiskBudgetSummary> {
  const before = await measureDiskUsage(target);
  if (before <= limits.maxDiskBytes || mode === "warn") return result(before, before, limits, 0);
  await store.reclaimFreePages(target.agentId);
  let total = await measureDiskUsage(target);
  let removed = 0;
  // Canonical archives first: the file, then its row, oldest first.
  while (total > limits.highWaterBytes) {
    const oldest = await store.maintain(target.agentId, oldestPublishedArchive);
    if (!oldest) break;
    if (oldest.name.includes("/") || oldest.name === "." || oldest.name === "..") break;
    const outcome = await removeFile(`${target.sessionsDir}/${oldest.name}`);
    if (outcome === "failed") break;
    if (outcome === "removed") removed += 1;
    await store.maintain(
      target.agentId,
      (db) =>
        db.prepare("DELETE FROM session_transcript_archives WHERE session_id = ? AND generation = ?")
          .run(oldest.sessionId, oldest.generation),
    );
    await store.reclaimFreePages(target.agentId);
    total = await measureDiskUsage(target);
  }
  if (total > limits.highWaterBytes) {
    // Then retained archive files oldest first, never one whose row still waits to be published.
    const pending = await store.maintain(target.agentId, unpublishedArchiveNames) ?? new Set<string>();
    const files = (await readSessionDirFiles(target.sessionsDir))
      .filter((f) => isRetainedArchiveName(f.name) && !pending.has(f.name))
      .toSorted((a, b) => a.mtimeMs - b.mtimeMs);
    for (const file of files) {
      if (total <= limits.highWaterBytes) break;
      if (await removeFile(file.path) !== "removed") continue;
      removed += 1;
      total = await measureDiskUsage(target);
    }
  }
  return result(before, total, limits, removed);
}
