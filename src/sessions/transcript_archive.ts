// A deleted session's transcripts kept as the reference keeps them: one row per transcript generation in
// `session_transcript_archives` (zstd JSONL, its sha256, its file name), committed in the same transaction
// that removes the session, then published as `agents/<id>/sessions/<sessionId>.jsonl.deleted.<time>.
// <generation>.zst` (0600). A crash before publishing leaves the row pending (published_at NULL): the
// transcript is never lost, and the next publish (ours or the reference's) writes the file.
import type { DatabaseSync } from "node:sqlite";
import { zstdCompressSync, zstdDecompressSync } from "node:zlib";
import { createHash, randomBytes } from "node:crypto";
import { syncDirectory } from "../state/sync_directory.ts";

/** One archived transcript generation: its row's identity, file name and bytes. */
export interface TranscriptArchive {
  sessionId: string;
  generation: string;
  name: string;
  blob: Uint8Array;
  /** The blob's sha256 (hex), as the row records it; a published file must hash to it. */
  sha256: string;
}

/** The reference's archive time in a file name: the ISO instant with `:` as `-` (`2026-12-01T09-13-06.737Z`). */
export function archiveStamp(at: number): string {
  return new Date(at).toISOString().replaceAll(":", "-");
}

/** The longest session id (UTF-8 bytes) the reference puts in an archive name as it is. */
const MAX_NAMED_SESSION_ID_BYTES = 96;

/**
 * The reference's archive file name for a generation archived at `at` with `reason` (`deleted` or `reset`);
 * a session id longer than 96 bytes is named by its sha256 (`session-<hex>`), as there.
 */
export function archiveName(sessionId: string, reason: "deleted" | "reset", at: number, generation: string): string {
  const id = new TextEncoder().encode(sessionId).length <= MAX_NAMED_SESSION_ID_BYTES
    ? sessionId
    : `session-${sha256Hex(new TextEncoder().encode(sessionId))}`;
  return `${id}.jsonl.${reason}.${archiveStamp(at)}.${generation}.zst`;
}

