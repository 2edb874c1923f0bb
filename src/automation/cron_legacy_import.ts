// The reference's migration of the JSON cron store it kept before SQLite: `<stateDir>/cron/jobs.json`
// (with `jobs-state.json`) becomes `cron_jobs` rows and `cron/runs/<jobId>.jsonl` run logs become
// `task_runs` history, recorded in `migration_sources`/`migration_runs` as the reference records them;
// the originals are renamed `*.migrated`. The reference does this when its gateway starts (and in
// `doctor --fix`); this gateway does it when its scheduler opens the store.
import { isJsonObject } from "../log/json_object.ts";
import type { DatabaseSync } from "node:sqlite";
import { createHash } from "node:crypto";
import { basename, dirname, join } from "node:path";
import type { CronJob, CronRunLogEntry } from "../agent/cron_control.ts";
import { writeCronJob } from "./cron_job_write.ts";
import { finalizeCronTask } from "./cron_run_history.ts";
import { entryFromDetail } from "./cron_run_history_read.ts";

/** What an import did; `warnings` name files left in place and why. */
export interface LegacyImportReport {
  importedJobs: number;
  importedRuns: number;
  /** Run-log files read (the reference's "Imported N legacy cron run logs"). */
  importedRunLogFiles: number;
  /** Where the imported files went (`*.migrated`), once {@link archiveLegacyCronFiles} ran. */
  archived: string[];
  warnings: string[];
  /** Imported files to archive once the import committed, and the migration source to mark removed. */
  pending: { paths: string[]; sourceKey?: string };
}

type Json = Record<string, unknown>;

