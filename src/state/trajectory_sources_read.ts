// Reading what a trajectory export is made of from an agent database, without opening it writable: a
// session's stored transcript events (the reference's JSONL rows, zstd-packed ones unpacked) and its
// trajectory runtime events, each in sequence order, as the reference's exporter loads them.
import type { DatabaseSync } from "node:sqlite";

/** A session's export sources, parsed. */
export interface TrajectorySources {
  transcript: Record<string, unknown>[];
  runtime: Record<string, unknown>[];
}

function hasTable(db: DatabaseSync, name: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?").get(name) !== undefined;
}

function parseObject(json: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(json);
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? value as Record<string, unknown>
      : undefined;
  } catch {
    return undefined;
  }
}

/** The transcript and runtime events of `sessionId` in the database at `path` (none of either when absent). */
export async function readTrajectorySources(path: string, sessionId: string): Promise<TrajectorySources> {
  const { DatabaseSync } = await import("node:sqlite");
  const { zstdDecompressSync } = await import("node:zlib");
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    const text = new TextDecoder();
    const transcript = hasTable(db, "transcript_events")
      ? (db.prepare(
        "SELECT event_json AS json, event_zstd AS zstd FROM transcript_events WHERE session_id = ? ORDER BY seq",
      ).all(sessionId) as { json: string | null; zstd: Uint8Array | null }[])
        .map((row) => parseObject(row.json ?? text.decode(zstdDecompressSync(row.zstd!))))
        .filter((event): event is Record<string, unknown> => event !== undefined)
      : [];
    const runtime = hasTable(db, "trajectory_runtime_events")
      ? (db.prepare("SELECT event_json AS json FROM trajectory_runtime_events WHERE session_id = ? ORDER BY seq")
        .all(sessionId) as { json: string }[]).map((row) => parseObject(row.json))
        .filter((event): event is Record<string, unknown> => event !== undefined)
      : [];
    return { transcript, runtime };
  } finally {
    db.close();
  }
}
