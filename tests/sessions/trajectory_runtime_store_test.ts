import assert from "node:assert/strict";
import type { DatabaseSync } from "node:sqlite";
import { AgentSessions } from "../../src/sessions/agent_sessions.ts";
import {
  appendTrajectoryRows,
  RETENTION_MS,
  sweepTrajectoryRetention,
  type TrajectoryRow,
} from "../../src/sessions/trajectory_runtime_store.ts";
import { openAgentDb } from "../../src/state/agent_db.ts";

const NOW = 1_800_000_000_000;

async function withDb(test: (db: DatabaseSync, sessions: AgentSessions) => void): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "oc-trajectory-store-" });
  const db = openAgentDb(dir, "main");
  try {
    test(db, new AgentSessions(db, "main"));
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
