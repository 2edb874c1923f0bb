// The legacy JSON cron store imported as the reference's gateway imports it at start: the fixture's
// jobs.json and runs/legacy-job-1.jsonl went through the real reference (tests/fixtures/reference_cron/
// legacy/imported_rows.json is what it wrote); ours must write the same rows and archive the same files.
import assert from "node:assert/strict";
import type { DatabaseSync } from "node:sqlite";
import { legacyImportNote, legacySourceKey } from "../../src/automation/cron_legacy_import.ts";
import { SqliteCronStore } from "../../src/automation/sqlite_cron_store.ts";
import { openStateDb } from "../../src/state/state_db.ts";

type Row = Record<string, unknown>;
const LEGACY = new URL("../fixtures/reference_cron/legacy/", import.meta.url);
const THEIRS = JSON.parse(Deno.readTextFileSync(new URL("imported_rows.json", LEGACY))) as {
  stateDir: string;
  cron_jobs: Row[];
  task_runs: Row[];
  migration_sources: Row[];
  migration_runs: Row[];
};
const JOBS_JSON = Deno.readTextFileSync(new URL("jobs.json", LEGACY));
const RUN_LOG = Deno.readTextFileSync(new URL("legacy-job-1.jsonl", LEGACY));
const IMPORTED_AT = Number(THEIRS.migration_sources[0]!.imported_at);

function select(db: DatabaseSync, sql: string): Row[] {
  return (db.prepare(sql).all() as Row[]).map((row) => ({ ...row }));
}

/** The reference's rows with its state dir replaced by ours. */
function moved(rows: Row[], stateDir: string): Row[] {
  return JSON.parse(JSON.stringify(rows).replaceAll(THEIRS.stateDir, stateDir));
}

async function withLegacyStore(
  files: { jobs?: string; runLog?: string },
  body: (store: SqliteCronStore, db: DatabaseSync, stateDir: string) => void,
): Promise<void> {
  const root = await Deno.makeTempDir({ prefix: "oc-cron-legacy-" });
  const stateDir = `${root}/state`;
  await Deno.mkdir(`${stateDir}/cron/runs`, { recursive: true });
  if (files.jobs !== undefined) await Deno.writeTextFile(`${stateDir}/cron/jobs.json`, files.jobs);
  if (files.runLog !== undefined) await Deno.writeTextFile(`${stateDir}/cron/runs/legacy-job-1.jsonl`, files.runLog);
  const db = openStateDb(stateDir);
  try {
    body(new SqliteCronStore(db, { stateDir, now: () => IMPORTED_AT }), db, stateDir);
  } finally {
    db.close();
    await Deno.remove(root, { recursive: true });
  }
}

Deno.test("legacy cron store: the source key is the reference's (path and content hashes)", () => {
  const [source] = THEIRS.migration_sources;
  assert.equal(legacySourceKey(String(source!.source_path), JOBS_JSON, undefined), source!.source_key);
});

Deno.test("legacy cron store: jobs.json and run logs become the reference's rows; the files are archived", async () => {
  await withLegacyStore({ jobs: JOBS_JSON, runLog: RUN_LOG }, (store, db, stateDir) => {
    const report = store.importLegacy();
    assert.deepEqual(report.warnings, []);
    assert.equal(report.importedJobs, 2);
    assert.equal(report.importedRuns, 2);
    assert.deepEqual(report.archived.toSorted(), [
      `${stateDir}/cron/jobs.json.migrated`,
      `${stateDir}/cron/runs/legacy-job-1.jsonl.migrated`,
    ]);
    assert.equal(Deno.readTextFileSync(`${stateDir}/cron/jobs.json.migrated`), JOBS_JSON);
    assert.throws(() => Deno.statSync(`${stateDir}/cron/jobs.json`));
    assert.deepEqual(select(db, "SELECT * FROM cron_jobs ORDER BY sort_order"), moved(THEIRS.cron_jobs, stateDir));
    assert.deepEqual(select(db, "SELECT * FROM task_runs ORDER BY created_at"), moved(THEIRS.task_runs, stateDir));
    const sourceKey = legacySourceKey(`${stateDir}/cron/jobs.json`, JOBS_JSON, undefined);
    const [theirSource] = THEIRS.migration_sources;
    assert.deepEqual(select(db, "SELECT * FROM migration_sources"), [{
      ...theirSource,
      source_key: sourceKey,
      source_path: `${stateDir}/cron/jobs.json`,
      last_run_id: `cron-legacy:${sourceKey}`,
    }]);
    const runs: Row[] = THEIRS.migration_runs.map((run) =>
      String(run.id).startsWith("cron-legacy:")
        ? { ...run, id: `cron-legacy:${sourceKey}`, started_at: IMPORTED_AT, finished_at: IMPORTED_AT }
        : { ...run, started_at: IMPORTED_AT, finished_at: IMPORTED_AT }
    );
    assert.deepEqual(
      select(db, "SELECT * FROM migration_runs ORDER BY id"),
      runs.toSorted((a, b) => String(a.id).localeCompare(String(b.id))),
    );
    const jobs = store.loadJobs();
    assert.deepEqual(jobs.map((job) => job.id), ["legacy-job-1", "legacy-job-2"]);
    assert.equal(store.listRuns({ jobId: "legacy-job-1", limit: 10, offset: 0 }).total, 2);
    const again = store.importLegacy();
    assert.deepEqual([again.importedJobs, again.importedRuns, again.archived], [0, 0, []], "nothing left to import");
  });
});

