// The real run of `openclaw sessions cleanup` on one agent's database, inside one transaction (the
// caller's, SessionStore.maintainArchiving): the entries are read and planned afresh under the write
// lock (cleanup_plan.ts), sessions the plan archives get `archivedAt`/`archiveReason` in their entry,
// and sessions it removes lose their row after every transcript of theirs is archived as a session
// delete archives it (reason `deleted`; an incognito session's go unarchived, as there).
import type { DatabaseSync } from "node:sqlite";
import { ARCHIVE_REASONS, type CleanupPlan, planCleanup, type PlanEntry, type PlanOptions } from "./cleanup_plan.ts";
import { isIncognito, sessionTranscriptIds } from "./transcript_archive.ts";

/** The entries of the store in its order (by key); an entry without `updatedAt` takes the row's. */
export function readPlanEntries(db: DatabaseSync): PlanEntry[] {
  const rows = db.prepare(
    "SELECT session_key AS key, entry_json AS json, updated_at AS updatedAt FROM session_nodes ORDER BY session_key",
  ).all() as unknown as { key: string; json: string; updatedAt: number }[];
  return rows.flatMap((row) => {
    try {
      const entry: unknown = JSON.parse(row.json);
      if (typeof entry !== "object" || entry === null || Array.isArray(entry)) return [];
      const e = entry as Record<string, unknown>;
      if (typeof e.updatedAt !== "number") e.updatedAt = row.updatedAt;
      return [{ key: row.key, entry: e }];
    } catch {
      return []; // an entry this gateway cannot read is never judged (nor touched)
    }
  });
}

/**
 * The keys whose current transcript holds no message event (what `--fix-missing` prunes). A compressed
 * event counts as a message: only a transcript confirmed message-free goes.
 */
export function messageFreeKeys(db: DatabaseSync, entries: readonly PlanEntry[]): Set<string> {
  const hasMessage = db.prepare(
    "SELECT 1 FROM transcript_events WHERE session_id = ? AND (event_json IS NULL OR " +
      "json_extract(event_json, '$.type') = 'message' OR (json_extract(event_json, '$.type') IS NULL AND " +
      "json_extract(event_json, '$.message.role') IS NOT NULL)) LIMIT 1",
  );
  return new Set(
    entries.filter((e) => typeof e.entry.sessionId === "string" && hasMessage.get(e.entry.sessionId) === undefined)
      .map((e) => e.key),
  );
}

/** Options of a real run; `fixMissing` is computed here from the database. */
export type ApplyOptions = Omit<PlanOptions, "fixMissing"> & { fixMissing: boolean };

/**
 * Plans and applies one store's cleanup in the caller's transaction; `archive` keeps a transcript about
 * to be removed (an archive row in this transaction, published after the commit).
 */
export function applyCleanup(
  db: DatabaseSync,
  options: ApplyOptions,
  archive: (transcript: { sessionId: string; sessionKey: string }) => void,
): CleanupPlan {
  const entries = readPlanEntries(db);
  const plan = planCleanup(entries, {
    ...options,
    fixMissing: options.fixMissing ? { messageFree: messageFreeKeys(db, entries) } : undefined,
  });
  const mark = db.prepare(
    "UPDATE session_nodes SET entry_json = json_set(json_remove(entry_json, '$.archivedBy'), '$.archivedAt', ?, " +
      "'$.archiveReason', ?), archived_at = ? WHERE session_key = ?",
  );
  const remove = db.prepare("DELETE FROM session_nodes WHERE session_key = ?");
  const removals: string[] = [];
  for (const [key, action] of plan.actions) {
    if (action === "keep") continue;
    if (action in ARCHIVE_REASONS) {
      mark.run(BigInt(options.now), ARCHIVE_REASONS[action as keyof typeof ARCHIVE_REASONS], options.now, key);
    } else removals.push(key);
  }
  // The reference archives the removed sessions' transcripts last key first; the same order here.
  for (const key of removals.toSorted().toReversed()) {
    if (!isIncognito(db, key)) {
      for (const sessionId of sessionTranscriptIds(db, key)) archive({ sessionId, sessionKey: key });
    }
    remove.run(key);
  }
  return plan;
}
