// The session of tests/fixtures/trajectory/reference_export.json (recorded by
// tools/record_reference_trajectory.ts), seeded the same way for the recorder and for our replays: the
// rows the reference's own agent turn wrote (its transcript events and trajectory runtime events), put
// into a fresh agent database with the recorded paths (`<workspace>`, `<state>`, `<home>`)
// swapped for the caller's, so the export redacts them as it redacted the originals.
import { AgentSessions } from "../../src/sessions/agent_sessions.ts";
import { openAgentDb } from "../../src/state/agent_db.ts";

/** The recorded rows of one session, paths written as placeholders. */
export interface TrajectoryRows {
  sessionKey: string;
  sessionId: string;
  transcript: { seq: number; json: string; createdAt: number }[];
  runtime: { seq: number; runId: string | null; json: string; createdAt: number }[];
}

/** Where the placeholders point in this run. */
export interface TrajectoryPlaces {
  workspace: string;
  stateDir: string;
  home: string;
}

/** The rows' JSON with each absolute path replaced by its placeholder (the longest first). */
export function toPlaceholders(text: string, places: TrajectoryPlaces): string {
  return [[places.workspace, "<workspace>"], [places.stateDir, "<state>"], [places.home, "<home>"]]
    .toSorted((a, b) => b[0]!.length - a[0]!.length)
    .reduce((out, [path, mark]) => out.replaceAll(path!, mark!), text);
}

function fromPlaceholders(text: string, places: TrajectoryPlaces): string {
  return text.replaceAll("<workspace>", places.workspace).replaceAll("<state>", places.stateDir)
    .replaceAll("<home>", places.home);
}

/** JSON text with its placeholders swapped for this run's paths, escaped as JSON strings need. */
function placeJson(json: string, places: TrajectoryPlaces): string {
  const escaped = (path: string) => JSON.stringify(path).slice(1, -1);
  return fromPlaceholders(json, {
    workspace: escaped(places.workspace),
    stateDir: escaped(places.stateDir),
    home: escaped(places.home),
  });
}

/**
 * Seeds the main agent's database under `places.stateDir` with the rows: the session row as our
 * SessionStore writes one (the export reads only its session id), then the recorded transcript in place
 * of the empty one, and the runtime events. Answers nothing.
 */
export function seedTrajectorySession(rows: TrajectoryRows, places: TrajectoryPlaces): void {
  const db = openAgentDb(places.stateDir, "main");
  try {
    const first = rows.transcript[0]?.createdAt ?? Date.now();
    const last = rows.transcript.at(-1)?.createdAt ?? first;
    new AgentSessions(db, "main").importSession(
      { key: rows.sessionKey, sessionId: rows.sessionId, createdAt: first, updatedAt: last },
      [],
    );
    db.prepare("DELETE FROM transcript_event_identities WHERE session_id = ?").run(rows.sessionId);
    db.prepare("DELETE FROM transcript_events WHERE session_id = ?").run(rows.sessionId);
    for (const event of rows.transcript) {
      const json = placeJson(event.json, places);
      db.prepare("INSERT INTO transcript_events (session_id, seq, event_json, created_at) VALUES (?, ?, ?, ?)")
        .run(rows.sessionId, event.seq, json, event.createdAt);
      const parsed = JSON.parse(json) as { id?: unknown; type?: unknown; parentId?: unknown };
      if (typeof parsed.id !== "string") continue;
      db.prepare(
        "INSERT INTO transcript_event_identities (session_id, event_id, seq, event_type, parent_id, created_at) " +
          "VALUES (?, ?, ?, ?, ?, ?)",
      ).run(
        rows.sessionId,
        parsed.id,
        event.seq,
        typeof parsed.type === "string" ? parsed.type : null,
        typeof parsed.parentId === "string" ? parsed.parentId : null,
        event.createdAt,
      );
    }
    for (const event of rows.runtime) {
      db.prepare(
        "INSERT INTO trajectory_runtime_events (session_id, seq, run_id, event_json, created_at) VALUES (?, ?, ?, ?, ?)",
      ).run(rows.sessionId, event.seq, event.runId, placeJson(event.json, places), event.createdAt);
    }
  } finally {
    db.close();
  }
}
