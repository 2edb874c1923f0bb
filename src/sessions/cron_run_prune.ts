// One bounded step of `cron.sessionRetention` on an agent's database. Two kinds of leftovers of
// isolated automation runs go once they were last touched before the cutoff:
// - the reference's exact-run rows `agent:<id>:cron:<job>:run:<runId>`, as its cron session reaper
//   prunes them (its rule: key shape, owner agent, `entry.updatedAt` before the cutoff);
// - the transcripts of earlier runs of a job's own session `agent:<id>:cron:<job>`: this gateway
//   starts each isolated run as a fresh transcript (session window) of that key, so a finished run is a
//   window the key no longer points at.
// Never touched: a session's current transcript, any transcript some session row points at, rows a run
// of this gateway is using, and the reference's run rows still `running`/`continuing` (its own process
// may be driving them; it prunes those itself).
// Every transcript that goes is archived first, in the same transaction, as the reference's reaper
// archives the transcripts of the run rows it prunes (reason `deleted`, as a session delete;
// tests/fixtures/sessions/reference_cron_reaper.json): the history is kept, the live tables shrink.
// The archiving is handed in, so this module (on the gateway's start path) loads no compression code.
import type { DatabaseSync } from "node:sqlite";

/** What to prune and what to spare. */
export interface CronRunPruneOptions {
  agentId: string;
  /** Entries last updated before this instant (ms since the epoch) are expired. */
  cutoffMs: number;
  /** At most this many rows and transcripts go in this step (the caller loops, yielding between steps). */
  limit: number;
  /** Whether a run of this gateway is using the session key now. */
  inUse: (sessionKey: string) => boolean;
  /** Keeps a transcript about to be removed (an archive row written in the caller's transaction). */
  archive: (transcript: { sessionId: string; sessionKey: string }) => void;
}

/** What one step removed; `more` when it stopped at its limit and another step may find more. */
export interface CronRunPruneResult {
  runRows: number;
  transcripts: number;
  more: boolean;
}

const RUN_REST = /^cron:[^:]+:run:[^:]+(?::|$)/i;
const JOB_REST = /^cron:[^:]+$/i;

/** The part of a key after `agent:<owner>:`, when the owner is `agentId`. */
function restOf(sessionKey: string, agentId: string): string | undefined {
  const match = /^agent:([^:]+):(.+)$/i.exec(sessionKey);
  return match && match[1]!.toLowerCase() === agentId.toLowerCase() ? match[2] : undefined;
}

/** Whether a key names one isolated run of a cron job (`agent:<id>:cron:<job>:run:<runId>`). */
export function isCronRunSessionKey(sessionKey: string, agentId: string): boolean {
  const rest = restOf(sessionKey, agentId);
  return rest !== undefined && RUN_REST.test(rest);
}

/** Whether a key is a cron job's own session (`agent:<id>:cron:<job>`), whose runs are its transcripts. */
export function isCronJobSessionKey(sessionKey: string, agentId: string): boolean {
  const rest = restOf(sessionKey, agentId);
  return rest !== undefined && JOB_REST.test(rest);
}

interface EntryFacts {
  updatedAt: number;
  phase: string | undefined;
}

function entryFacts(json: string): EntryFacts | undefined {
  try {
    const entry = JSON.parse(json) as { updatedAt?: unknown; cronRunContinuation?: { phase?: unknown } };
    const updatedAt = typeof entry.updatedAt === "number" ? entry.updatedAt : 0;
    const phase = entry.cronRunContinuation?.phase;
    return { updatedAt, phase: typeof phase === "string" ? phase : undefined };
  } catch {
    return undefined; // an entry this gateway cannot read is left for the reference to judge
  }
}

/** Removes up to `limit` expired run rows and finished-run transcripts; the caller holds a write transaction. */
export function pruneCronRuns(db: DatabaseSync, options: CronRunPruneOptions): CronRunPruneResult {
  let budget = options.limit;
  let runRows = 0;
  // Run rows are few (the reference removes each at the end of its run): the LIKE scan is cheap.
  const rows = db.prepare(
    "SELECT session_key AS key, entry_json AS entry FROM session_nodes WHERE session_key LIKE 'agent:%:cron:%:run:%'",
  ).all() as unknown as { key: string; entry: string }[];
  const shared = db.prepare(
    "SELECT 1 FROM session_windows w JOIN session_nodes o ON o.current_session_id = w.session_id " +
      "AND o.session_key != w.session_key WHERE w.session_key = ? LIMIT 1",
  );
  // The current transcript first, then the newest earlier one: the order the reference archives them in.
  const transcriptsOf = db.prepare(
    "SELECT w.session_id AS id FROM session_windows w JOIN session_nodes n ON n.session_key = w.session_key " +
      "WHERE w.session_key = ? ORDER BY (w.session_id = n.current_session_id) DESC, w.created_at DESC, w.session_id",
  );
  const removeRow = db.prepare("DELETE FROM session_nodes WHERE session_key = ?");
  for (const row of rows) {
    if (budget === 0) break;
    if (!isCronRunSessionKey(row.key, options.agentId) || options.inUse(row.key)) continue;
    const facts = entryFacts(row.entry);
    if (!facts || facts.updatedAt >= options.cutoffMs) continue;
    if (facts.phase === "running" || facts.phase === "continuing") continue;
    // The row's transcripts cascade with it, so it stays while another session still points at one of them.
    if (shared.get(row.key) !== undefined) continue;
    for (const t of transcriptsOf.all(row.key) as { id: string }[]) {
      options.archive({ sessionId: t.id, sessionKey: row.key });
    }
    if (removeRow.run(row.key).changes > 0) {
      runRows += 1;
      budget -= 1;
    }
  }
  // Finished runs' transcripts: windows of a job session that no session row points at.
  const windows = db.prepare(
    "SELECT w.session_id AS id, w.session_key AS key FROM session_windows w WHERE w.updated_at < ? " +
      "AND w.session_key LIKE 'agent:%:cron:%' AND w.session_key NOT LIKE 'agent:%:cron:%:%' AND NOT EXISTS (SELECT 1 FROM session_nodes n " +
      "WHERE n.current_session_id = w.session_id) ORDER BY w.updated_at LIMIT ?",
  ).all(options.cutoffMs, budget + 1) as unknown as { id: string; key: string }[];
  const removeWindow = db.prepare("DELETE FROM session_windows WHERE session_id = ? AND updated_at < ?");
  let transcripts = 0;
  let more = budget === 0;
  for (const window of windows) {
    if (budget === 0) {
      more = true;
      break;
    }
    if (!isCronJobSessionKey(window.key, options.agentId)) continue;
    options.archive({ sessionId: window.id, sessionKey: window.key });
    if (removeWindow.run(window.id, options.cutoffMs).changes > 0) {
      transcripts += 1;
      budget -= 1;
    }
  }
  return { runRows, transcripts, more };
}
