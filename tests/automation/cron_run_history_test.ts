// Cron run history in `task_runs`: the statements that run once per run must find their row by index,
// not scan every cron row (10,000 jobs leave hundreds of thousands of them within retention).
import assert from "node:assert/strict";
import {
  FINALIZE_CRON_TASK_SQL,
  PRUNE_EXPIRED_CRON_HISTORY_SQL,
  pruneCronHistoryAll,
} from "../../src/automation/cron_run_history.ts";
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

Deno.test("cron history: the retention sweep at start finds expired rows by the cleanup index", async () => {
  const dir = await Deno.makeTempDir({ prefix: "oc-cron-history-" });
  const db = openStateDb(dir);
  try {
    const plan = (db.prepare(`EXPLAIN QUERY PLAN ${PRUNE_EXPIRED_CRON_HISTORY_SQL}`).all(0, 0) as { detail: string }[])
      .map((row) => row.detail).join(" | ");
    assert.match(
      plan,
      /MULTI-INDEX OR .*idx_task_runs_cleanup_after \(cleanup_after<\?\).*idx_task_runs_cleanup_after/,
      plan,
    );
    const insert = db.prepare(
      `INSERT INTO task_runs (task_id, runtime, owner_key, scope_kind, task, status, delivery_status, notify_policy,
         created_at, ended_at, cleanup_after)
       VALUES (?, ?, '', 'system', 'x', ?, 'not_applicable', 'silent', 0, ?, ?)`,
    );
    const day = 86_400_000;
    insert.run("stamped-expired", "cron", "succeeded", 0, 10);
    insert.run("stamped-kept", "cron", "succeeded", 0, 30 * day);
    insert.run("imported-expired", "cron", "failed", 1, null);
    insert.run("imported-kept", "cron", "failed", 20 * day, null);
    insert.run("running", "cron", "running", null, null);
    insert.run("not-cron", "subagent", "succeeded", 0, 10);
    assert.equal(pruneCronHistoryAll(db, 10 * day), 2);
    const left = (db.prepare("SELECT task_id FROM task_runs ORDER BY task_id").all() as { task_id: string }[])
      .map((row) => row.task_id);
    assert.deepEqual(left, ["imported-kept", "not-cron", "running", "stamped-kept"]);
  } finally {
    db.close();
    await Deno.remove(dir, { recursive: true });
  }
});