Deno.test("legacy cron store: a store already imported or a job already stored is not imported twice", async () => {
  await withLegacyStore({ jobs: JOBS_JSON, runLog: RUN_LOG }, (store, db, stateDir) => {
    store.importLegacy();
    store.saveJob({ ...store.loadJobs()[0]!, name: "renamed since" });
    // The same file back (a restored backup): the receipt says it was imported; the file is archived again.
    Deno.writeTextFileSync(`${stateDir}/cron/jobs.json`, JOBS_JSON);
    Deno.writeTextFileSync(`${stateDir}/cron/runs/legacy-job-1.jsonl`, RUN_LOG);
    const report = store.importLegacy();
    assert.deepEqual([report.importedJobs, report.importedRuns], [0, 0]);
    assert.ok(report.archived.includes(`${stateDir}/cron/jobs.json.migrated.2`));
    assert.equal(store.loadJobs()[0]!.name, "renamed since");
    assert.equal(Number(select(db, "SELECT COUNT(*) AS n FROM task_runs")[0]!.n), 2, "runs already mirrored");
    // Edited content is a new source: only jobs whose id is not stored yet come in.
    const edited = JSON.parse(JOBS_JSON);
    edited.jobs.push({ ...edited.jobs[0], id: "legacy-job-3", name: "third" });
    Deno.writeTextFileSync(`${stateDir}/cron/jobs.json`, JSON.stringify(edited));
    assert.equal(store.importLegacy().importedJobs, 1);
    assert.deepEqual(store.loadJobs().map((job) => job.name), ["renamed since", "legacy agent", "third"]);
  });
});

Deno.test("legacy cron store: a file with unreadable jobs is imported in part and left in place", async () => {
  const withBadRow = JSON.stringify({
    version: 1,
    jobs: [...JSON.parse(JOBS_JSON).jobs, { id: "bad", name: "no schedule" }],
  });
  await withLegacyStore({ jobs: withBadRow }, (store, _db, stateDir) => {
    const report = store.importLegacy();
    assert.equal(report.importedJobs, 2);
    assert.match(
      report.warnings.join("\n"),
      /1 job\(s\) in the legacy cron store .* could not be read; it was left in place/,
    );
    assert.equal(Deno.readTextFileSync(`${stateDir}/cron/jobs.json`), withBadRow);
  });
});

Deno.test("legacy cron store: the store's first load imports it, as the reference's gateway does at start", async () => {
  await withLegacyStore({ jobs: JOBS_JSON, runLog: RUN_LOG }, (store, _db, stateDir) => {
    assert.deepEqual(store.loadJobs().map((job) => job.name), ["legacy reminder", "legacy agent"]);
    assert.ok(Deno.statSync(`${stateDir}/cron/jobs.json.migrated`).isFile);
    assert.equal(store.listRuns({ jobId: "legacy-job-1", limit: 10, offset: 0 }).total, 2);
  });
});

Deno.test("legacy cron store: the note is the reference's", () => {
  const report = {
    importedJobs: 2,
    importedRuns: 2,
    importedRunLogFiles: 1,
    archived: ["/s/cron/jobs.json.migrated", "/s/cron/runs/a.jsonl.migrated"],
    warnings: [],
    pending: { paths: [] },
  };
  assert.equal(
    legacyImportNote(report, "/s/cron/jobs.json"),
    "Cron store migrated to SQLite at /s/cron/jobs.json. Imported 1 legacy cron run log into SQLite.",
  );
  assert.equal(
    legacyImportNote(
      { ...report, importedRunLogFiles: 2, archived: ["/s/cron/runs/a.jsonl.migrated"] },
      "/s/cron/jobs.json",
    ),
    "Cron run logs migrated to SQLite at /s/cron/jobs.json. Imported 2 legacy cron run logs into SQLite.",
  );
  assert.equal(legacyImportNote({ ...report, importedRunLogFiles: 0, archived: [] }, "/s/cron/jobs.json"), undefined);
});
