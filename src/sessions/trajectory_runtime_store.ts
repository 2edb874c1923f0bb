// The trajectory runtime events of an agent's database (`trajectory_runtime_events`), written as the reference's
// runtime writes them: a run's rows appended in one transaction after the session's last `seq`, then the
// session's rows trimmed to its newest 10 MB, and at most hourly per database a sweep that drops other sessions'
// runs older than 14 days and, oldest first, runs past 512 MB in all.
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
// The first row (newest first) at which the running size passes the window; it and every older row go.
const TRIM_FROM = "SELECT seq FROM (SELECT seq, sum(octet_length(event_json) + 1) OVER (ORDER BY seq DESC) AS kept " +
  "FROM trajectory_runtime_events WHERE session_id = ?) WHERE kept > ? ORDER BY seq DESC LIMIT 1";
const TRIM = "DELETE FROM trajectory_runtime_events WHERE session_id = ? AND seq <= ?";
const RUNS = "SELECT session_id AS sessionId, run_id AS runId, max(created_at) AS newest, " +
  "sum(octet_length(event_json) + 1) AS bytes FROM trajectory_runtime_events GROUP BY session_id, run_id";
const DELETE_RUN = "DELETE FROM trajectory_runtime_events WHERE session_id = ? AND run_id IS ?";

/** Appends `rows` to `sessionId`'s events and trims the session to its window. Call inside a transaction. */
export function appendTrajectoryRows(
  sql: Prepare,
  sessionId: string,
  rows: readonly TrajectoryRow[],
  maxSessionBytes = SESSION_MAX_BYTES,
): void {
  const last = (sql(NEXT_SEQ).get(sessionId) as { seq: number | null } | undefined)?.seq;
  let seq = last === null || last === undefined ? 0 : last + 1;
  const insert = sql(INSERT);
  for (const row of rows) insert.run(sessionId, seq++, row.runId, row.json, row.createdAt);
  const from = sql(TRIM_FROM).get(sessionId, maxSessionBytes) as { seq: number } | undefined;
  if (from) sql(TRIM).run(sessionId, from.seq);
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
