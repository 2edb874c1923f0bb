// The reference's transcript generation (`transcript_rewrite_watermarks`): one random token per
// session window that has transcript events, made once and kept by pure appends. The reference's
// gateway refuses to archive or delete a transcript without one ("Cannot archive SQLite transcript
// without a generation"), so every window this gateway writes carries one, as the reference's do.
import type { DatabaseSync } from "node:sqlite";

/**
 * The statement that gives a window its generation if it has none (the reference's format: 32 lower-case
 * hex digits); parameters: session id, time. Run in the same transaction as the event it accompanies.
 */
export const ENSURE_TRANSCRIPT_GENERATION_SQL = "INSERT INTO transcript_rewrite_watermarks " +
  "(session_id, generation, updated_at) VALUES (?, lower(hex(randomblob(16))), ?) ON CONFLICT(session_id) DO NOTHING";

const LACKING = "FROM session_windows w " +
  "WHERE NOT EXISTS (SELECT 1 FROM transcript_rewrite_watermarks r WHERE r.session_id = w.session_id) " +
  "AND EXISTS (SELECT 1 FROM transcript_events e WHERE e.session_id = w.session_id)";

/**
 * Gives every window that has transcript events and no generation one: windows written before this
 * gateway wrote generations. Read first, so an up-to-date database takes no write lock (another
 * process, the reference's gateway, may hold it); best effort, since a window left without one gets
 * it with its next event. One index probe per window.
 */
export function backfillTranscriptGenerations(db: DatabaseSync, now = Date.now()): void {
  try {
    if (!db.prepare(`SELECT 1 ${LACKING} LIMIT 1`).get()) return;
    db.prepare(
      "INSERT OR IGNORE INTO transcript_rewrite_watermarks (session_id, generation, updated_at) " +
        `SELECT w.session_id, lower(hex(randomblob(16))), ? ${LACKING}`,
    ).run(now);
  } catch {
    // A busy or read-only database keeps its windows as they are; see above.
  }
}