function sha256Hex(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
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

/** What {@link archiveTranscript} keeps: one transcript (session window) of a session about to lose it. */
export interface TranscriptToArchive {
  sessionId: string;
  /** The session the transcript belongs to, as the archive row records it. */
  sessionKey: string;
  /** `deleted` for a removed session or a pruned run, as the reference names both. */
  reason: "deleted" | "reset";
}

/**
 * Writes the archive row of one transcript and returns it; run inside the transaction that then removes
 * the transcript, so it is at every instant either live or archived. Undefined when there is nothing to
 * keep (no events) or this generation is archived already with the same bytes; a transcript without a
 * generation gets one. The caller publishes the returned archive after the commit.
 */
export function archiveTranscript(
  db: DatabaseSync,
  transcript: TranscriptToArchive,
  now: () => number = Date.now,
): TranscriptArchive | undefined {
  const { sessionId, sessionKey, reason } = transcript;
  const jsonl = transcriptJsonl(db, sessionId);
  if (jsonl === undefined) return undefined;
  const watermark = db.prepare("SELECT generation FROM transcript_rewrite_watermarks WHERE session_id = ?")
    .get(sessionId) as { generation: string | null } | undefined;
  const generation = watermark?.generation ?? randomBytes(16).toString("hex");
  const at = now();
  const blob = new Uint8Array(zstdCompressSync(new TextEncoder().encode(jsonl)));
  const name = archiveName(sessionId, reason, at, generation);
  const sha256 = sha256Hex(blob);
  const inserted = db.prepare(
    "INSERT INTO session_transcript_archives (session_id, generation, session_key, reason, encoding, " +
      "archive_blob, archive_sha256, archive_name, created_at, publish_attempts) " +
      "VALUES (?, ?, ?, ?, 'zstd', ?, ?, ?, ?, 0) ON CONFLICT(session_id, generation) DO NOTHING",
  ).run(sessionId, generation, sessionKey, reason, blob, sha256, name, at);
  if (inserted.changes === 0) {
    // This generation is archived already: only the same bytes may be dropped from the live table.
    const kept = db.prepare(
      "SELECT archive_sha256 AS sha256 FROM session_transcript_archives WHERE session_id = ? AND generation = ?",
    ).get(sessionId, generation) as { sha256: string } | undefined;
    if (kept?.sha256 !== sha256) throw new ConflictingArchiveError(sessionId);
    return undefined;
  }
  return { sessionId, generation, name, blob, sha256 };
}

/**
 * The transcripts (session windows) of `sessionKey` in the order the reference archives them: the current
 * one first, then the newest earlier one down to the oldest.
 */
export function sessionTranscriptIds(db: DatabaseSync, sessionKey: string): string[] {
  const windows = db.prepare(
    "SELECT w.session_id AS sessionId, (w.session_id = n.current_session_id) AS current " +
      "FROM session_windows w LEFT JOIN session_nodes n ON n.session_key = w.session_key WHERE w.session_key = ? " +
      "ORDER BY current DESC, w.created_at DESC, w.session_id",
  ).all(sessionKey) as unknown as { sessionId: string }[];
  return windows.map((w) => w.sessionId);
}

/**
 * Writes an archive row for every transcript window of `sessionKey` (the current one first, as the
 * reference answers) and returns them; run inside the transaction that then removes the session, so the
 * transcript is at every instant either live or archived.
 */
export function archiveSessionTranscripts(
  db: DatabaseSync,
  sessionKey: string,
  reason: "deleted" | "reset",
  now: () => number = Date.now,
): TranscriptArchive[] {
  return sessionTranscriptIds(db, sessionKey)
    .map((sessionId) => archiveTranscript(db, { sessionId, sessionKey, reason }, now))
    .filter((archive) => archive !== undefined);
}

/**
 * The archives a delete keeps: every generation of the session's transcript, unless the session is
 * incognito, whose transcripts the reference removes unarchived.
 */
export function archiveDeletedSession(db: DatabaseSync, sessionKey: string): TranscriptArchive[] {
  return isIncognito(db, sessionKey) ? [] : archiveSessionTranscripts(db, sessionKey, "deleted");
}

/** The reference's incognito session keys (`agent:<id>:dashboard:incognito-<x>` and the like). */
const INCOGNITO_KEY = /^agent:[^:]+:(?:dashboard|subagent|internal-session-effects):incognito-[^:]+$/u;

/** Whether a session is incognito (its entry or its key says so): the reference removes its transcripts unarchived. */
export function isIncognito(db: DatabaseSync, key: string): boolean {
  if (INCOGNITO_KEY.test(key.trim().toLowerCase())) return true;
  const row = db.prepare(
    "SELECT json_extract(entry_json, '$.incognito') AS incognito FROM session_nodes WHERE session_key = ?",
  )
    .get(key) as { incognito: number | null } | undefined;
  return row?.incognito === 1;
}

/** The archive rows not yet written out as files (a delete interrupted after its commit), oldest first. */
export function pendingTranscriptArchives(db: DatabaseSync): TranscriptArchive[] {
  const rows = db.prepare(
    "SELECT session_id AS sessionId, generation, archive_name AS name, archive_blob AS blob, " +
      "archive_sha256 AS sha256 " +
      "FROM session_transcript_archives WHERE published_at IS NULL ORDER BY created_at, session_id, generation",
  ).all() as unknown as TranscriptArchive[];
  return rows;
}

/**
 * A transcript generation is already archived with other bytes (another writer archived it before it
 * grew), in the reference's words; thrown inside the delete's transaction, so the session stays live.
 */
export class ConflictingArchiveError extends Error {
  constructor(sessionId: string) {
    super(`Conflicting SQLite transcript archive for ${sessionId}`);
    this.name = "ConflictingArchiveError";
  }
}

/**
 * An archive file could not be published as its row records it (a different file holds its name, or the
 * written file does not hash to the row's sha256), in the reference's words; the row keeps the transcript.
 */
export class ArchivePublishError extends Error {
  constructor(problem: "collision" | "verification failed", name: string) {
    super(`SQLite transcript archive ${problem} for ${name}`);
    this.name = "ArchivePublishError";
  }
}

/**
 * Publishes one archive into `dir` (made 0700) as the reference does: a file already there with the row's
 * hash is the same archive and is kept; otherwise a 0600 temporary `<name>.<uuid>.tmp` is written and
 * synced, then hard-linked to the name (never replacing a file) and removed, so a crash leaves either no
 * archive or the whole one. The published file is verified against the row's hash; answers its path.
 */
export async function writeArchiveFile(dir: string, archive: TranscriptArchive): Promise<string> {
  await Deno.mkdir(dir, { recursive: true, mode: 0o700 });
  const path = `${dir}/${archive.name}`;
  const existing = await Deno.readFile(path).catch((error) => {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  });
  if (existing) {
    if (sha256Hex(existing) !== archive.sha256) throw new ArchivePublishError("collision", archive.name);
    return path;
  }
  const temp = `${path}.${crypto.randomUUID()}.tmp`;
  const file = await Deno.open(temp, { write: true, createNew: true, mode: 0o600 });
  try {
    try {
      let written = 0;
      while (written < archive.blob.length) written += await file.write(archive.blob.subarray(written));
      await file.sync();
    } finally {
      file.close();
    }
    await Deno.chmod(temp, 0o600);
    await Deno.link(temp, path).catch((error) => {
      if (!(error instanceof Deno.errors.AlreadyExists)) throw error;
    });
  } finally {
    await Deno.remove(temp).catch(() => {});
  }
  // Best effort, as the reference's: some file systems refuse to sync a directory; the file itself is synced.
  await syncDirectory(dir).catch(() => {});
  if (sha256Hex(await Deno.readFile(path)) !== archive.sha256) {
    throw new ArchivePublishError("verification failed", archive.name);
  }
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
    "UPDATE session_transcript_archives SET published_at = coalesce(?, published_at), " +
      "publish_attempts = publish_attempts + 1, last_publish_attempt_at = ?, last_publish_error = ? " +
      "WHERE session_id = ? AND generation = ?",
  ).run(error === undefined ? at : null, at, error?.slice(0, 1024) ?? null, archive.sessionId, archive.generation);
}
