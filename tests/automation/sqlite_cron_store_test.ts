// The cron store against rows the reference OpenClaw 2026.9.6 wrote (tests/fixtures/reference_cron, recorded
// by running its gateway and `openclaw cron add/run/runs/list`): it reads the reference's jobs and history as
// the reference's CLI shows them, and writes jobs, receipts and history rows column for column as the
// reference does, so the two gateways share one state dir.
import assert from "node:assert/strict";
import type { DatabaseSync } from "node:sqlite";
import type { CronJob, CronRunLogEntry } from "../../src/agent/cron_control.ts";
import { configRevision as cronJobConfigRevision } from "../../src/agent/cron_views.ts";
import { cronJobFromRow } from "../../src/automation/cron_row_codec.ts";
import { eventJob } from "../../src/automation/cron_events.ts";
import { CronRunConflictError, cronStoreKey, SqliteCronStore } from "../../src/automation/sqlite_cron_store.ts";
import { processStartTime } from "../../src/automation/cron_receipts.ts";
import { openStateDb } from "../../src/state/state_db.ts";
import { cronStateExists } from "../../src/automation/cron_store_presence.ts";

type Row = Record<string, unknown>;
const FIXTURES = new URL("../fixtures/reference_cron/", import.meta.url);
const fixture = (name: string) => JSON.parse(Deno.readTextFileSync(new URL(name, FIXTURES)));
const RECORDED_STATE = fixture("state_rows.json") as {
  stateDir: string;
  cron_jobs: Row[];
  cron_run_receipts: Row[];
  task_runs: Row[];
};
const RECORDED_KILLED = fixture("killed_mid_run.json") as {
  cron_jobs: Row[];
  cron_run_receipts: Row[];
  task_runs: Row[];
};
const SYS1 = "4e05cded-7656-441b-95cd-5d1069bed14c";
const SOON = "04cf2217-946e-488a-8703-85fe460f7332";
/** The reference gateway's process in the recording (it was killed; receipts name it). */
const REFERENCE_PROCESS = { pid: 11123, startTime: 2913035 };

function insertRows(db: DatabaseSync, table: string, rows: Row[]): void {
  for (const row of rows) {
    const columns = Object.keys(row);
    db.prepare(`INSERT INTO ${table} (${columns.join(", ")}) VALUES (${columns.map(() => "?").join(", ")})`)
      .run(...columns.map((c) => row[c] as string | number | null));
  }
}

function select(db: DatabaseSync, sql: string, ...args: (string | number)[]): Row[] {
  return (db.prepare(sql).all(...args) as Row[]).map((row) => ({ ...row }));
}

type StoreOptions = { now?: number; ids?: string[]; self?: { pid: number; startTime: number | null } };

/** The recording moved to a test's own state dir (paths in rows and details), and a store on it. */
interface Recording {
  STATE: typeof RECORDED_STATE;
  KILLED: typeof RECORDED_KILLED;
  /** A store in the recording's partition, with the clock and ids the test gives it. */
  storeOn: (db: DatabaseSync, options?: StoreOptions) => SqliteCronStore;
}

