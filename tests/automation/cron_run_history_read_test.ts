// `cron.runs` over a large history: SQLite filters, counts and pages; only the page's rows are parsed
// (the history of 10,000 jobs is hundreds of thousands of rows within retention).
import assert from "node:assert/strict";
import { readCronHistory } from "../../src/automation/cron_run_history_read.ts";
import { openStateDb } from "../../src/state/state_db.ts";

const STORE_KEY = "/state/cron/jobs.json";
const ROWS = 3000;

Deno.test("cron history read: a page of a large history parses only the page, with the same filters and totals", async () => {
  const dir = await Deno.makeTempDir({ prefix: "oc-cron-history-read-" });
  const db = openStateDb(dir);
  try {
    const insert = db.prepare(
      `INSERT INTO task_runs (task_id, runtime, source_id, owner_key, scope_kind, run_id, task, status, delivery_status,
         notify_policy, created_at, ended_at, detail_json)
       VALUES (?, 'cron', ?, '', 'system', ?, 'job', 'succeeded', 'not_applicable', 'silent', ?, ?, ?)`,
    );
    db.exec("BEGIN");
    for (let i = 0; i < ROWS; i++) {
      const detail = {
        kind: i % 100 === 1 ? "other" : "cron-run",
        storeKey: i % 100 === 2 ? "/elsewhere/cron/jobs.json" : STORE_KEY,
        status: ["ok", "error", "skipped"][i % 3],
        deliveryStatus: ["delivered", "bogus", undefined][i % 3 === 0 ? (i / 3) % 3 : 2],
        summary: `run ${i}`,
        runId: `run-${i}`,
      };
      const json = i % 100 === 3 ? "{not json" : JSON.stringify(detail);
      insert.run(`t-${i}`, `job-${i % 10}`, `run-${i}`, 1_000 + i, 2_000 + i, json);
    }
    db.exec("COMMIT");
    const parse = JSON.parse;
    let parses = 0;
    JSON.parse = (...args: Parameters<typeof parse>) => {
      parses += 1;
      return parse(...args);
    };
    let page;
    try {
      page = readCronHistory(db, STORE_KEY, { limit: 50, offset: 10 }, new Map());
    } finally {
      JSON.parse = parse;
    }
    assert.ok(parses <= 50, `parsed ${parses} rows for a page of 50`);
    const readable = ROWS - 3 * (ROWS / 100);
    assert.equal(page.total, readable, "other kinds, other partitions and unreadable details are not history");
    assert.deepEqual(page.entries.map((e) => e.runId).slice(0, 2), ["run-2989", "run-2988"], "newest first");
    const asc = readCronHistory(db, STORE_KEY, { limit: 2, offset: 0, sortDir: "asc" }, new Map([["job-0", "Zero"]]));
    assert.deepEqual(asc.entries.map((e) => [e.runId, e.jobName]), [["run-0", "Zero"], ["run-4", undefined]]);
    const ok = readCronHistory(db, STORE_KEY, { limit: 1, offset: 0, statuses: ["ok"] }, new Map());
    assert.equal(ok.total, 970);
    const delivered = readCronHistory(
      db,
      STORE_KEY,
      { limit: 1, offset: 0, deliveryStatuses: ["delivered"] },
      new Map(),
    );
    assert.equal(delivered.total, 325);
    const notRequested = readCronHistory(
      db,
      STORE_KEY,
      { limit: 1, offset: 0, deliveryStatuses: ["not-requested"] },
      new Map(),
    );
    assert.equal(notRequested.total, readable - 325, "absent and unknown values count as not-requested");
    const text = readCronHistory(db, STORE_KEY, { limit: 3, offset: 1, query: "RUN 12" }, new Map());
    assert.deepEqual(text.entries.map((e) => e.runId), ["run-1298", "run-1297", "run-1296"]);
    assert.equal(text.total, 111 - 3, "run 12, 120-129 and 1200-1299 less 1201-1203");
  } finally {
    db.close();
    await Deno.remove(dir, { recursive: true });
  }
});
