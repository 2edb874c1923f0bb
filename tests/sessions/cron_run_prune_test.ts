import assert from "node:assert/strict";
import { zstdDecompressSync } from "node:zlib";
import type { DatabaseSync } from "node:sqlite";
import { AgentSessions } from "../../src/sessions/agent_sessions.ts";
import { isCronJobSessionKey, isCronRunSessionKey, pruneCronRuns } from "../../src/sessions/cron_run_prune.ts";
import { archiveTranscript, type TranscriptArchive } from "../../src/sessions/transcript_archive.ts";
import { openAgentDb } from "../../src/state/agent_db.ts";

const HOUR = 3_600_000;
const NOW = 1_800_000_000_000;
const CUTOFF = NOW - 24 * HOUR;
const OLD = NOW - 48 * HOUR;
const RECENT = NOW - HOUR;

async function withDb(test: (db: DatabaseSync, sessions: AgentSessions) => void): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "oc-cron-prune-" });
  const db = openAgentDb(dir, "main");
  try {
    test(db, new AgentSessions(db, "main"));
  } finally {
    db.close();
    await Deno.remove(dir, { recursive: true });
  }
}

/** A row as the reference writes an exact-run continuation: its entry's updatedAt and phase. */
function runRow(db: DatabaseSync, key: string, updatedAt: number, phase?: string): void {
  const sessionId = crypto.randomUUID();
  const entry = { sessionId, updatedAt, ...phase ? { cronRunContinuation: { phase, lifecycleRevision: "r1" } } : {} };
  db.prepare(
    "INSERT INTO session_nodes (session_key, current_session_id, entry_json, updated_at) VALUES (?, ?, ?, ?)",
  ).run(key, sessionId, JSON.stringify(entry), updatedAt);
  db.prepare(
    "INSERT INTO session_windows (session_id, session_key, created_at, updated_at) VALUES (?, ?, ?, ?)",
  ).run(sessionId, key, updatedAt, updatedAt);
}

function keys(db: DatabaseSync): string[] {
  return (db.prepare("SELECT session_key AS k FROM session_nodes ORDER BY k").all() as { k: string }[]).map((r) => r.k);
}

function windowsOf(db: DatabaseSync, key: string): string[] {
  return (db.prepare("SELECT session_id AS id FROM session_windows WHERE session_key = ? ORDER BY created_at")
    .all(key) as { id: string }[]).map((r) => r.id);
}

/** One step in a transaction, archiving as the store does; the archives it wrote go to `archived`. */
function prune(
  db: DatabaseSync,
  options: { limit?: number; inUse?: (key: string) => boolean; archived?: TranscriptArchive[] } = {},
) {
  db.exec("BEGIN IMMEDIATE");
  try {
    return pruneCronRuns(db, {
      agentId: "main",
      cutoffMs: CUTOFF,
      limit: options.limit ?? 100,
      inUse: options.inUse ?? (() => false),
      archive: (transcript) => {
        const kept = archiveTranscript(db, { ...transcript, reason: "deleted" });
        if (kept) options.archived?.push(kept);
      },
    });
  } finally {
    db.exec("COMMIT");
  }
}

Deno.test("cron run keys: the reference's exact-run shape and a job's own session, for the owning agent only", () => {
  assert.equal(isCronRunSessionKey("agent:main:cron:job1:run:abc", "main"), true);
  assert.equal(isCronRunSessionKey("agent:main:cron:job1:run:abc:thread:1", "main"), true);
  assert.equal(isCronRunSessionKey("agent:ops:cron:job1:run:abc", "main"), false);
  assert.equal(isCronRunSessionKey("agent:main:cron:job1", "main"), false);
  assert.equal(isCronRunSessionKey("agent:main:telegram:run:x", "main"), false);
  assert.equal(isCronJobSessionKey("agent:main:cron:job1", "main"), true);
  assert.equal(isCronJobSessionKey("agent:main:cron:job1:run:abc", "main"), false);
  assert.equal(isCronJobSessionKey("agent:main:main", "main"), false);
});