function readText(path: string): string | undefined {
  try {
    return Deno.readTextFileSync(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
}

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

/** The reference's `migration_sources.source_key` of a legacy store (path and content hashes). */
export function legacySourceKey(sourcePath: string, raw: string, stateRaw: string | undefined): string {
  const stateSha = stateRaw === undefined ? "" : sha256(stateRaw);
  return `cron-json:${sha256(`${sourcePath}\0${sha256(raw)}\0${stateSha}`)}`;
}

/** Renames a migrated file `<name>.migrated` (`.migrated.2`, ... when taken), as the reference archives it. */
function archive(path: string): string {
  let target = `${path}.migrated`;
  for (let i = 2; exists(target); i++) target = `${path}.migrated.${i}`;
  Deno.renameSync(path, target);
  return target;
}

function exists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}

/** A legacy row as a job, with the reference's repairs (`jobId` → `id`, state file merged); undefined if unusable. */
function legacyJob(raw: Json, index: number, stateEntry: unknown, now: number): CronJob | undefined {
  const job: Json = structuredClone(raw);
  const id = typeof job.id === "string" && job.id.trim()
    ? job.id.trim()
    : typeof job.jobId === "string"
    ? job.jobId.trim()
    : "";
  delete job.jobId;
  job.id = id || `cron-migrated-${index}-${sha256(JSON.stringify(raw))}`;
  const payload = job.payload;
  if (!isJsonObject(job.schedule) || !isJsonObject(payload) || typeof payload.kind !== "string") return undefined;
  const kind = payload.kind.toLowerCase();
  if (kind === "agentturn") payload.kind = "agentTurn";
  if (kind === "systemevent") payload.kind = "systemEvent";
  if (typeof job.name !== "string" || !job.name.trim()) return undefined;
  job.sessionTarget ??= payload.kind === "systemEvent" ? "main" : "isolated";
  job.wakeMode ??= "now";
  job.enabled = typeof job.enabled === "boolean" ? job.enabled : true;
  const createdAtMs = typeof job.createdAtMs === "number" ? job.createdAtMs : now;
  job.createdAtMs = createdAtMs;
  if (isJsonObject(stateEntry)) {
    if (typeof stateEntry.updatedAtMs === "number") job.updatedAtMs = stateEntry.updatedAtMs;
    job.state = isJsonObject(stateEntry.state) ? stateEntry.state : {};
    if (typeof stateEntry.scheduleIdentity === "string" && stateEntry.scheduleIdentity !== legacyIdentity(job)) {
      delete (job.state as Json).nextRunAtMs;
    }
  }
  if (typeof job.updatedAtMs !== "number") job.updatedAtMs = createdAtMs;
  if (!isJsonObject(job.state)) job.state = {};
  return job as unknown as CronJob;
}

/** The identity the JSON store's state file kept (version 1), to tell whether its nextRunAtMs still holds. */
function legacyIdentity(job: Json): string | undefined {
  const s = job.schedule as Json;
  const kind = typeof s.kind === "string" ? s.kind.toLowerCase() : undefined;
  const schedule = kind === "at" && typeof s.at === "string"
    ? { kind: "at", at: s.at }
    : kind === "every" && typeof s.everyMs === "number"
    ? { kind: "every", everyMs: s.everyMs, anchorMs: s.anchorMs }
    : kind === "cron" && typeof s.expr === "string"
    ? { kind: "cron", expr: s.expr, tz: s.tz, staggerMs: s.staggerMs }
    : undefined;
  return schedule ? JSON.stringify({ version: 1, enabled: job.enabled, schedule }) : undefined;
}

function recordMigrationRun(db: DatabaseSync, id: string, now: number, report: Json): void {
  db.prepare(
    `INSERT INTO migration_runs (id, started_at, finished_at, status, report_json) VALUES (?, ?, ?, 'completed', ?)
     ON CONFLICT(id) DO UPDATE SET finished_at = excluded.finished_at, status = excluded.status,
       report_json = excluded.report_json`,
  ).run(id, now, now, JSON.stringify(report));
}

/** Imports `jobs.json` (+ `jobs-state.json`) once per content; jobs whose id is already stored are kept as stored. */
function importJobs(db: DatabaseSync, storeKey: string, now: number, report: LegacyImportReport): void {
  const statePath = storeKey.replace(/\.json$/, "-state.json");
  const raw = readText(storeKey);
  if (raw === undefined) return;
  const stateRaw = readText(statePath);
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (error) {
    report.warnings.push(`Failed to parse cron store at ${storeKey}: ${String(error)}; it was left in place`);
    return;
  }
  const rows = Array.isArray(parsed) ? parsed : isJsonObject(parsed) && Array.isArray(parsed.jobs) ? parsed.jobs : [];
  let states: Json = {};
  try {
    const file: unknown = stateRaw === undefined ? undefined : JSON.parse(stateRaw);
    if (isJsonObject(file) && file.version === 1 && isJsonObject(file.jobs)) states = file.jobs;
  } catch {
    // An unreadable state file is ignored, as the reference ignores it: the jobs reschedule.
  }
  const sourceKey = legacySourceKey(storeKey, raw, stateRaw);
  const done = db.prepare("SELECT status FROM migration_sources WHERE source_key = ?").get(sourceKey) as
    | { status: string }
    | undefined;
  let malformed = 0;
  if (done?.status !== "completed") {
    const stored = new Set(
      (db.prepare("SELECT job_id FROM cron_jobs WHERE store_key = ?").all(storeKey) as { job_id: string }[])
        .map((r) => r.job_id),
    );
    rows.forEach((row: unknown, index: number) => {
      const id = isJsonObject(row) ? (row.id ?? row.jobId) : undefined;
      const job = isJsonObject(row)
        ? legacyJob(row, index, typeof id === "string" ? states[id] : undefined, now)
        : undefined;
      if (!job) malformed++;
      else if (!stored.has(job.id)) {
        writeCronJob(db, storeKey, job);
        stored.add(job.id);
        report.importedJobs++;
      }
    });
    const runId = `cron-legacy:${sourceKey}`;
    const runReport = {
      source: "legacy-cron-json",
      target: "cron_jobs",
      statePath: stateRaw === undefined ? undefined : statePath,
      stateSha256: stateRaw === undefined ? undefined : sha256(stateRaw),
    };
    recordMigrationRun(db, runId, now, runReport);
    db.prepare(
      `INSERT INTO migration_sources (source_key, migration_kind, source_path, target_table, source_sha256,
         source_size_bytes, source_record_count, last_run_id, status, imported_at, removed_source, report_json)
       VALUES (?, 'legacy-cron-json', ?, 'cron_jobs', ?, ?, ?, ?, 'completed', ?, 0, ?)
       ON CONFLICT(source_key) DO UPDATE SET last_run_id = excluded.last_run_id, status = 'completed',
         imported_at = excluded.imported_at, removed_source = 0, report_json = excluded.report_json`,
    ).run(
      sourceKey,
      storeKey,
      sha256(raw),
      new TextEncoder().encode(raw).length + new TextEncoder().encode(stateRaw ?? "").length,
      rows.length,
      runId,
      now,
      JSON.stringify(runReport),
    );
  }
  if (malformed > 0) {
    // The reference quarantines such rows in SQLite; lacking that, the file stays so nothing is lost.
    report.warnings.push(
      `${malformed} job(s) in the legacy cron store at ${storeKey} could not be read; it was left in place`,
    );
    return;
  }
  if (stateRaw !== undefined) report.pending.paths.push(statePath);
  report.pending.paths.push(storeKey);
  report.pending.sourceKey = sourceKey;
}

/** The history a job already has, as the import matches log lines against it (by run id, else by end time). */
function mirroredRuns(
  db: DatabaseSync,
  jobId: string,
): { runIds: Set<string>; endedWithoutRunId: Set<number>; ended: Set<number> } {
  const mirrored = { runIds: new Set<string>(), endedWithoutRunId: new Set<number>(), ended: new Set<number>() };
  const rows = db.prepare(
    "SELECT ended_at, detail_json FROM task_runs WHERE runtime = 'cron' AND source_id = ? AND detail_json IS NOT NULL",
  ).all(jobId) as { ended_at: number | null; detail_json: string }[];
  for (const row of rows) {
    let runId: unknown;
    try {
      const detail: unknown = JSON.parse(row.detail_json);
      runId = isJsonObject(detail) ? detail.runId : undefined;
    } catch {
      runId = undefined;
    }
    const ended = Number(row.ended_at);
    mirrored.ended.add(ended);
    if (typeof runId === "string" && runId) mirrored.runIds.add(runId);
    else mirrored.endedWithoutRunId.add(ended);
  }
  return mirrored;
}

/** Imports `cron/runs/*.jsonl` into history (skipping runs already there) and archives each file. */
function importRunLogs(db: DatabaseSync, storeKey: string, now: number, report: LegacyImportReport): void {
  const runsDir = join(dirname(storeKey), "runs");
  let files: string[];
  try {
    files = [...Deno.readDirSync(runsDir)].filter((e) => e.isFile && e.name.endsWith(".jsonl")).map((e) => e.name);
  } catch {
    return;
  }
  if (files.length === 0) return;
  const counts = { imported: 0, alreadyMirrored: 0, malformed: 0, skipped: false };
  const insert = db.prepare(
    `INSERT INTO task_runs (task_id, runtime, source_id, requester_session_key, owner_key, scope_kind, run_id, task,
       status, delivery_status, notify_policy, created_at, started_at, ended_at, last_event_at)
     VALUES (?, 'cron', ?, '', '', 'system', ?, ?, 'running', 'not_applicable', 'silent', ?, ?, ?, ?)`,
  );
  for (const name of files.sort()) {
    const path = join(runsDir, name);
    const jobId = basename(name, ".jsonl");
    const mirrored = mirroredRuns(db, jobId);
    const ordinals = new Map<number, number>();
    for (const line of Deno.readTextFileSync(path).split("\n")) {
      if (!line.trim()) continue;
      let entry: CronRunLogEntry | null = null;
      try {
        entry = entryFromDetail(JSON.parse(line), jobId);
      } catch {
        entry = null;
      }
      if (!entry) {
        counts.malformed++;
        continue;
      }
      const ordinal = (ordinals.get(entry.ts) ?? 0) + 1;
      ordinals.set(entry.ts, ordinal);
      const already = entry.runId
        ? mirrored.runIds.has(entry.runId) || mirrored.endedWithoutRunId.has(entry.ts)
        : mirrored.ended.has(entry.ts);
      if (already) {
        counts.alreadyMirrored++;
        continue;
      }
      const taskId = `cron-runlog-import:${jobId}:${entry.ts}:${ordinal}`;
      const createdAt = entry.runAtMs ?? entry.ts;
      insert.run(taskId, jobId, taskId, jobId, createdAt, entry.runAtMs ?? null, entry.ts, entry.ts);
      finalizeCronTask(db, taskId, entry, storeKey, { stampCleanup: false });
      counts.imported++;
      report.importedRuns++;
    }
    report.pending.paths.push(path);
    report.importedRunLogFiles++;
  }
  recordMigrationRun(db, "state:cron-run-logs-to-task-runs:v1", now, counts);
}

/**
 * Imports the legacy JSON cron store of a partition into the database, if there is one (a couple of
 * `stat`s when there is none). Call inside a write transaction, then {@link archiveLegacyCronFiles}
 * after it committed: a file is renamed only once its rows are stored.
 */
export function importLegacyCronStore(db: DatabaseSync, storeKey: string, now: number): LegacyImportReport {
  const report: LegacyImportReport = {
    importedJobs: 0,
    importedRuns: 0,
    importedRunLogFiles: 0,
    archived: [],
    warnings: [],
    pending: { paths: [] },
  };
  importJobs(db, storeKey, now, report);
  importRunLogs(db, storeKey, now, report);
  return report;
}

/** Renames the imported files `*.migrated` (run logs keep an existing archive) and marks the source removed. */
export function archiveLegacyCronFiles(db: DatabaseSync, report: LegacyImportReport): void {
  for (const path of report.pending.paths) {
    try {
      if (path.endsWith(".jsonl")) {
        if (exists(`${path}.migrated`)) continue;
        Deno.renameSync(path, `${path}.migrated`);
        report.archived.push(`${path}.migrated`);
      } else report.archived.push(archive(path));
    } catch (error) {
      report.warnings.push(`Imported ${path} but could not archive it: ${String(error)}; remove it by hand`);
    }
  }
  if (report.pending.sourceKey && report.warnings.length === 0) {
    db.prepare("UPDATE migration_sources SET removed_source = 1 WHERE source_key = ?").run(report.pending.sourceKey);
  }
  report.pending = { paths: [] };
}

/** What the reference's gateway prints for an import (its doctor's change note), or undefined for none. */
export function legacyImportNote(report: LegacyImportReport, storeKey: string): string | undefined {
  const files = report.importedRunLogFiles;
  const runs = files > 0 ? ` Imported ${files} legacy cron run log${files === 1 ? "" : "s"} into SQLite.` : "";
  if (report.archived.some((path) => !path.endsWith(".jsonl.migrated"))) {
    return `Cron store migrated to SQLite at ${storeKey}.${runs}`;
  }
  return files > 0 ? `Cron run logs migrated to SQLite at ${storeKey}.${runs}` : undefined;
}
