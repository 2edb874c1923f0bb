import assert from "node:assert/strict";
import type { CronJob } from "../../src/agent/cron_control.ts";
import { cronStoreIsEmpty } from "../../src/automation/cron_store_presence.ts";
import { SqliteCronStore } from "../../src/automation/sqlite_cron_store.ts";
import { openStateDb } from "../../src/state/state_db.ts";

const JOB: CronJob = {
  id: "job-1",
  name: "ping",
  enabled: true,
  createdAtMs: 1_000,
  updatedAtMs: 1_000,
  schedule: { kind: "every", everyMs: 60_000 },
  sessionTarget: "main",
  wakeMode: "next-heartbeat",
  payload: { kind: "systemEvent", text: "ping" },
  state: {},
};

Deno.test("cronStoreIsEmpty: no database and no legacy store, or a database without jobs or cron runs of this state dir", async () => {
  const dir = await Deno.makeTempDir({ prefix: "oc-cron-empty-" });
  const other = await Deno.makeTempDir({ prefix: "oc-cron-empty-other-" });
  try {
    assert.equal(await cronStoreIsEmpty(dir), true, "fresh state dir");
    await Deno.mkdir(`${dir}/cron`);
    await Deno.writeTextFile(`${dir}/cron/jobs.json`, '{"version":1,"jobs":[]}');
    assert.equal(await cronStoreIsEmpty(dir), false, "a legacy store is imported by the scheduler");
    await Deno.remove(`${dir}/cron`, { recursive: true });

    const db = openStateDb(dir);
    try {
      assert.equal(await cronStoreIsEmpty(dir), true, "a database (open, WAL) with no cron rows");
      const elsewhere = new SqliteCronStore(db, { stateDir: other });
      elsewhere.saveJob(JOB);
      assert.equal(await cronStoreIsEmpty(dir), true, "another partition's job is not ours");
      const store = new SqliteCronStore(db, { stateDir: dir });
      store.saveJob(JOB);
      assert.equal(await cronStoreIsEmpty(dir), false, "a job of ours");
      store.deleteJob(JOB.id);
      assert.equal(await cronStoreIsEmpty(dir), true, "its job removed");
      // Run history (`cron runs` lists it, whatever job it was) makes the scheduler load.
      const at = Date.now();
      elsewhere.startRun({ runId: "r1", jobId: JOB.id, agentId: "main", startedAtMs: at });
      elsewhere.finishRun("r1", { ts: at + 5, jobId: JOB.id, action: "finished", status: "ok", runAtMs: at });
      assert.equal(await cronStoreIsEmpty(dir), false, "cron run history");
    } finally {
      db.close();
    }
    await Deno.writeTextFile(`${dir}/state/openclaw.sqlite`, "not a database");
    await Deno.remove(`${dir}/state/openclaw.sqlite-wal`).catch(() => {});
    await Deno.remove(`${dir}/state/openclaw.sqlite-shm`).catch(() => {});
    assert.equal(await cronStoreIsEmpty(dir), false, "an unreadable database: the scheduler loads and says why");
  } finally {
    await Deno.remove(dir, { recursive: true });
    await Deno.remove(other, { recursive: true });
  }
});
