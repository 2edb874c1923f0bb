import assert from "node:assert/strict";
import type { DatabaseSync } from "node:sqlite";
import { AgentSessions } from "../../src/sessions/agent_sessions.ts";
import {
  appendTrajectoryRows,
  RETENTION_MS,
  type SessionEventsSize,
  sweepTrajectoryRetention,
  type TrajectoryRow,
} from "../../src/sessions/trajectory_runtime_store.ts";
import { openAgentDb } from "../../src/state/agent_db.ts";

const NOW = 1_800_000_000_000;

async function withDb(
  test: (db: DatabaseSync, sessions: AgentSessions, dir: string) => void | Promise<void>,
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "oc-trajectory-store-" });
  const db = openAgentDb(dir, "main");
  try {
    await test(db, new AgentSessions(db, "main"), dir);
  } finally {
    db.close();
    await Deno.remove(dir, { recursive: true });
  }
}

function window(db: DatabaseSync, key: string): string {
  return new AgentSessions(db, "main").start(key, { at: NOW }).sessionId;
}

function rows(runId: string, count: number, createdAt = NOW, size = 10): TrajectoryRow[] {
  return Array.from(
    { length: count },
    (_, i) => ({ runId, json: JSON.stringify({ i, pad: "x".repeat(size) }), createdAt }),
  );
}

function stored(db: DatabaseSync, sessionId?: string): { session: string; seq: number; run: string | null }[] {
  const all = db.prepare(
    "SELECT session_id AS session, seq, run_id AS run FROM trajectory_runtime_events ORDER BY session_id, seq",
  ).all() as { session: string; seq: number; run: string | null }[];
  return sessionId === undefined ? all : all.filter((row) => row.session === sessionId);
}

Deno.test("a run's rows follow the session's last seq", () =>
  withDb((db) => {
    const id = window(db, "agent:main:main");
    appendTrajectoryRows((sql) => db.prepare(sql), id, rows("r1", 3));
    appendTrajectoryRows((sql) => db.prepare(sql), id, rows("r2", 2));
    assert.deepEqual(stored(db).map((row) => [row.seq, row.run]), [[0, "r1"], [1, "r1"], [2, "r1"], [3, "r2"], [
      4,
      "r2",
    ]]);
  }));

Deno.test("a session past its window keeps its newest rows that fit, counting each line and its newline", () =>
  withDb((db) => {
    const id = window(db, "agent:main:main");
    const line = JSON.stringify({ i: 0, pad: "x".repeat(10) }).length + 1;
    appendTrajectoryRows((sql) => db.prepare(sql), id, rows("r1", 4), line * 10);
    appendTrajectoryRows((sql) => db.prepare(sql), id, rows("r2", 4), line * 5);
    assert.deepEqual(stored(db).map((row) => row.seq), [3, 4, 5, 6, 7]);
  }));

Deno.test("the sweep drops other sessions' runs past 14 days, then the oldest runs past the total, never the current", () =>
  withDb((db) => {
    const current = window(db, "agent:main:main");
    const other = window(db, "agent:main:other");
    const old = NOW - RETENTION_MS - 1;
    appendTrajectoryRows((sql) => db.prepare(sql), other, rows("stale", 2, old));
    appendTrajectoryRows((sql) => db.prepare(sql), other, rows("older", 2, NOW - 2000));
    appendTrajectoryRows((sql) => db.prepare(sql), other, rows("newer", 2, NOW - 1000));
    appendTrajectoryRows((sql) => db.prepare(sql), current, rows("mine", 2, old));
    const runBytes = 2 * (JSON.stringify({ i: 0, pad: "x".repeat(10) }).length + 1);
    sweepTrajectoryRetention((sql) => db.prepare(sql), current, NOW, runBytes * 2);
    assert.deepEqual([...new Set(stored(db).map((row) => row.run))].sort(), ["mine", "newer"]);
  }));

Deno.test("AgentSessions.appendTrajectory writes only to a window that exists", () =>
  withDb((db, sessions) => {
    const id = window(db, "agent:main:main");
    sessions.appendTrajectory(id, rows("r1", 2), NOW);
    sessions.appendTrajectory("no-such-window", rows("r2", 2), NOW);
    assert.deepEqual(stored(db).map((row) => row.session), [id, id]);
  }));

// The trim as the reference words it, summing the whole session at every append: the oracle of the kept size.
const TRIM_FROM = "SELECT seq FROM (SELECT seq, sum(octet_length(event_json) + 1) OVER (ORDER BY seq DESC) AS kept " +
  "FROM trajectory_runtime_events WHERE session_id = ?) WHERE kept > ? ORDER BY seq DESC LIMIT 1";

