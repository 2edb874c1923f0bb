// The trajectory runtime events of an agent's database (`trajectory_runtime_events`), written as the reference's
// runtime writes them: a run's rows appended in one transaction after the session's last `seq`, then the
// session's rows trimmed to its newest 10 MB, and at most hourly per database a sweep that drops other sessions'
// runs older than 14 days and, oldest first, runs past 512 MB in all.
//
// The trim needs the session's size. Summing it at every append read every row of the session: 2.6–3.7 ms of
// the gateway's one thread after each run of a session near its 10 MB (3,300 rows; docs/performance.md, session
// 32). The caller keeps the size the last append left ({@link SessionEventsSize}) and hands it back; it is used
// while the session's newest row is still the one it was taken at, and the trim walks from the oldest row, so an
// append reads the new rows and the rows it drops, not the whole session.
import type { StatementSync } from "node:sqlite";

/** A statement of the caller's connection, prepared once and kept (compiling dominates a small write). */
export type Prepare = (sql: string) => StatementSync;

/** One stored event: the run it belongs to, its JSON line and when it happened (ms). */
export interface TrajectoryRow {
  runId: string | null;
  json: string;
  createdAt: number;
}

/** A session's runtime events beyond this many bytes (newest kept) are dropped at each append. */
export const SESSION_MAX_BYTES = 10_485_760;
/** All runtime events of a database beyond this many bytes are swept, oldest runs first. */
export const GLOBAL_MAX_BYTES = 536_870_912;
/** Runs whose newest event is older than this are swept (other sessions' only). */
export const RETENTION_MS = 1_209_600_000;
/** How often, at most, one database is swept. */
export const SWEEP_INTERVAL_MS = 3_600_000;

const NEXT_SEQ = "SELECT max(seq) AS seq FROM trajectory_runtime_events WHERE session_id = ?";
const INSERT = "INSERT INTO trajectory_runtime_events (session_id, seq, run_id, event_json, created_at) " +
  "VALUES (?, ?, ?, ?, ?)";
// A session's size as the window counts it: each line and its newline.
const SESSION_BYTES = "SELECT coalesce(sum(octet_length(event_json) + 1), 0) AS bytes " +
  "FROM trajectory_runtime_events WHERE session_id = ? AND seq >= ?";
// The session's rows oldest first, with their sizes (stepped only as far as a trim reads).
const OLDEST = "SELECT seq, octet_length(event_json) + 1 AS bytes FROM trajectory_runtime_events " +
  "WHERE session_id = ? ORDER BY seq";
const TRIM = "DELETE FROM trajectory_runtime_events WHERE session_id = ? AND seq <= ?";
const RUNS = "SELECT session_id AS sessionId, run_id AS runId, max(created_at) AS newest, " +
  "sum(octet_length(event_json) + 1) AS bytes FROM trajectory_runtime_events GROUP BY session_id, run_id";
const DELETE_RUN = "DELETE FROM trajectory_runtime_events WHERE session_id = ? AND run_id IS ?";

/** A session's events as an append left them: the newest `seq` and the size the window counts. */
export interface SessionEventsSize {
  lastSeq: number;
  bytes: number;
}

/**
 * Appends `rows` to `sessionId`'s events and trims the session to its window; returns the session's size after.
 * `known` is what the previous append returned, used while the session's newest row is still its `lastSeq`
 * (otherwise the size is summed afresh). Call inside a transaction, and keep the result only once it commits.
 */
export function appendTrajectoryRows(
  sql: Prepare,
  sessionId: string,
  rows: readonly TrajectoryRow[],
  maxSessionBytes = SESSION_MAX_BYTES,
  known?: SessionEventsSize,
): SessionEventsSize {
  const last = (sql(NEXT_SEQ).get(sessionId) as { seq: number | null } | undefined)?.seq;
  const first = last === null || last === undefined ? 0 : last + 1;
  // A session without rows has nothing to sum.
  let bytes = first === 0
    ? 0
    : known !== undefined && last === known.lastSeq
    ? known.bytes
    : sizeFrom(sql, sessionId, 0);
  const insert = sql(INSERT);
  let seq = first;
  for (const row of rows) insert.run(sessionId, seq++, row.runId, row.json, row.createdAt);
  bytes += sizeFrom(sql, sessionId, first);
  if (bytes > maxSessionBytes) bytes -= trimOldest(sql, sessionId, bytes - maxSessionBytes);
  return { lastSeq: seq - 1, bytes };
}

function sizeFrom(sql: Prepare, sessionId: string, seq: number): number {
  return (sql(SESSION_BYTES).get(sessionId, seq) as { bytes: number }).bytes;
}

/**
 * Drops the session's oldest rows while the rows older than each hold less than `excess`: the rows whose newer
 * rows and themselves (newest first, the reference's count) pass the window. Returns the bytes dropped.
 */
function trimOldest(sql: Prepare, sessionId: string, excess: number): number {
  let dropped = 0;
  let cut: number | undefined;
  for (const row of sql(OLDEST).iterate(sessionId) as Iterable<{ seq: number; bytes: number }>) {
    if (dropped >= excess) break;
    dropped += row.bytes;
    cut = row.seq;
  }
  if (cut !== undefined) sql(TRIM).run(sessionId, cut);
  return dropped;
}

interface StoredRun {
  sessionId: string;
  runId: string | null;
  newest: number;
  bytes: number;
}

/**
 * Drops other sessions' runs whose newest event is older than the retention, then, oldest run first, runs
 * while the database holds more than `maxBytes` of events (the current session's are kept). Call inside a
 * transaction.
 */
export function sweepTrajectoryRetention(
  sql: Prepare,
  currentSessionId: string,
  now: number,
  maxBytes = GLOBAL_MAX_BYTES,
): void {
  const runs = sql(RUNS).all() as unknown as StoredRun[];
  let retained = runs.reduce((total, run) => total + run.bytes, 0);
  const doomed = new Set<StoredRun>();
  const cutoff = now - RETENTION_MS;
  for (const run of runs) {
    if (run.sessionId !== currentSessionId && run.newest < cutoff) {
      doomed.add(run);
      retained -= run.bytes;
    }
  }
  const oldestFirst = runs.toSorted((a, b) =>
    a.newest - b.newest || a.sessionId.localeCompare(b.sessionId) || (a.runId ?? "").localeCompare(b.runId ?? "")
  );
  for (const run of oldestFirst) {
    if (retained <= maxBytes) break;
    if (run.sessionId === currentSessionId || doomed.has(run)) continue;
    doomed.add(run);
    retained -= run.bytes;
  }
  const remove = sql(DELETE_RUN);
  for (const run of doomed) remove.run(run.sessionId, run.runId);
}
