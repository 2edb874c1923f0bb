// A state dir shared with the reference holds the jobs its own plugins manage (heartbeat-main with
// payload kind `heartbeat`, memory-core's dreaming promotion, the skill collection review): our
// gateway lists them but leaves their rows exactly as the reference wrote them, even overdue.
import assert from "node:assert/strict";
import { cronStoreKey } from "../../src/automation/sqlite_cron_store.ts";
import { openStateDb } from "../../src/state/state_db.ts";
import { connectReference } from "../support/reference_client.ts";
import { startGateway, tempHome } from "../support/spawn_gateway.ts";

const TOKEN = "cron-managed-token-0123456789abcdef";

Deno.test("cron: the reference's managed jobs in a shared state dir are listed, never run, their rows untouched", async () => {
  const fixture = JSON.parse(
    await Deno.readTextFile(new URL("../fixtures/reference_cron/state_rows.json", import.meta.url)),
  );
  const home = await tempHome({ gateway: { mode: "local", auth: { token: TOKEN } } });
  try {
    const db = openStateDb(home.stateDir);
    const key = cronStoreKey(home.stateDir);
    const managed: Record<string, unknown>[] = fixture.cron_jobs.filter((row: Record<string, unknown>) =>
      typeof row.declaration_key === "string"
    );
    assert.equal(managed.length, 3);
    const overdue = JSON.stringify({ nextRunAtMs: Date.now() - 3_600_000, lastRunAtMs: Date.now() - 86_400_000 });
    for (const row of managed) {
      const values = { ...row, "store_key": key, "state_json": overdue };
      const columns = Object.keys(values);
      db.prepare(`INSERT INTO cron_jobs (${columns.join(", ")}) VALUES (${columns.map(() => "?").join(", ")})`)
        .run(...columns.map((c) => values[c as keyof typeof values] as string | number | null));
    }
    const snapshot = () => ({
      jobs: db.prepare("SELECT * FROM cron_jobs ORDER BY job_id").all(),
      receipts: db.prepare("SELECT count(*) AS n FROM cron_run_receipts").get(),
      runs: db.prepare("SELECT count(*) AS n FROM task_runs WHERE runtime = 'cron'").get(),
    });
    const before = snapshot();
    const { proc, port } = await startGateway({ home: home.home });
    try {
      await proc.waitForLine(/cron: started \(3 jobs, next wake none\)/);
      const session = await connectReference({ port, token: TOKEN, scopes: ["operator.read", "operator.admin"] });
      try {
        const list = await session.request<{ jobs: { name: string }[] }>("cron.list", { includeDisabled: true });
        assert.deepEqual(
          list.jobs.map((job) => job.name).sort(),
          ["Memory Dreaming Promotion", "heartbeat-main", "skill-collection-review-main"],
        );
        const status = await session.request<{ jobs: number; nextWakeAtMs: number | null }>("cron.status", {});
        assert.deepEqual([status.jobs, status.nextWakeAtMs], [3, null]);
        await assert.rejects(
          session.request("cron.run", { id: String(managed[0]!.job_id), mode: "force" }),
          /was not run/,
        );
      } finally {
        session.stop();
      }
    } finally {
      assert.equal(await proc.stop(), 0);
    }
    assert.deepEqual(snapshot(), before, "rows as the reference wrote them: no state, receipt or run written");
    db.close();
  } finally {
    await home.cleanup();
  }
});