function appendSummingAll(db: DatabaseSync, sessionId: string, batch: readonly TrajectoryRow[], max: number): void {
  const last = (db.prepare("SELECT max(seq) AS seq FROM trajectory_runtime_events WHERE session_id = ?").get(
    sessionId,
  ) as { seq: number | null }).seq;
  let seq = last === null ? 0 : last + 1;
  const insert = db.prepare(
    "INSERT INTO trajectory_runtime_events (session_id, seq, run_id, event_json, created_at) VALUES (?, ?, ?, ?, ?)",
  );
  for (const row of batch) insert.run(sessionId, seq++, row.runId, row.json, row.createdAt);
  const from = db.prepare(TRIM_FROM).get(sessionId, max) as { seq: number } | undefined;
  if (from) {
    db.prepare("DELETE FROM trajectory_runtime_events WHERE session_id = ? AND seq <= ?").run(sessionId, from.seq);
  }
}

function sessionBytes(db: DatabaseSync, sessionId: string): number {
  return (db.prepare(
    "SELECT coalesce(sum(octet_length(event_json) + 1), 0) AS bytes FROM trajectory_runtime_events WHERE session_id = ?",
  ).get(sessionId) as { bytes: number }).bytes;
}

Deno.test("an append that is handed the kept size trims exactly as summing the whole session does", () =>
  withDb((ours) =>
    withDb((oracle) => {
      const id = window(ours, "agent:main:main");
      const oracleId = window(oracle, "agent:main:main");
      let seed = 7;
      const random = (n: number) => {
        seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
        return seed % n;
      };
      // Multi-byte text, so the kept size counts bytes as SQLite's octet_length does, not UTF-16 units.
      const pieces = ["a", "é", "日本", "😀", "x".repeat(40), "\u2028"];
      let known: SessionEventsSize | undefined;
      for (let step = 0; step < 600; step++) {
        const max = 200 + random(2_000);
        const outside = random(20);
        if (outside === 0) {
          // Another writer appends (the reference's runtime on the same database): the newest seq moves.
          const theirs = rows("theirs", 1 + random(3), NOW, 5);
          for (const db of [ours, oracle]) appendSummingAll(db, db === ours ? id : oracleId, theirs, 1_000_000);
        } else if (outside === 1) {
          // The session's events all go (a reset's cascade): the newest seq is gone.
          for (const db of [ours, oracle]) {
            db.prepare("DELETE FROM trajectory_runtime_events WHERE session_id = ?").run(db === ours ? id : oracleId);
          }
        }
        const batch = Array.from({ length: 1 + random(6) }, (_, i) => ({
          runId: `r${step}`,
          json: JSON.stringify({
            i,
            text: Array.from({ length: random(12) }, () => pieces[random(pieces.length)]).join(""),
          }),
          createdAt: NOW,
        }));
        known = appendTrajectoryRows((sql) => ours.prepare(sql), id, batch, max, known);
        appendSummingAll(oracle, oracleId, batch, max);
        const kept = stored(ours, id).map((row) => row.seq);
        assert.deepEqual(kept, stored(oracle, oracleId).map((row) => row.seq), `step ${step}`);
        assert.equal(known.bytes, sessionBytes(ours, id), `step ${step}: the returned size is the stored size`);
        assert.equal(known.lastSeq, kept.at(-1) ?? -1, `step ${step}`);
      }
    })
  ));

Deno.test("AgentSessions keeps a session's trajectory size between appends, and sums it again after another connection commits", () =>
  withDb((db, _sessions, dir) => {
    const other = openAgentDb(dir, "main");
    try {
      // Counts the whole-session sums (from seq 0) the store runs; the new rows' sums start at their first seq.
      const wholeSums: string[] = [];
      const prepare = db.prepare.bind(db);
      db.prepare = (sql: string) => {
        const statement = prepare(sql);
        if (!sql.includes("sum(octet_length")) return statement;
        const get = statement.get.bind(statement);
        statement.get = (...args: unknown[]) => {
          if (args[1] === 0) wholeSums.push(String(args[0]));
          return get(...(args as never[]));
        };
        return statement;
      };
      const sessions = new AgentSessions(db, "main");
      const id = window(db, "agent:main:main");
      // Rows another connection wrote before this one's first append: that append sums them once.
      appendTrajectoryRows((sql) => other.prepare(sql), id, rows("r0", 1));
      sessions.appendTrajectory(id, rows("r1", 2), NOW);
      assert.deepEqual(wholeSums, [id], "a session this connection has not appended to is summed once");
      sessions.appendTrajectory(id, rows("r2", 3), NOW);
      sessions.appendTrajectory(id, rows("r3", 3), NOW);
      assert.equal(wholeSums.length, 1, "then each append reads its own rows only");
      // Another connection drops the oldest rows without appending: the newest seq stays, the size does not.
      other.prepare("DELETE FROM trajectory_runtime_events WHERE session_id = ? AND seq < 4").run(id);
      sessions.appendTrajectory(id, rows("r4", 1), NOW);
      assert.equal(wholeSums.length, 2, "another connection's commit has the size summed again");
      assert.deepEqual(stored(db, id).map((row) => row.seq), [4, 5, 6, 7, 8, 9]);
    } finally {
      other.close();
    }
  }));