async function withDb(body: (db: DatabaseSync, recording: Recording) => void | Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "oc-cron-store-" });
  const db = openStateDb(dir);
  const move = <T>(value: T): T => JSON.parse(JSON.stringify(value).replaceAll(RECORDED_STATE.stateDir, dir));
  const STATE = move(RECORDED_STATE);
  const storeOn = (db: DatabaseSync, options: StoreOptions = {}) => {
    const ids = [...(options.ids ?? [])];
    return new SqliteCronStore(db, {
      stateDir: STATE.stateDir,
      now: () => options.now ?? 1796039800000,
      newId: () => ids.shift() ?? crypto.randomUUID(),
      self: options.self ?? { pid: Deno.pid, startTime: processStartTime(Deno.pid) },
    });
  };
  try {
    await body(db, { STATE, KILLED: move(RECORDED_KILLED), storeOn });
  } finally {
    db.close();
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("cron store: the partition is the reference's resolved <stateDir>/cron/jobs.json", () => {
  assert.equal(cronStoreKey("/tmp/store/state"), "/tmp/store/state/cron/jobs.json");
  assert.equal(cronStoreKey("/tmp/a/../store/state/"), "/tmp/store/state/cron/jobs.json");
  assert.equal(RECORDED_STATE.cron_jobs[0]!.store_key, cronStoreKey(RECORDED_STATE.stateDir));
});

Deno.test("cron store: reads the reference's jobs as its `cron list` shows them, configRevision included", async () => {
  const listed = fixture("cli_list.json").jobs as Row[];
  await withDb((db, { STATE, storeOn }) => {
    insertRows(db, "cron_jobs", STATE.cron_jobs);
    const jobs = storeOn(db).loadJobs();
    assert.deepEqual(jobs.map((j) => j.name), STATE.cron_jobs.map((r) => r.name), "in sort_order");
    for (const job of jobs.map(eventJob)) {
      const theirs = listed.find((j) => j.id === job.id)!;
      for (const [key, value] of Object.entries(job)) assert.deepEqual(value, theirs[key], `${job.name}.${key}`);
      // What `cron list` adds to a stored job is computed (revision, projections of the state).
      const added = Object.keys(theirs).filter((key) => !(key in job));
      for (const key of added) {
        assert.ok(
          ["configRevision", "effectiveAgentId", "status", "nextRunAtMs", "deliveryPreview"].includes(key) ||
            key.startsWith("last"),
          `${job.name}: ${key}`,
        );
      }
      assert.equal(cronJobConfigRevision(job), theirs.configRevision, `${job.name} configRevision`);
    }
  });
});

Deno.test("cron store: writes each job column for column as the reference did", async () => {
  await withDb((db, { STATE, storeOn }) => {
    const store = storeOn(db);
    for (const row of STATE.cron_jobs) store.saveJob(cronJobFromRow(row)!);
    assert.deepEqual(select(db, "SELECT * FROM cron_jobs ORDER BY sort_order"), STATE.cron_jobs);
    // Saving an unchanged definition keeps the grant generation; a changed one bumps it, as the reference does.
    const sys1 = store.loadJobs().find((j) => j.id === SYS1)!;
    store.saveJob(sys1);
    const edited = { ...sys1, payload: { kind: "systemEvent", text: "edited" } } as CronJob;
    store.saveJob({ ...edited, updatedAtMs: sys1.updatedAtMs + 1 });
    const [after] = select(
      db,
      "SELECT grant_definition_generation, sort_order, job_json FROM cron_jobs WHERE job_id = ?",
      SYS1,
    );
    assert.equal(after!.grant_definition_generation, 2);
    assert.equal(after!.sort_order, 3, "an update keeps its place");
    assert.match(String(after!.job_json), /"text":"edited"/);
  });
});

Deno.test("cron store: lists the reference's run history exactly as its `cron runs` prints it", async () => {
  await withDb((db, { STATE, storeOn }) => {
    insertRows(db, "cron_jobs", STATE.cron_jobs);
    insertRows(db, "task_runs", STATE.task_runs);
    const store = storeOn(db);
    for (const [jobId, file] of [[SYS1, "cli_runs_sys1.json"], [SOON, "cli_runs_soon.json"]] as const) {
      const theirs = fixture(file) as { entries: Row[]; total: number };
      const ours = store.listRuns({ jobId, limit: 50, offset: 0 });
      assert.equal(ours.total, theirs.total);
      // The CLI adds the ISO renderings of the times; the rest is the gateway's entry.
      const wire = theirs.entries.map(({ tsIso: _t, runAtIso: _r, nextRunAtIso: _n, ...entry }) => entry);
      assert.deepEqual(ours.entries, wire);
    }
    const all = store.listRuns({ limit: 50, offset: 0, sortDir: "asc" });
    assert.deepEqual(all.entries.map((e) => e.ts), [1796039542811, 1796039632255, 1796039743593]);
    assert.equal(store.listRuns({ limit: 50, offset: 0, query: "SOON" }).total, 1, "query matches the job name");
    assert.equal(store.listRuns({ limit: 50, offset: 0, statuses: ["ok"] }).total, 0);
    assert.equal(store.listRuns({ limit: 1, offset: 1 }).entries[0]!.ts, 1796039632255);
    assert.equal(storeOn(db).listRuns({ limit: 50, offset: 0, deliveryStatuses: ["unknown"] }).total, 1);
  });
});

Deno.test("cron store: a manual run leaves the receipt and history row the reference left", async () => {
  await withDb((db, { STATE, storeOn }) => {
    const receipt = STATE.cron_run_receipts.find((r) => r.receipt_id === "4704e586-b771-4c2e-a2b1-76c1d8174703")!;
    const task = STATE.task_runs.find((r) => r.task_id === "f2df09d5-0cf6-416d-87a3-9fde329ea378")!;
    insertRows(db, "cron_jobs", STATE.cron_jobs);
    const store = storeOn(db, { ids: [String(receipt.receipt_id), String(task.task_id)], self: REFERENCE_PROCESS });
    const runId = String(receipt.request_run_id);
    store.startRun({ runId, jobId: SYS1, agentId: "main", startedAtMs: Number(receipt.started_at_ms) });
    assert.deepEqual(select(db, "SELECT * FROM cron_run_receipts"), [
      { ...receipt, status: "running", finished_at_ms: null, error_text: null },
    ]);
    const [running] = select(db, "SELECT * FROM task_runs");
    assert.deepEqual(running, {
      ...task,
      status: "running",
      ended_at: null,
      last_event_at: task.started_at,
      cleanup_after: null,
      error: null,
      terminal_summary: null,
      detail_json: JSON.stringify({ storeKey: STATE.stateDir + "/cron/jobs.json" }),
    });
    const state = JSON.parse(
      String(select(db, "SELECT state_json FROM cron_jobs WHERE job_id = ?", SYS1)[0]!.state_json),
    );
    assert.equal(state.runningReceiptId, receipt.receipt_id, "the reference's recovery finds the receipt from the job");
    assert.throws(
      () => store.startRun({ runId: "again", jobId: SYS1, agentId: "main", startedAtMs: 1 }),
      CronRunConflictError,
      "one running receipt per job",
    );
    const entry = (fixture("cli_runs_sys1.json").entries as Row[]).find((e) => e.ts === task.ended_at)!;
    const { jobName: _n, tsIso: _t, runAtIso: _r, nextRunAtIso: _x, ...wire } = entry;
    store.finishRun(runId, wire as unknown as CronRunLogEntry);
    assert.deepEqual(select(db, "SELECT * FROM cron_run_receipts"), [receipt]);
    // The reference touched last_event_at once more after finishing (a later event of its own).
    assert.deepEqual({ ...select(db, "SELECT * FROM task_runs")[0], last_event_at: 0 }, { ...task, last_event_at: 0 });
    const after = JSON.parse(
      String(select(db, "SELECT state_json FROM cron_jobs WHERE job_id = ?", SYS1)[0]!.state_json),
    );
    assert.equal(after.runningReceiptId, undefined);
  });
});

Deno.test("cron store: a run cut short by a killed gateway is taken as the reference takes it", async () => {
  await withDb((db, { STATE, KILLED, storeOn }) => {
    const after = STATE.cron_run_receipts.find((r) => r.status === "interrupted")!;
    const afterTask = STATE.task_runs.find((r) => r.task_id === KILLED.task_runs[0]!.task_id)!;
    insertRows(db, "cron_jobs", KILLED.cron_jobs);
    insertRows(db, "cron_run_receipts", KILLED.cron_run_receipts);
    insertRows(db, "task_runs", KILLED.task_runs);
    const store = storeOn(db, { now: Number(after.finished_at_ms) });
    const taken = store.takeInterruptedRuns();
    assert.deepEqual(taken, [{
      runId: String(after.request_run_id),
      jobId: SYS1,
      startedAtMs: Number(after.started_at_ms),
    }]);
    assert.deepEqual(select(db, "SELECT * FROM cron_run_receipts"), [after]);
    assert.deepEqual(store.takeInterruptedRuns(), [], "taken once");
    const state = JSON.parse(String(select(db, "SELECT state_json FROM cron_jobs")[0]!.state_json));
    assert.equal(state.runningReceiptId, undefined);
    // The scheduler then records the run with the next run it computed; the row is the reference's.
    const entry = (fixture("cli_runs_sys1.json").entries as Row[]).find((e) => e.ts === after.finished_at_ms)!;
    const { jobName: _n, tsIso: _t, runAtIso: _r, nextRunAtIso: _x, ...wire } = entry;
    store.finishRun(taken[0]!.runId, wire as unknown as CronRunLogEntry);
    assert.deepEqual(select(db, "SELECT * FROM task_runs"), [afterTask]);
  });
});

Deno.test("cron store: a receipt of a live process is not taken; one of a restarted pid is", async () => {
  await withDb((db, { KILLED, storeOn }) => {
    insertRows(db, "cron_jobs", KILLED.cron_jobs);
    const live = { ...KILLED.cron_run_receipts[0]!, "owner_pid": 1, "owner_start_time": processStartTime(1) };
    insertRows(db, "cron_run_receipts", [live]);
    assert.deepEqual(storeOn(db).takeInterruptedRuns(), [], "pid 1 is alive with that start time");
    assert.throws(
      () => storeOn(db).startRun({ runId: "r", jobId: SYS1, agentId: "main", startedAtMs: 5 }),
      /already running in process 1/,
    );
    db.prepare("UPDATE cron_run_receipts SET owner_start_time = owner_start_time + 1").run();
    assert.equal(storeOn(db).takeInterruptedRuns().length, 1, "same pid, another process");
  });
});

Deno.test("cron store: history keeps 7 days and the newest 2000 runs per job; deleting a job keeps its history", async () => {
  await withDb((db, { STATE }) => {
    insertRows(db, "cron_jobs", STATE.cron_jobs);
    let now = 1_800_000_000_000;
    const store = new SqliteCronStore(db, { stateDir: STATE.stateDir, now: () => now });
    const run = (runId: string, at: number) => {
      store.startRun({ runId, jobId: SYS1, agentId: "main", startedAtMs: at });
      store.finishRun(runId, { ts: at + 1, jobId: SYS1, action: "finished", status: "ok", runId });
    };
    run("eight-days-old", now - 8 * 86_400_000);
    run("oldest-recent", now - 3 * 86_400_000);
    // 1999 more finished runs, as earlier runs would have left them (seeded: running 2000 takes too long).
    const template = select(db, "SELECT * FROM task_runs WHERE run_id LIKE '%:oldest-recent'")[0]!;
    const receipt = select(db, "SELECT * FROM cron_run_receipts WHERE request_run_id = 'oldest-recent'")[0]!;
    db.exec("BEGIN");
    const seeded = Array.from({ length: 1999 }, (_, i) => {
      const at = now - 2 * 86_400_000 + i * 10;
      const detail = String(template.detail_json).replace('"runId":"oldest-recent"', `"runId":"seed-${i}"`);
      return {
        ...template,
        task_id: `seed-${i}`,
        run_id: `seed-${i}`,
        created_at: at,
        ended_at: at + 1,
        detail_json: detail,
      };
    });
    insertRows(db, "task_runs", seeded);
    insertRows(db, "cron_run_receipts", Array.from({ length: 70 }, (_, i) => ({ ...receipt, receipt_id: `old-${i}` })));
    db.exec("COMMIT");
    const count = () => Number(select(db, "SELECT COUNT(*) AS n FROM task_runs WHERE source_id = ?", SYS1)[0]!.n);
    const runIds = () =>
      store.listRuns({ jobId: SYS1, limit: 200, offset: 0, sortDir: "asc" }).entries.map((e) => e.runId);
    assert.equal(count(), 2000, "the 8-day-old run went when the next one finished");
    assert.equal(runIds()[0], "oldest-recent");
    run("newest", now);
    assert.equal(count(), 2000, "only the newest 2000 stay");
    assert.notEqual(runIds()[0], "oldest-recent");
    assert.equal(Number(select(db, "SELECT COUNT(*) AS n FROM cron_run_receipts")[0]!.n), 64, "64 receipts per job");
    store.deleteJob(SYS1);
    assert.equal(store.loadJobs().some((j) => j.id === SYS1), false);
    assert.equal(Number(select(db, "SELECT COUNT(*) AS n FROM cron_run_receipts")[0]!.n), 0);
    assert.equal(count(), 2000, "history outlives the job, as in the reference");
    assert.equal(store.listRuns({ jobId: SYS1, limit: 1, offset: 0 }).entries[0]!.jobName, undefined);
    now += 7 * 86_400_000 + 1;
    assert.equal(store.pruneRuns(now), 2000);
  });
});

Deno.test("cron store: saveState keeps the receipt while running and the schedule identity current", async () => {
  await withDb((db, { STATE, storeOn }) => {
    insertRows(db, "cron_jobs", STATE.cron_jobs);
    const store = storeOn(db);
    store.startRun({ runId: "m1", jobId: SYS1, agentId: "main", startedAtMs: 10 });
    const stateOf = () =>
      JSON.parse(String(select(db, "SELECT state_json FROM cron_jobs WHERE job_id = ?", SYS1)[0]!.state_json));
    const receiptId = stateOf().runningReceiptId;
    store.saveState(SYS1, { nextRunAtMs: 99, runningAtMs: 10 });
    assert.deepEqual(stateOf(), { nextRunAtMs: 99, runningAtMs: 10, runningReceiptId: receiptId });
    store.saveState(SYS1, { nextRunAtMs: 100, lastStatus: "ok" } as CronJob["state"]);
    assert.deepEqual(stateOf(), { nextRunAtMs: 100, lastStatus: "ok", lastRunStatus: "ok" });
    db.prepare("UPDATE cron_jobs SET schedule_identity = NULL WHERE job_id = ?").run(SYS1);
    store.saveState(SYS1, {});
    const [row] = select(db, "SELECT schedule_identity FROM cron_jobs WHERE job_id = ?", SYS1);
    assert.equal(row!.schedule_identity, STATE.cron_jobs.find((r) => r.job_id === SYS1)!.schedule_identity);
  });
});

Deno.test("cron store: an outcome for a run it never started still becomes history", async () => {
  await withDb((db, { STATE, storeOn }) => {
    insertRows(db, "cron_jobs", STATE.cron_jobs);
    const store = storeOn(db);
    const at = 1796039700000;
    store.finishRun("lost-start", { ts: at + 10, jobId: SYS1, action: "finished", status: "skipped", runAtMs: at });
    const [row] = select(db, "SELECT run_id, label, agent_id, status FROM task_runs");
    assert.match(String(row!.run_id), new RegExp(`^cron:${SYS1}:${at}:[0-9a-f-]+:lost-start$`));
    assert.deepEqual({ ...row, run_id: 0 }, { run_id: 0, label: "sys1", agent_id: "main", status: "failed" });
    assert.deepEqual(store.listRuns({ jobId: SYS1, limit: 5, offset: 0 }).entries.map((e) => e.status), ["skipped"]);
  });
});

Deno.test("cron store: a state dir has scheduler state once it has the database or a legacy store", async () => {
  const dir = await Deno.makeTempDir({ prefix: "oc-cron-presence-" });
  try {
    assert.equal(cronStateExists(dir), false);
    await Deno.mkdir(`${dir}/cron`);
    await Deno.writeTextFile(`${dir}/cron/jobs.json`, "{}");
    assert.equal(cronStateExists(dir), true);
    await Deno.remove(`${dir}/cron`, { recursive: true });
    openStateDb(dir).close();
    assert.equal(cronStateExists(dir), true);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("cron store: the start-up load leaves the shared connection's page-cache size as it found it", async () => {
  await withDb((db, { STATE, storeOn }) => {
    insertRows(db, "cron_jobs", STATE.cron_jobs);
    db.exec("PRAGMA cache_size = -1234");
    const jobs = storeOn(db).loadJobs();
    assert.equal(jobs.length, STATE.cron_jobs.length);
    assert.deepEqual({ ...db.prepare("PRAGMA cache_size").get() }, { cache_size: -1234 });
  });
});
