// Replays the reference's `sessions cleanup` recording in process: the same seeds (and session ids) in a
// state dir our SessionStore wrote give the recorded preview and applied summaries, and leave the
// database and sessions directory as the reference left them.
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { zstdDecompressSync } from "node:zlib";
import { sessionMaintenance } from "../../src/config/session_maintenance.ts";
import {
  applyCleanup,
  cleanTargets,
  cleanupJson,
  type CleanupRunOptions,
  type CleanupSummary,
  previewCleanup,
  SessionsCleanupError,
} from "../../src/sessions/cleanup_run.ts";
import { SessionStore } from "../../src/sessions/store.ts";
import { agentDbPath } from "../../src/state/agent_db.ts";
import { loadCleanupRecording, normalizeSummary, seedRecording } from "../support/sessions_cleanup_replay.ts";

const RUN: CleanupRunOptions = {
  maintenance: sessionMaintenance({}),
  mode: "enforce",
  fixMissing: false,
  fixDmScope: false,
  dmScopeMain: true,
};

function rows(stateDir: string) {
  const db = new DatabaseSync(agentDbPath(stateDir, "main"), { readOnly: true });
  try {
    const nodes = (db.prepare("SELECT session_key AS key, entry_json AS entry FROM session_nodes ORDER BY key")
      .all() as { key: string; entry: string }[]).map((n) => {
        const entry = JSON.parse(n.entry);
        return { key: n.key, archivedAt: entry.archivedAt ?? null, archiveReason: entry.archiveReason ?? null };
      });
    const windows = (db.prepare("SELECT session_key AS key FROM session_windows ORDER BY session_key").all() as {
      key: string;
    }[]).map((w) => w.key);
    const archives = db.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE name = 'session_transcript_archives'")
        .get()!.n
      ? (db.prepare(
        "SELECT session_id AS id, session_key AS key, reason, archive_name AS name, archive_blob AS blob, " +
          "published_at AS publishedAt FROM session_transcript_archives ORDER BY created_at, rowid",
      ).all() as { id: string; key: string; reason: string; name: string; blob: Uint8Array; publishedAt: number }[])
      : [];
    return { nodes, windows, archives };
  } finally {
    db.close();
  }
}

Deno.test("the recorded sessions cleanup replays: same preview, same applied summary, same rows and archives", async () => {
  const recording = await loadCleanupRecording();
  const stateDir = await Deno.makeTempDir({ prefix: "oc-cleanup-" });
  try {
    const ids = seedRecording(stateDir, recording, Date.now());
    const target = { agentId: "main", path: agentDbPath(stateDir, "main") };
    const store = new SessionStore(stateDir);
    const before = rows(stateDir);

    const preview = await previewCleanup(target, RUN);
    assert.deepEqual(
      normalizeSummary({ ...preview.summary }, stateDir),
      normalizeSummary(recording.dryRunJson.stdout, "<root>/state"),
    );
    assert.ok((preview.summary.diskBudget?.totalBytesBefore ?? 0) > 0, "the database is measured");
    assert.deepEqual(rows(stateDir), before, "a preview writes nothing");

    const { summary: applied, plan } = await applyCleanup(store, target, RUN);
    assert.deepEqual(plan?.actions, preview.actions, "the run applies the plan it previewed");
    assert.deepEqual(
      normalizeSummary({ ...applied }, stateDir),
      normalizeSummary(recording.appliedJson.stdout, "<root>/state"),
    );
    const after = rows(stateDir);
    const archivedAt = after.nodes.find((n) => n.archivedAt !== null)!.archivedAt;
    assert.deepEqual(
      after.nodes,
      recording.after.sessionNodes.map((n) => ({ ...n, archivedAt: n.archivedAt === null ? null : archivedAt })),
      "archived in place with the recorded reasons, one instant for the run",
    );
    assert.deepEqual(after.windows, recording.after.windowsOf);
    assert.deepEqual(
      after.archives.map((a) => ({ id: a.id, key: a.key, reason: a.reason, published: a.publishedAt !== null })),
      recording.after.archives.map((a) => ({ id: a.id, key: a.key, reason: a.reason, published: a.published })),
      "removed sessions' transcripts archived as a delete archives them, in the recorded order",
    );
    for (const archive of after.archives) {
      const text = new TextDecoder().decode(zstdDecompressSync(archive.blob));
      assert.match(text, new RegExp(`"id":"${ids.get(archive.key)}"`));
      assert.match(text, new RegExp(`${archive.key}: hello`));
      assert.match(
        archive.name,
        new RegExp(`^${archive.id}\\.jsonl\\.deleted\\.\\d{4}-\\d\\d-\\d\\dT[\\d-]+\\.\\d{3}Z\\.[0-9a-f]{32}\\.zst$`),
      );
    }
    const files = (await Array.fromAsync(Deno.readDir(`${stateDir}/agents/main/sessions`))).map((f) => f.name).sort();
    assert.deepEqual(files, after.archives.map((a) => a.name).sort(), "every archive published as a file");
    assert.equal(files.length, recording.sessionsDirFiles.length);

    const { summary: again } = await applyCleanup(store, target, RUN);
    await store.close();
    assert.equal(again.wouldMutate, false, "a second run finds nothing to do");
    assert.equal(again.beforeCount, 7);
  } finally {
    await Deno.remove(stateDir, { recursive: true });
  }
});