Deno.test("pruneCronRuns: a job session's earlier run transcripts go once expired; its current one stays", async () => {
  await withDb((db, sessions) => {
    const first = sessions.start("agent:main:cron:job1", { at: OLD }).sessionId;
    const second = sessions.start("agent:main:cron:job1", { at: OLD + 1 }).sessionId;
    const third = sessions.start("agent:main:cron:job1", { at: RECENT }).sessionId;
    const current = sessions.start("agent:main:cron:job1", { at: RECENT + 1 }).sessionId;
    const result = prune(db);
    assert.deepEqual(result, { runRows: 0, transcripts: 2, more: false });
    assert.deepEqual(windowsOf(db, "agent:main:cron:job1"), [third, current]);
    assert.equal(
      (db.prepare("SELECT count(*) AS n FROM transcript_events WHERE session_id IN (?, ?)").get(first, second) as {
        n: number;
      }).n,
      0,
      "their transcript events went with them",
    );
    // Even when it is old, the transcript the job's session points at stays.
    const onlyOld = sessions.start("agent:main:cron:job2", { at: OLD }).sessionId;
    prune(db);
    assert.deepEqual(windowsOf(db, "agent:main:cron:job2"), [onlyOld]);
  });
});

Deno.test("pruneCronRuns: other sessions' old transcripts and transcripts another row points at stay", async () => {
  await withDb((db, sessions) => {
    const mainOld = sessions.start("agent:main:main", { at: OLD }).sessionId;
    sessions.start("agent:main:main", { at: OLD + 1 });
    const shared = sessions.start("agent:main:cron:job1", { at: OLD }).sessionId;
    sessions.start("agent:main:cron:job1", { at: OLD + 1 });
    // A reference continuation row still points at the job's earlier transcript.
    db.prepare(
      "INSERT INTO session_nodes (session_key, current_session_id, entry_json, updated_at) VALUES (?, ?, ?, ?)",
    ).run(
      "agent:main:cron:job1:run:" + shared,
      shared,
      JSON.stringify({ sessionId: shared, updatedAt: RECENT }),
      RECENT,
    );
    assert.deepEqual(prune(db), { runRows: 0, transcripts: 0, more: false });
    assert.equal(windowsOf(db, "agent:main:main").includes(mainOld), true);
    assert.equal(windowsOf(db, "agent:main:cron:job1").includes(shared), true);
  });
});

Deno.test("pruneCronRuns: expired exact-run rows go; recent, running, in-use and other agents' rows stay", async () => {
  await withDb((db) => {
    runRow(db, "agent:main:cron:job1:run:old", OLD);
    runRow(db, "agent:main:cron:job1:run:ready", OLD, "ready");
    runRow(db, "agent:main:cron:job1:run:recent", RECENT);
    runRow(db, "agent:main:cron:job1:run:running", OLD, "running");
    runRow(db, "agent:main:cron:job1:run:busy", OLD);
    runRow(db, "agent:ops:cron:job1:run:foreign", OLD);
    runRow(db, "agent:main:telegram:direct:42", OLD);
    const result = prune(db, { inUse: (key) => key.endsWith(":busy") });
    assert.deepEqual(result, { runRows: 2, transcripts: 0, more: false });
    assert.deepEqual(keys(db), [
      "agent:main:cron:job1:run:busy",
      "agent:main:cron:job1:run:recent",
      "agent:main:cron:job1:run:running",
      "agent:main:telegram:direct:42",
      "agent:ops:cron:job1:run:foreign",
    ]);
    assert.deepEqual(windowsOf(db, "agent:main:cron:job1:run:old"), [], "its transcript went with it");
  });
});

Deno.test("pruneCronRuns: one step removes at most `limit` and says there is more", async () => {
  await withDb((db, sessions) => {
    for (let i = 0; i < 5; i++) sessions.start("agent:main:cron:job1", { at: OLD + i });
    for (let i = 0; i < 3; i++) runRow(db, `agent:main:cron:job1:run:r${i}`, OLD);
    assert.deepEqual(prune(db, { limit: 2 }), { runRows: 2, transcripts: 0, more: true });
    assert.deepEqual(prune(db, { limit: 2 }), { runRows: 1, transcripts: 1, more: true });
    assert.deepEqual(prune(db, { limit: 4 }), { runRows: 0, transcripts: 3, more: false });
    assert.equal(windowsOf(db, "agent:main:cron:job1").length, 1);
  });
});

const recorded = JSON.parse(
  await Deno.readTextFile(new URL("../fixtures/sessions/reference_cron_reaper.json", import.meta.url)),
) as { after: { archives: { seeded: string; session_key: string; reason: string; encoding: string }[] } };

function message(text: string, at: number): never {
  return { role: "user", content: [{ type: "text", text }], timestamp: at } as never;
}

