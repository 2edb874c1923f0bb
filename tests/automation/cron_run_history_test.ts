// Cron run history in `task_runs`: the statements that run once per run must find their row by index,
// not scan every cron row (10,000 jobs leave hundreds of thousands of them within retention).
import assert from "node:assert/strict";
import { FINALIZE_CRON_TASK_SQL } from "../../src/automation/cron_run_history.ts";
import { openStateDb } from "../../src/state/state_db.ts";

Deno.test("cron history: finishing a run finds its task row by the run-id index", async () => {
  const dir = await Deno.makeTempDir({ prefix: "oc-cron-history-" });
  const db = openStateDb(dir);
  try {
    const plan = (db.prepare(`EXPLAIN QUERY PLAN ${FINALIZE_CRON_TASK_SQL}`).all(
      ...Array.from({ length: 10 }, () => null),
    ) as { detail: string }[]).map((row) => row.detail).join(" | ");
    assert.match(plan, /USING INDEX idx_task_runs_run_id \(run_id=\?\)/, plan);
  } finally {
    db.close();
    await Deno.remove(dir, { recursive: true });
  }
});
