// A deleted session's transcripts are kept as the reference keeps them (tests/fixtures/sessions/
// reference_delete_archive.json, recorded from its gateway): one archive row and one 0600 zstd JSONL file
// per generation, named alike, current first; and a publish that fails loses nothing.
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { zstdDecompressSync } from "node:zlib";
import { createHash } from "node:crypto";
import { SessionStore } from "../../src/sessions/store.ts";
import { agentDbPath } from "../../src/state/agent_db_path.ts";
import { archiveName } from "../../src/sessions/transcript_archive.ts";

const recorded = JSON.parse(
  await Deno.readTextFile(new URL("../fixtures/sessions/reference_delete_archive.json", import.meta.url)),
);

interface ArchiveRow {
  sessionId: string;
  generation: string;
  sessionKey: string;
  reason: string;
  encoding: string;
  archiveBlob: Uint8Array;
  archiveSha256: string;
  archiveName: string;
  createdAt: number;
  publishedAt: number | null;
  publishAttempts: number;
  lastPublishAttemptAt: number | null;
  lastPublishError: string | null;
}

function query<T>(stateDir: string, sql: string, ...args: string[]): T[] {
  const db = new DatabaseSync(agentDbPath(stateDir, "main"), { readOnly: true });
  try {
    return db.prepare(sql).all(...args) as T[];
  } finally {
    db.close();
  }
}

const ARCHIVES =
  "SELECT session_id AS sessionId, generation, session_key AS sessionKey, reason, encoding, archive_blob AS archiveBlob, archive_sha256 AS archiveSha256, archive_name AS archiveName, created_at AS createdAt, published_at AS publishedAt, publish_attempts AS publishAttempts, last_publish_attempt_at AS lastPublishAttemptAt, last_publish_error AS lastPublishError FROM session_transcript_archives";

const NAME = /^([0-9a-f-]{36})\.jsonl\.deleted\.(\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.\d{3}Z)\.([0-9a-f]{32})\.zst$/;

/** A session with two transcript generations (a reset between), as the recording's. */
async function seedTwoGenerations(store: SessionStore, key: string): Promise<string[]> {
  const now = Date.now();
  const first = await store.ensure(key, "main");
  await store.append(key, "main", [
    { role: "user", content: [{ type: "text", text: "hi" }], timestamp: now, runId: "r1" },
  ] as never);
  const second = await store.reset(key, "main");
  await store.append(key, "main", [
    { role: "user", content: [{ type: "text", text: "second gen" }], timestamp: now, runId: "r2" },
  ] as never);
  return [second.sessionId, first.sessionId];
}

Deno.test("archive names are the reference's: <sessionId>.jsonl.deleted.<ISO time, ':' as '-'>.<generation>.zst", () => {
  for (const want of recorded.archives) {
    assert.equal(archiveName(want.session_id, "deleted", want.created_at, want.generation), want.archive_name);
  }
});

Deno.test("a session id longer than 96 bytes is named by its sha256, as the reference names it", () => {
  const long = "x".repeat(97);
  const hex = createHash("sha256").update(long).digest("hex");
  assert.equal(
    archiveName(long, "deleted", 0, "ab".repeat(16)),
    `session-${hex}.jsonl.deleted.1970-01-01T00-00-00.000Z.${"ab".repeat(16)}.zst`,
  );
  assert.equal(archiveName("y".repeat(96), "reset", 0, "g").startsWith(`${"y".repeat(96)}.jsonl.reset.`), true);
});