/** The state the reference's reaper was recorded on (tools/record_reference_cron_reaper.ts seeds it alike). */
function seedAsRecorded(sessions: AgentSessions): Record<string, string> {
  const session = (key: string, at: number, text: string) =>
    sessions.importSession({ key, sessionId: crypto.randomUUID(), createdAt: at, updatedAt: at }, [
      message(text, at),
    ]).sessionId;
  return {
    main: session("agent:main:main", RECENT, "main"),
    expiredRun: session("agent:main:cron:job1:run:r1", OLD, "expired run r1"),
    expiredRunFirst: session("agent:main:cron:job1:run:r2", OLD - HOUR, "expired run r2, first generation"),
    expiredRunSecond: session("agent:main:cron:job1:run:r2", OLD, "expired run r2, second generation"),
    recentRun: session("agent:main:cron:job1:run:r3", RECENT, "recent run r3"),
    jobEarlier: session("agent:main:cron:job1", OLD - HOUR, "job session, earlier window"),
    jobCurrent: session("agent:main:cron:job1", OLD, "job session, current window"),
  };
}

Deno.test("pruneCronRuns archives each expired run's transcripts as the reference's reaper does (recorded), current first", async () => {
  await withDb((db, sessions) => {
    const ids = seedAsRecorded(sessions);
    const nameOf = (id: string) => Object.entries(ids).find(([, v]) => v === id)![0];
    const archived: TranscriptArchive[] = [];
    assert.deepEqual(prune(db, { archived }), { runRows: 2, transcripts: 1, more: false });
    const rows = db.prepare(
      "SELECT session_id AS id, session_key AS key, reason, encoding, archive_name AS name, generation, " +
        "published_at AS publishedAt FROM session_transcript_archives ORDER BY created_at, rowid",
    ).all() as { id: string; key: string; reason: string; encoding: string; name: string; generation: string }[];
    // The run rows' archives are the recording's, in its order: r1, then r2's current and earlier generation.
    assert.deepEqual(
      rows.filter((r) => r.key.includes(":run:")).map((r) => [nameOf(r.id), r.key, r.reason, r.encoding]),
      recorded.after.archives.map((a) => [a.seeded, a.session_key, a.reason, a.encoding]),
    );
    // The job session's expired earlier run, which this gateway prunes too, is archived alike.
    assert.deepEqual(rows.filter((r) => !r.key.includes(":run:")).map((r) => [nameOf(r.id), r.key, r.reason]), [
      ["jobEarlier", "agent:main:cron:job1", "deleted"],
    ]);
    for (const row of rows) {
      assert.match(row.name, new RegExp(`^${row.id}\\.jsonl\\.deleted\\.[0-9T:.Z-]+\\.${row.generation}\\.zst$`));
      assert.equal(
        (row as { publishedAt?: number | null }).publishedAt,
        null,
        "published by the caller, after the commit",
      );
    }
    assert.deepEqual(archived.map((a) => a.sessionId), rows.map((r) => r.id));
    // Each archive holds its transcript's JSONL: the header, then the message.
    const text = (a: TranscriptArchive) => new TextDecoder().decode(zstdDecompressSync(a.blob));
    assert.match(
      text(archived[0]!),
      /^\{"type":"session","version":4,[^\n]*\n\{"type":"message".*"expired run r1"[^\n]*\n$/,
    );
    assert.deepEqual(keys(db), ["agent:main:cron:job1", "agent:main:cron:job1:run:r3", "agent:main:main"]);
    assert.deepEqual(windowsOf(db, "agent:main:cron:job1"), [ids.jobCurrent]);
  });
});

Deno.test("pruneCronRuns: an archive that conflicts with one already kept aborts the step; nothing is removed", async () => {
  await withDb((db, sessions) => {
    const ids = seedAsRecorded(sessions);
    // Another writer archived r1's generation with other bytes before it grew.
    db.prepare(
      "INSERT INTO session_transcript_archives (session_id, generation, session_key, reason, encoding, " +
        "archive_blob, archive_sha256, archive_name, created_at, published_at, publish_attempts) " +
        "SELECT session_id, generation, 'agent:main:cron:job1:run:r1', 'deleted', 'identity', x'00', ?, 'x', 1, 1, 1 " +
        "FROM transcript_rewrite_watermarks WHERE session_id = ?",
    ).run("0".repeat(64), ids.expiredRun!);
    db.exec("BEGIN IMMEDIATE");
    assert.throws(
      () =>
        pruneCronRuns(db, {
          agentId: "main",
          cutoffMs: CUTOFF,
          limit: 100,
          inUse: () => false,
          archive: (t) => void archiveTranscript(db, { ...t, reason: "deleted" }),
        }),
      { name: "ConflictingArchiveError", message: `Conflicting SQLite transcript archive for ${ids.expiredRun}` },
    );
    db.exec("ROLLBACK");
    assert.equal(keys(db).length, 5);
    assert.deepEqual(windowsOf(db, "agent:main:cron:job1:run:r1"), [ids.expiredRun]);
  });
});
