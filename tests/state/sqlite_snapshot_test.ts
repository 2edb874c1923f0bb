// `backup sqlite` repositories in process: a snapshot of a live agent database is published as
// exactly `manifest.json` + `database.sqlite`, listed newest first, verified, restored only to a
// fresh path outside the repository; tampering and stray files are refused in the reference's words.
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { openAgentDb } from "../../src/state/agent_db.ts";
import { parseSnapshotManifest } from "../../src/state/sqlite_snapshot_manifest.ts";
import {
  createSnapshot,
  listSnapshots,
  restoreSnapshot,
  verifySnapshot,
} from "../../src/state/sqlite_snapshot_repo.ts";

Deno.test("sqlite snapshots: create, list, verify, restore; tampering and stray entries refused", async () => {
  const root = await Deno.makeTempDir({ prefix: "oc-sqlite-snap-" });
  const stateDir = `${root}/state`;
  const repo = `${root}/repo`;
  const db = openAgentDb(stateDir, "main");
  try {
    db.exec("CREATE TABLE probe (note TEXT); INSERT INTO probe VALUES ('in the WAL');");
    const source = {
      path: `${stateDir}/agents/main/agent/openclaw-agent.sqlite`,
      owner: { role: "agent" as const, agentId: "main" },
    };
    const first = await createSnapshot(repo, source, new Date(Date.UTC(2026, 0, 1)));
    const second = await createSnapshot(repo, source, new Date(Date.UTC(2026, 0, 2)));
    assert.match(first.manifest.snapshotId, /^2026-01-01T00-00-00-000Z-[0-9a-f-]{36}$/);
    assert.deepEqual(first.manifest.database, {
      role: "agent",
      agentId: "main",
      basename: "openclaw-agent.sqlite",
      userVersion: 23,
    });
    const names = [];
    for await (const entry of Deno.readDir(first.snapshotPath)) names.push(entry.name);
    assert.deepEqual(names.sort(), ["database.sqlite", "manifest.json"]);
    assert.deepEqual((await listSnapshots(repo)).map((s) => s.ref.path), [second.snapshotPath, first.snapshotPath]);
    assert.deepEqual(await listSnapshots(`${root}/none`), []);
    assert.deepEqual(await verifySnapshot(first.snapshotPath, root), first.manifest);

    const target = `${root}/out/restored.sqlite`;
    await restoreSnapshot(first.snapshotPath, target);
    const restored = new DatabaseSync(target, { readOnly: true });
    assert.ok(restored.prepare("SELECT 1 FROM probe WHERE note = 'in the WAL'").get());
    restored.close();
    await assert.rejects(restoreSnapshot(first.snapshotPath, target), {
      message: `Fresh SQLite restore path already exists: ${target}`,
    });
    await assert.rejects(restoreSnapshot(first.snapshotPath, `${repo}/x.sqlite`), {
      message: `SQLite restore target must be outside snapshot repository ${repo}: ${repo}/x.sqlite`,
    });

    await Deno.writeTextFile(`${second.snapshotPath}/notes.txt`, "x");
    await assert.rejects(verifySnapshot(second.snapshotPath, root), {
      message: `SQLite snapshot contains unexpected entry: ${second.snapshotPath}/notes.txt`,
    });
    const file = await Deno.open(`${first.snapshotPath}/database.sqlite`, { write: true });
    await file.write(new Uint8Array([1]));
    file.close();
    await assert.rejects(verifySnapshot(first.snapshotPath, root), /^Error: Snapshot artifact hash mismatch for /);
  } finally {
    db.close();
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("snapshot manifests: the reference's exact fields and words", () => {
  const good = {
    schemaVersion: 1,
    snapshotId: "id-1",
    createdAt: "2026-01-01T00:00:00.000Z",
    database: { role: "global", basename: "openclaw.sqlite", userVersion: 18 },
    artifact: { path: "database.sqlite", sha256: "a".repeat(64), sizeBytes: 4096 },
  };
  assert.equal(parseSnapshotManifest(JSON.stringify(good), "m", "id-1").database.role, "global");
  assert.throws(() => parseSnapshotManifest(JSON.stringify({ ...good, extra: 1 }), "m", "id-1"), {
    message:
      "Snapshot manifest fields must be exactly schemaVersion, snapshotId, createdAt, database, artifact; got artifact, createdAt, database, extra, schemaVersion, snapshotId",
  });
  assert.throws(() => parseSnapshotManifest(JSON.stringify(good), "m", "other"), {
    message: "Snapshot manifest id id-1 does not match directory other: m",
  });
  assert.throws(() => parseSnapshotManifest(JSON.stringify({ ...good, createdAt: "2026-01-01" }), "m", "id-1"), {
    message: "Snapshot manifest createdAt is not canonical ISO 8601: m",
  });
});
