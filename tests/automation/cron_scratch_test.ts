// A job's scratch in the reference's `cron_job_scratch` rows, on the heartbeat monitor row the reference
// 2026.9.6 wrote at its gateway's start (tests/fixtures/reference_cron/state_rows.json): read, replaced under
// a revision guard, cleared, refused past the cap; the monitor found by agent with its scratch text.
import assert from "node:assert/strict";
import type { DatabaseSync } from "node:sqlite";
import { CronScratchTooLargeError } from "../../src/state/cron_scratch.ts";
import { SqliteCronStore } from "../../src/automation/sqlite_cron_store.ts";
import { openStateDb } from "../../src/state/state_db.ts";

type Row = Record<string, unknown>;
const RECORDED = JSON.parse(
  Deno.readTextFileSync(new URL("../fixtures/reference_cron/state_rows.json", import.meta.url)),
) as { stateDir: string; cron_jobs: Row[] };
const MONITOR = "b8ffd66f-ee26-44c4-803e-a2d249de3b68";

async function withStore(body: (store: SqliteCronStore, db: DatabaseSync, clock: { now: number }) => void) {
  const dir = await Deno.makeTempDir({ prefix: "oc-cron-scratch-" });
  const db = openStateDb(dir);
  const clock = { now: 1_796_040_000_000 };
  try {
    const rows = JSON.parse(JSON.stringify(RECORDED.cron_jobs).replaceAll(RECORDED.stateDir, dir)) as Row[];
    for (const row of rows) {
      const columns = Object.keys(row);
      db.prepare(`INSERT INTO cron_jobs (${columns.join(", ")}) VALUES (${columns.map(() => "?").join(", ")})`)
        .run(...columns.map((c) => row[c] as string | number | null));
    }
    body(new SqliteCronStore(db, { stateDir: dir, now: () => clock.now }), db, clock);
  } finally {
    db.close();
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("cron scratch: none at first; set, replaced with its revision, cleared; a stale revision is refused", async () => {
  await withStore((store, db, clock) => {
    assert.deepEqual(store.readScratch(MONITOR), { currentRevision: 0 });
    assert.deepEqual(store.heartbeatMonitor("main"), { jobId: MONITOR, content: undefined });
    assert.deepEqual(store.writeScratch(MONITOR, { content: "- check mail", expectedRevision: 0 }), {
      ok: true,
      currentRevision: 1,
      scratch: { content: "- check mail", revision: 1, updatedAtMs: clock.now },
    });
    assert.deepEqual(store.heartbeatMonitor("main"), { jobId: MONITOR, content: "- check mail" });
    clock.now += 1000;
    assert.deepEqual(store.writeScratch(MONITOR, { content: "stale", expectedRevision: 0 }), {
      ok: false,
      reason: "revision-conflict",
      currentRevision: 1,
    });
    assert.deepEqual(store.writeScratch(MONITOR, { content: "- check mail\n- water plants" }).ok, true, "unguarded");
    assert.equal(store.readScratch(MONITOR).currentRevision, 2);
    assert.deepEqual(store.writeScratch(MONITOR, { content: null, expectedRevision: 2 }), {
      ok: true,
      currentRevision: 3,
    });
    assert.deepEqual(store.readScratch(MONITOR), { currentRevision: 3 }, "a cleared scratch keeps its revision");
    assert.deepEqual(store.heartbeatMonitor("main"), { jobId: MONITOR, content: undefined });
    // The row as the reference's scratch store writes it: one row per job, content NULL once cleared.
    const rows = db.prepare("SELECT job_id, content, revision, updated_at_ms FROM cron_job_scratch").all();
    assert.deepEqual(rows.map((r) => ({ ...r })), [{
      job_id: MONITOR,
      content: null,
      revision: 3,
      updated_at_ms: clock.now,
    }]);
  });
});

Deno.test("cron scratch: a missing job is a conflict at revision 0; clearing nothing is a no-op; the cap is the reference's", async () => {
  await withStore((store) => {
    assert.deepEqual(store.writeScratch("no-such-job", { content: "x" }), {
      ok: false,
      reason: "revision-conflict",
      currentRevision: 0,
    });
    assert.deepEqual(store.writeScratch(MONITOR, { content: null }), { ok: true, currentRevision: 0 });
    assert.deepEqual(store.readScratch(MONITOR), { currentRevision: 0 });
    assert.throws(
      () => store.writeScratch(MONITOR, { content: "é".repeat(131_073) }),
      (error: Error) =>
        error instanceof CronScratchTooLargeError &&
        /exceeds 262144 bytes \(262146 bytes provided\)/.test(error.message),
    );
    assert.equal(store.writeScratch(MONITOR, { content: "x".repeat(262_144) }).ok, true, "exactly the cap fits");
  });
});

Deno.test("cron scratch: only the `heartbeat` payload row keyed heartbeat:<agent> is an agent's monitor", async () => {
  await withStore((store) => {
    assert.equal(store.heartbeatMonitor("ops"), undefined, "no monitor row for another agent");
    const jobs = store.loadJobs().filter((job) => job.id !== MONITOR);
    assert.ok(jobs.length > 0);
    for (const job of jobs) assert.notEqual(store.heartbeatMonitor(job.agentId ?? "main")?.jobId, job.id);
  });
});
