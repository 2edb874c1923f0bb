// The `backup_runs` log: rows as the reference writes them, the newest 200 kept, and no state
// database created where none exists.
import assert from "node:assert/strict";
import { recordBackupOutcome } from "../../src/state/backup_runs.ts";
import { openStateDb } from "../../src/state/state_db.ts";

Deno.test("recordBackupOutcome: the reference's row shape, bounded to 200, never creates the database", async () => {
  const stateDir = await Deno.makeTempDir({ prefix: "oc-backup-runs-" });
  try {
    recordBackupOutcome(stateDir, { archivePath: "/x.tar.gz", status: "ok" }, { access: "write" });
    await assert.rejects(Deno.stat(`${stateDir}/state/openclaw.sqlite`), Deno.errors.NotFound);
    openStateDb(stateDir).close();
    for (let i = 0; i < 205; i++) {
      recordBackupOutcome(stateDir, { archivePath: `/a${i}`, status: "ok" }, { access: "write", nowMs: 1000 + i });
    }
    recordBackupOutcome(stateDir, { archivePath: "/b", status: "failed", error: "  Refusing  " }, {
      access: "write",
      nowMs: 5000,
    });
    const db = openStateDb(stateDir);
    try {
      const rows = db.prepare("SELECT archive_path, status, manifest_json FROM backup_runs ORDER BY created_at DESC")
        .all() as { archive_path: string; status: string; manifest_json: string }[];
      assert.equal(rows.length, 200);
      assert.deepEqual({ ...rows[0] }, {
        archive_path: "/b",
        status: "failed",
        manifest_json: '{"kind":"archive","error":"Refusing"}',
      });
      assert.deepEqual({ ...rows[1] }, { archive_path: "/a204", status: "ok", manifest_json: '{"kind":"archive"}' });
    } finally {
      db.close();
    }
  } finally {
    await Deno.remove(stateDir, { recursive: true });
  }
});