Deno.test("delete archives every generation as the reference does, current first, then removes the session", async () => {
  const stateDir = await Deno.makeTempDir();
  const store = new SessionStore(stateDir);
  try {
    const key = "agent:main:scratch-1";
    const ids = await seedTwoGenerations(store, key);
    await store.ensure("agent:main:main", "main");
    const events = new Map(ids.map((id) => [
      id,
      query<{ json: string }>(
        stateDir,
        "SELECT event_json AS json FROM transcript_events WHERE session_id = ? ORDER BY seq",
        id,
      )
        .map((e) => e.json + "\n").join(""),
    ]));
    const paths = (await store.delete(key, "main", { deleteTranscript: true }))!;
    assert.equal(await store.get(key, "main"), undefined);
    assert.ok(await store.get("agent:main:main", "main"));

    const dir = `${stateDir}/agents/main/sessions`;
    assert.equal(((await Deno.stat(dir)).mode! & 0o777).toString(8), recorded.sessionsDirMode);
    assert.deepEqual(paths.map((p) => NAME.exec(p.slice(dir.length + 1))?.[1]), ids);
    const rows = query<ArchiveRow>(stateDir, ARCHIVES + " ORDER BY created_at");
    assert.equal(rows.length, recorded.archives.length);
    for (const row of rows) {
      const path = `${dir}/${row.archiveName}`;
      assert.ok(paths.includes(path));
      const [, sessionId, stamp, generation] = NAME.exec(row.archiveName)!;
      assert.equal(sessionId, row.sessionId);
      assert.equal(generation, row.generation);
      assert.equal(stamp, new Date(row.createdAt).toISOString().replaceAll(":", "-"));
      const bytes = await Deno.readFile(path);
      assert.deepEqual(bytes, new Uint8Array(row.archiveBlob));
      assert.equal(createHash("sha256").update(bytes).digest("hex"), row.archiveSha256);
      assert.equal(new TextDecoder().decode(zstdDecompressSync(bytes)), events.get(row.sessionId));
      assert.equal(((await Deno.stat(path)).mode! & 0o777).toString(8), recorded.archives[0].fileMode);
      assert.deepEqual(
        [row.sessionKey, row.reason, row.encoding, row.publishAttempts, row.lastPublishError],
        [key, "deleted", "zstd", 1, null],
      );
      assert.equal(row.lastPublishAttemptAt, row.publishedAt);
      assert.ok(row.publishedAt! >= row.createdAt);
    }
    for (const table of Object.keys(recorded.rowsLeftForDeletedWindows)) {
      const left = query<{ n: number }>(
        stateDir,
        `SELECT count(*) AS n FROM ${table} WHERE session_id IN (?, ?)`,
        ...ids,
      );
      assert.equal(left[0]!.n, recorded.rowsLeftForDeletedWindows[table], table);
    }
  } finally {
    await store.close();
    await Deno.remove(stateDir, { recursive: true });
  }
});

const PENDING = (n: number) =>
  `Session deletion committed, but ${n} transcript archive file export(s) remain pending in SQLite; retry the operation to publish them.`;

Deno.test("a publish that fails leaves the transcript in its archive row; the next delete writes the file", async () => {
  const stateDir = await Deno.makeTempDir();
  const store = new SessionStore(stateDir);
  try {
    const key = "agent:main:scratch-1";
    await seedTwoGenerations(store, key);
    await store.ensure("agent:main:other", "main");
    // The sessions directory cannot be made (a file holds its name): the files cannot be written.
    await Deno.writeTextFile(`${stateDir}/agents/main/sessions`, "in the way");
    await assert.rejects(store.delete(key, "main", { deleteTranscript: true }), { message: PENDING(2) });
    assert.equal(await store.get(key, "main"), undefined);
    const pending = query<ArchiveRow>(stateDir, ARCHIVES);
    assert.equal(pending.length, 2);
    for (const row of pending) {
      assert.equal(row.publishedAt, null);
      assert.equal(row.publishAttempts, 1);
      assert.match(row.lastPublishError!, /exists|not a directory/i);
      assert.match(new TextDecoder().decode(zstdDecompressSync(row.archiveBlob)), /"type":"session"/);
    }

    // Retrying the operation (any delete on the agent, as with the reference) publishes them.
    await Deno.remove(`${stateDir}/agents/main/sessions`);
    const written = (await store.delete("agent:main:other", "main", { deleteTranscript: true }))!;
    assert.equal(written.length, 1);
    for (const row of query<ArchiveRow>(stateDir, ARCHIVES + " WHERE session_key = ?", key)) {
      assert.equal(row.publishAttempts, 2);
      assert.equal(row.lastPublishError, null);
      assert.equal(row.publishedAt, row.lastPublishAttemptAt);
      assert.deepEqual(await Deno.readFile(`${stateDir}/agents/main/sessions/${row.archiveName}`), row.archiveBlob);
    }
  } finally {
    await store.close();
    await Deno.remove(stateDir, { recursive: true });
  }
});

