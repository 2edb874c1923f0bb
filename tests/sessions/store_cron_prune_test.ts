// The cron run sweep through the store (SessionStore.maintainArchiving): each transcript the prune removes
// is archived in the prune's transaction and published as a 0600 file afterwards, as a delete publishes;
// a file that cannot be written stays pending in its row, is reported, and the next step writes it.
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { zstdDecompressSync } from "node:zlib";
import { AgentSessions } from "../../src/sessions/agent_sessions.ts";
import { pruneCronRuns } from "../../src/sessions/cron_run_prune.ts";
import { SessionStore } from "../../src/sessions/store.ts";
import { agentDbPath, openAgentDb } from "../../src/state/agent_db.ts";

const NOW = Date.now();
const OLD = NOW - 48 * 3_600_000;

/** Two expired reference run rows with a transcript each, and the main session. */
function seed(stateDir: string): string[] {
  const db = openAgentDb(stateDir, "main");
  try {
    const sessions = new AgentSessions(db, "main");
    sessions.importSession({ key: "agent:main:main", sessionId: crypto.randomUUID(), createdAt: NOW, updatedAt: NOW }, [
      { role: "user", content: [{ type: "text", text: "hello" }], timestamp: NOW } as never,
    ]);
    return ["r1", "r2"].map((run) =>
      sessions.importSession(
        { key: `agent:main:cron:job1:run:${run}`, sessionId: crypto.randomUUID(), createdAt: OLD, updatedAt: OLD },
        [{ role: "assistant", content: [{ type: "text", text: `digest ${run}` }], timestamp: OLD } as never],
      ).sessionId
    );
  } finally {
    db.close();
  }
}

function archiveRows(stateDir: string) {
  const db = new DatabaseSync(agentDbPath(stateDir, "main"), { readOnly: true });
  try {
    return db.prepare(
      "SELECT session_id AS id, archive_name AS name, archive_blob AS blob, published_at AS publishedAt, " +
        "last_publish_error AS error FROM session_transcript_archives ORDER BY created_at",
    ).all() as { id: string; name: string; blob: Uint8Array; publishedAt: number | null; error: string | null }[];
  } finally {
    db.close();
  }
}

function step(store: SessionStore, limit = 100) {
  return store.maintainArchiving(
    "main",
    (db, archive) =>
      pruneCronRuns(db, { agentId: "main", cutoffMs: NOW - 3_600_000, limit, inUse: () => false, archive }),
  );
}

Deno.test("maintainArchiving: pruned run transcripts are archived and published as 0600 files, as a delete's", async () => {
  const stateDir = await Deno.makeTempDir({ prefix: "oc-store-cron-" });
  const ids = seed(stateDir);
  const store = new SessionStore(stateDir);
  try {
    const done = await step(store);
    assert.deepEqual(done, { result: { runRows: 2, transcripts: 0, more: false } });
    assert.deepEqual((await store.list(["main"])).map((r) => r.key), ["agent:main:main"]);
    const rows = archiveRows(stateDir);
    assert.deepEqual(rows.map((r) => r.id).sort(), [...ids].sort());
    const dir = `${stateDir}/agents/main/sessions`;
    assert.equal((await Deno.stat(dir)).mode! & 0o777, 0o700);
    for (const row of rows) {
      assert.equal(typeof row.publishedAt, "number");
      const file = `${dir}/${row.name}`;
      assert.equal((await Deno.stat(file)).mode! & 0o777, 0o600);
      assert.deepEqual(await Deno.readFile(file), row.blob);
      assert.match(new TextDecoder().decode(zstdDecompressSync(row.blob)), /"type":"message".*"digest r[12]"/);
    }
    // An agent without a database is no step at all.
    assert.equal(await store.maintainArchiving("ops", () => 1), undefined);
  } finally {
    await store.close();
    await Deno.remove(stateDir, { recursive: true });
  }
});

Deno.test("maintainArchiving: a file that cannot be written stays pending and is reported; the next step writes it", async () => {
  const stateDir = await Deno.makeTempDir({ prefix: "oc-store-cron-" });
  seed(stateDir);
  const store = new SessionStore(stateDir);
  try {
    // The archive directory's place is taken by a file: no archive can be written there.
    await Deno.mkdir(`${stateDir}/agents/main`, { recursive: true });
    await Deno.writeTextFile(`${stateDir}/agents/main/sessions`, "in the way");
    const first = await step(store, 1);
    assert.deepEqual(first!.result, { runRows: 1, transcripts: 0, more: true });
    assert.equal(
      first!.publishError?.message,
      "Session deletion committed, but 1 transcript archive file export(s) remain pending in SQLite; retry the operation to publish them.",
    );
    const [pending] = archiveRows(stateDir);
    assert.equal(pending!.publishedAt, null);
    assert.match(pending!.error!, /exists|not a directory/i);

    await Deno.remove(`${stateDir}/agents/main/sessions`);
    const second = await step(store, 1);
    assert.deepEqual(second, { result: { runRows: 1, transcripts: 0, more: true } });
    const rows = archiveRows(stateDir);
    assert.equal(rows.length, 2);
    for (const row of rows) {
      assert.equal(typeof row.publishedAt, "number", `${row.name} published`);
      assert.deepEqual(await Deno.readFile(`${stateDir}/agents/main/sessions/${row.name}`), row.blob);
    }
  } finally {
    await store.close();
    await Deno.remove(stateDir, { recursive: true });
  }
});
