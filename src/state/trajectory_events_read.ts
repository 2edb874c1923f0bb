// Reading a session's trajectory runtime events (`trajectory_runtime_events`, written by the reference's
// runtime) from an agent database without opening it writable, as the reference's `sessions tail` reads
// them: the last N by sequence, or every one after a sequence.
import type { DatabaseSync } from "node:sqlite";

/** One stored event: its sequence and its parsed JSON. */
export interface TrajectoryEventRow {
  seq: number;
  event: Record<string, unknown>;
}

function hasTable(db: DatabaseSync): boolean {
  return db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'trajectory_runtime_events'")
    .get() !== undefined;
}

function parse(json: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(json);
    return typeof value === "object" && value !== null && !Array.isArray(value) ? value as Record<string, unknown> : {};
  } catch {
    return {};
  }
}

/**
 * The events of `sessionId` in the database at `path`, oldest first: the last `tail` of them, or (with
 * `afterSeq`) every one after it. None when the file or the table is not there.
 */
export async function readTrajectoryEvents(
  path: string,
  sessionId: string,
  select: { tail: number } | { afterSeq: number },
): Promise<TrajectoryEventRow[]> {
  try {
    if (!(await Deno.stat(path)).isFile) return [];
  } catch {
    return [];
  }
  const { DatabaseSync } = await import("node:sqlite");
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    if (!hasTable(db)) return [];
    const rows = "tail" in select
      ? (db.prepare(
        "SELECT seq, event_json AS json FROM trajectory_runtime_events WHERE session_id = ? ORDER BY seq DESC LIMIT ?",
      ).all(sessionId, Math.max(0, Math.floor(select.tail))) as { seq: number; json: string }[]).toReversed()
      : db.prepare(
        "SELECT seq, event_json AS json FROM trajectory_runtime_events WHERE session_id = ? AND seq > ? ORDER BY seq",
      ).all(sessionId, select.afterSeq) as { seq: number; json: string }[];
    return rows.map((row) => ({ seq: row.seq, event: parse(row.json) }));
  } finally {
    db.close();
  }
}