Deno.test("the recorded warn-mode cleanup replays: the preview plans maintenance, the real run applies only --fix-dm-scope", async () => {
  const recording = await loadCleanupRecording();
  const warnRecording = JSON.parse(
    await Deno.readTextFile(new URL("../fixtures/sessions/reference_sessions_cleanup_warn.json", import.meta.url)),
  );
  const stateDir = await Deno.makeTempDir({ prefix: "oc-cleanup-warn-" });
  const store = new SessionStore(stateDir);
  try {
    const ids = seedRecording(stateDir, recording, Date.now());
    const target = { agentId: "main", path: agentDbPath(stateDir, "main") };
    const warn: CleanupRunOptions = { ...RUN, mode: "warn" };
    const preview = await previewCleanup(target, warn);
    assert.deepEqual(
      normalizeSummary({ ...preview.summary }, stateDir),
      normalizeSummary(warnRecording.dryRunJson.stdout, "<root>/state"),
    );
    const { summary } = await applyCleanup(store, target, { ...warn, fixDmScope: true });
    assert.deepEqual(
      normalizeSummary({ ...summary }, stateDir),
      normalizeSummary(warnRecording.appliedJson.stdout, "<root>/state"),
    );
    const left = (await store.list(["main"])).map((r) => r.key).sort();
    assert.deepEqual(left, warnRecording.after.sessionNodes.map((n: { key: string }) => n.key));
    assert.ok(left.every((key) => key !== "agent:main:telegram:direct:42"));
    const files = (await Array.fromAsync(Deno.readDir(`${stateDir}/agents/main/sessions`))).map((f) => f.name);
    assert.equal(files.length, warnRecording.sessionsDirFiles.length);
    assert.ok(files[0]!.startsWith(`${ids.get("agent:main:telegram:direct:42")}.jsonl.deleted.`));
  } finally {
    await store.close();
    await Deno.remove(stateDir, { recursive: true });
  }
});

Deno.test("cleanTargets() stops at a failing store: partialError after a cleaned one, a throw when it is the first", async () => {
  const summary = { agentId: "main", storePath: "/s/main.sqlite" } as CleanupSummary;
  const targets = [{ agentId: "main", path: "/s/main.sqlite" }, { agentId: "work", path: "/s/work.sqlite" }];
  const partial = await cleanTargets(targets, (target) => {
    if (target.agentId === "work") return Promise.reject(new Error("database is locked"));
    return Promise.resolve(summary);
  });
  assert.deepEqual(partial.summaries, [summary]);
  assert.deepEqual(cleanupJson("enforce", false, partial.summaries, partial.failure), {
    allAgents: true,
    mode: "enforce",
    dryRun: false,
    stores: [summary],
    partialError: {
      failingAgentId: "work",
      failingStorePath: "/s/work.sqlite",
      message: "Session cleanup failed for agent 'work': database is locked",
      lifecycleCommitted: false,
    },
  });
  await assert.rejects(
    cleanTargets(targets, () => Promise.reject(new Error("disk I/O error"))),
    (error) =>
      error instanceof SessionsCleanupError &&
      error.message === "Session cleanup failed for agent 'main': disk I/O error",
  );
  assert.equal(cleanupJson("warn", true, [summary]), summary, "one store: its summary alone");
});
