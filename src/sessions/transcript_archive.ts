// A deleted session's transcripts kept as the reference keeps them: one row per transcript generation in
// `session_transcript_archives` (zstd JSONL, its sha256, its file name), committed in the same transaction
// that removes the session, then published as `agents/<id>/sessions/<sessionId>.jsonl.deleted.<time>.
// <generation>.zst` (0600). A crash before publishing leaves the row pending (published_at NULL): the
// transcript is never lost, and the next publish (ours or the reference's) writes the file.
import type { DatabaseSync } from "node:sqlite";
import { zstdCompressSync, zstdDecompressSync } from "node:zlib";
import { createHash, randomBytes } from "node:crypto";

/** One archived transcript generation: its row's identity, file name and bytes. */
export interface TranscriptArchive {
  sessionId: string;
  generation: string;
  name: string;
  blob: Uint8Array;
}

interface WindowRow {
  sessionId: string;
  generation: string | null;
  current: number;
}

/** The reference's archive time in a file name: the ISO instant with `:` as `-` (`2026-12-01T09-13-06.737Z`). */
export function archiveStamp(at: number): string {
  return new Date(at).toISOString().replaceAll(":", "-");
}

/** The reference's archive file name for a generation archived at `at` with `reason` (`deleted` or `reset`). */
export function archiveName(sessionId: string, reason: "deleted" | "reset", at: number, generation: string): string {
  return `${sessionId}.jsonl.${reason}.${archiveStamp(at)}.${generation}.zst`;
}

/** A window's transcript as the reference's JSONL: each stored event on its own line, newline-terminated. */
function transcriptJsonl(db: DatabaseSync, sessionId: string): string | undefined {
  const events = db.prepare(
    "SELECT event_json AS json, event_zstd AS zstd FROM transcript_events WHERE session_id = ? ORDER BY seq",
  ).all(sessionId) as { json: string | null; zstd: Uint8Array | null }[];
  if (events.length === 0) return undefined;
  const text = new TextDecoder();
  return events.map((e) => (e.json ?? text.decode(zstdDecompressSync(e.zstd!))) + "\n").join("");
}

/**
 * Writes an archive row for every transcript window of `sessionKey` (the current one first, as the
 * reference answers) and returns them; run inside the transaction that then removes the session, so the
 * transcript is at every instant either live or archived. A window without a generation gets one.
 */
export function archiveSessionTranscripts(
  db: DatabaseSync,
  sessionKey: string,
  reason: "deleted" | "reset",
  now: () => number = Date.now,
): TranscriptArchive[] {
  const windows = db.prepare(
    "SELECT w.session_id AS sessionId, r.generation, (w.session_id = n.current_session_id) AS current " +
      "FROM session_windows w LEFT JOIN transcript_rewrite_watermarks r ON r.session_id = w.session_id " +
      "LEFT JOIN session_nodes n ON n.session_key = w.session_key WHERE w.session_key = ? " +
      "ORDER BY current DESC, w.created_at DESC, w.session_id",
  ).all(sessionKey) as unknown as WindowRow[];
  const insert = db.prepare(
    "INSERT INTO session_transcript_archives (session_id, generation, session_key, reason, encoding, " +
      "archive_blob, archive_sha256, archive_name, created_at, publish_attempts) " +
      "VALUES (?, ?, ?, ?, 'zstd', ?, ?, ?, ?, 0) ON CONFLICT(session_id, generation) DO NOTHING",
  );
  const archives: TranscriptArchive[] = [];
  for (const window of windows) {
    const jsonl = transcriptJsonl(db, window.sessionId);
    if (jsonl === undefined) continue;
    const generation = window.generation ?? randomBytes(16).toString("hex");
    const at = now();
    const blob = new Uint8Array(zstdCompressSync(new TextEncoder().encode(jsonl)));
    const name = archiveName(window.sessionId, reason, at, generation);
    const sha = createHash("sha256").update(blob).digest("hex");
    if (insert.run(window.sessionId, generation, sessionKey, reason, blob, sha, name, at).changes === 0) continue;
    archives.push({ sessionId: window.sessionId, generation, name, blob });
  }
  return archives;
}

/** The archive rows not yet written out as files (a delete interrupted after its commit), oldest first. */
export function pendingTranscriptArchives(db: DatabaseSync): TranscriptArchive[] {
  const rows = db.prepare(
    "SELECT session_id AS sessionId, generation, archive_name AS name, archive_blob AS blob " +
      "FROM session_transcript_archives WHERE published_at IS NULL ORDER BY created_at, session_id, generation",
  ).all() as unknown as TranscriptArchive[];
  return rows;
}

/**
 * Writes one archive file into `dir` (made 0700) as 0600, through a temporary name, synced, so a crash
 * leaves either no file or the whole one; returns its path.
 */
export async function writeArchiveFile(dir: string, archive: TranscriptArchive): Promise<string> {
  await Deno.mkdir(dir, { recursive: true, mode: 0o700 });
  const path = `${dir}/${archive.name}`;
  const temp = `${dir}/.${archive.name}.${crypto.randomUUID()}.tmp`;
  const file = await Deno.open(temp, { write: true, createNew: true, mode: 0o600 });
  try {
    let written = 0;
    while (written < archive.blob.length) written += await file.write(archive.blob.subarray(written));
    await file.sync();
  } finally {
    file.close();
  }
  await Deno.chmod(temp, 0o600);
  await Deno.rename(temp, path);
  return path;
}

/** Records a publish attempt as the reference does: on success the file's time, on failure the reason. */
export function markArchivePublished(
  db: DatabaseSync,
  archive: TranscriptArchive,
  at: number,
  error?: string,
): void {
  db.prepare(
    "UPDATE session_transcript_archives SET published_at = ?, publish_attempts = publish_attempts + 1, " +
      "last_publish_attempt_at = ?, last_publish_error = ? WHERE session_id = ? AND generation = ?",
  ).run(error === undefined ? at : null, at, error ?? null, archive.sessionId, archive.generation);
}