Deno.test("an incognito session's transcripts (by entry or by key) go unarchived, as the reference removes them", async () => {
  const stateDir = await Deno.makeTempDir();
  const store = new SessionStore(stateDir);
  try {
    const key = "agent:main:secret";
    await seedTwoGenerations(store, key);
    await seedTwoGenerations(store, "agent:main:dashboard:incognito-x1");
    await store.maintain(
      "main",
      (db) =>
        db.prepare(
          "UPDATE session_nodes SET entry_json = json_set(entry_json, '$.incognito', json('true')) WHERE session_key = ?",
        )
          .run(key),
    );
    assert.deepEqual(await store.delete(key, "main", { deleteTranscript: true }), []);
    assert.deepEqual(await store.delete("agent:main:dashboard:incognito-x1", "main", { deleteTranscript: true }), []);
    assert.equal(await store.get(key, "main"), undefined);
    assert.equal(query(stateDir, "SELECT 1 FROM session_transcript_archives").length, 0);
  } finally {
    await store.close();
    await Deno.remove(stateDir, { recursive: true });
  }
});

Deno.test("a different file under an archive's name is kept; the archive stays pending in its row", async () => {
  const stateDir = await Deno.makeTempDir();
  const store = new SessionStore(stateDir);
  try {
    const key = "agent:main:scratch-1";
    await seedTwoGenerations(store, key);
    const realNow = Date.now;
    const frozen = realNow();
    Date.now = () => frozen;
    try {
      // The name this delete will give the current transcript, taken by an unrelated file.
      const row = query<{ id: string; generation: string }>(
        stateDir,
        "SELECT n.current_session_id AS id, r.generation FROM session_nodes n " +
          "JOIN transcript_rewrite_watermarks r ON r.session_id = n.current_session_id WHERE n.session_key = ?",
        key,
      )[0]!;
      const taken = `${stateDir}/agents/main/sessions/${archiveName(row.id, "deleted", frozen, row.generation)}`;
      await Deno.mkdir(`${stateDir}/agents/main/sessions`, { recursive: true });
      await Deno.writeTextFile(taken, "someone else's");
      await assert.rejects(store.delete(key, "main", { deleteTranscript: true }), { message: PENDING(1) });
      assert.equal(await store.get(key, "main"), undefined);
      assert.equal(await Deno.readTextFile(taken), "someone else's");
      const kept = query<ArchiveRow>(stateDir, ARCHIVES + " WHERE session_id = ?", row.id)[0]!;
      assert.equal(kept.publishedAt, null);
      assert.equal(kept.lastPublishError, `SQLite transcript archive collision for ${kept.archiveName}`);
      assert.match(new TextDecoder().decode(zstdDecompressSync(kept.archiveBlob)), /second gen/);
    } finally {
      Date.now = realNow;
    }
    assert.deepEqual(
      (await Array.fromAsync(Deno.readDir(`${stateDir}/agents/main/sessions`))).filter((e) => e.name.endsWith(".tmp")),
      [],
    );
  } finally {
    await store.close();
    await Deno.remove(stateDir, { recursive: true });
  }
});

Deno.test("an archive row already holding a generation with other bytes refuses the delete; the transcript stays live", async () => {
  const stateDir = await Deno.makeTempDir();
  const store = new SessionStore(stateDir);
  try {
    const key = "agent:main:scratch-1";
    const [current] = await seedTwoGenerations(store, key);
    // Another writer (the reference, on the same state dir) archived this generation before it grew.
    await store.maintain("main", (db) =>
      db.prepare(
        "INSERT INTO session_transcript_archives (session_id, generation, session_key, reason, encoding, " +
          "archive_blob, archive_sha256, archive_name, created_at, published_at, publish_attempts) " +
          "SELECT session_id, generation, ?, 'reset', 'identity', x'00', ?, 'older.jsonl.reset', 1, 1, 1 " +
          "FROM transcript_rewrite_watermarks WHERE session_id = ?",
      ).run(key, "0".repeat(64), current!));
    // The store's write failure (its log names the conflict); nothing of the session is removed.
    await assert.rejects(store.delete(key, "main", { deleteTranscript: true }), /Cannot delete session/);
    const { messages } = await store.history(key, "main");
    assert.equal(messages.length, 1);
    assert.equal(query(stateDir, "SELECT 1 FROM session_transcript_archives").length, 1);
  } finally {
    await store.close();
    await Deno.remove(stateDir, { recursive: true });
  }
});
