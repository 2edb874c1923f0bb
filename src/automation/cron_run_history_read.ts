// Reading cron run history back from `task_runs` as the `CronRunLogEntry`s `cron.runs` returns: the
// reference's projection (detail fields over the row's error/summary, `ts` the row's end), filters,
// order and paging, with `jobName` attached.
import type { DatabaseSync } from "node:sqlite";
import type { CronRunLogEntry, CronRunsQuery } from "../agent/cron_control.ts";
import { CRON_TASK_DETAIL_KIND } from "./cron_run_history.ts";
import { isJsonObject } from "../log/json_object.ts";

type Json = Record<string, unknown>;

const RUN_STATUSES = new Set(["ok", "error", "skipped"]);
const DELIVERY_STATUSES = new Set(["delivered", "not-delivered", "unknown", "not-requested"]);
const COMPLETION_STATUSES = new Set(["succeeded", "failed", "unknown"]);

function str(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

function nonBlank(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() !== "" ? value : undefined;
}

function timestamp(value: unknown): number | undefined {
  const n = typeof value === "bigint" ? Number(value) : value;
  return typeof n === "number" && Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}

function oneOf<T extends string>(set: Set<string>, value: unknown): T | undefined {
  return typeof value === "string" && set.has(value) ? value as T : undefined;
}

/** A history row: the task columns the projection needs. */
interface HistoryRow {
  "task_id": string;
  "source_id": string;
  "child_session_key": string | null;
  "created_at": number;
  "ended_at": number | null;
  "last_event_at": number | null;
  error: string | null;
  "terminal_summary": string | null;
  "detail_json": string | null;
}

/**
 * A run-log entry object (a stored detail merged with its row, or a legacy JSONL line) in the wire
 * shape, as the reference parses it: null unless it is a `finished` entry with a job id and a time
 * (of `jobId` when given); unknown or mistyped fields are dropped.
 */
export function entryFromDetail(obj: unknown, jobId?: string): CronRunLogEntry | null {
  if (!isJsonObject(obj) || obj.action !== "finished") return null;
  const ts = timestamp(obj.ts);
  if (ts === undefined || typeof obj.jobId !== "string" || !obj.jobId.trim()) return null;
  if (jobId && obj.jobId !== jobId) return null;
  const status = oneOf<"ok" | "error" | "skipped">(RUN_STATUSES, obj.status);
  const deliveryStatus = oneOf<NonNullable<CronRunLogEntry["deliveryStatus"]>>(DELIVERY_STATUSES, obj.deliveryStatus);
  const delivered = typeof obj.delivered === "boolean" ? obj.delivered : undefined;
  const completion = oneOf<NonNullable<CronRunLogEntry["completionStatus"]>>(COMPLETION_STATUSES, obj.completionStatus);
  const fields: Json = {
    ts,
    jobId: obj.jobId,
    action: "finished",
    status,
    completionStatus: completion ??
      (status === "error" || status === "skipped"
        ? "failed"
        : status !== "ok"
        ? "unknown"
        : delivered === true || deliveryStatus === "delivered" || deliveryStatus === "not-requested"
        ? "succeeded"
        : "unknown"),
    error: str(obj.error),
    errorReason: str(obj.errorReason),
    summary: str(obj.summary),
    runId: nonBlank(obj.runId),
    diagnostics: isJsonObject(obj.diagnostics) ? obj.diagnostics : undefined,
    runAtMs: timestamp(obj.runAtMs),
    durationMs: timestamp(obj.durationMs),
    nextRunAtMs: timestamp(obj.nextRunAtMs),
    triggerFired: obj.triggerFired === true ? true : undefined,
    model: nonBlank(obj.model),
    provider: nonBlank(obj.provider),
    usage: isJsonObject(obj.usage) ? obj.usage : undefined,
    delivered,
    deliveryStatus,
    deliveryError: str(obj.deliveryError),
    deliverySuppressionReason: str(obj.deliverySuppressionReason),
    failureNotificationDelivery: isJsonObject(obj.failureNotificationDelivery)
      ? obj.failureNotificationDelivery
      : undefined,
    delivery: isJsonObject(obj.delivery) ? obj.delivery : undefined,
    sessionId: nonBlank(obj.sessionId),
    sessionKey: nonBlank(obj.sessionKey),
  };
  for (const key of Object.keys(fields)) if (fields[key] === undefined) delete fields[key];
  return fields as unknown as CronRunLogEntry;
}

/** A finished cron task row as the entry the reference reports; null for rows that are not this partition's history. */
export function entryFromRow(row: HistoryRow, storeKey: string): CronRunLogEntry | null {
  let detail: unknown;
  try {
    detail = JSON.parse(row.detail_json ?? "");
  } catch {
    return null;
  }
  if (!isJsonObject(detail) || detail.kind !== CRON_TASK_DETAIL_KIND || detail.storeKey !== storeKey) return null;
  const { storeKey: _storeKey, ...wire } = detail;
  return entryFromDetail({
    error: row.error,
    summary: row.terminal_summary,
    ...wire,
    ts: row.ended_at ?? row.last_event_at ?? row.created_at,
    jobId: row.source_id,
    action: "finished",
    sessionKey: row.child_session_key,
    runId: typeof detail.runId === "string" ? detail.runId : undefined,
  }, row.source_id);
}

/** The text `query` is matched against, lowercased (the reference's fields). */
function searchText(entry: CronRunLogEntry, jobName: string | undefined): string {
  return [
    entry.summary ?? "",
    entry.error ?? "",
    entry.errorReason ?? "",
    entry.diagnostics?.summary ?? "",
    ...(entry.diagnostics?.entries ?? []).map((d) => d.message),
    entry.jobId,
    jobName ?? "",
    entry.delivery?.intended?.channel ?? "",
    entry.delivery?.resolved?.channel ?? "",
    ...(entry.delivery?.messageToolSentTo ?? []).map((t) => t.channel),
  ].join(" ").toLowerCase();
}

/** A detail field as SQL reads it (NULL for a detail that is not JSON, as the reader skips those rows). */
const detailField = (path: string) =>
  `(CASE WHEN json_valid(detail_json) THEN json_extract(detail_json, '${path}') END)`;
/** The entry's `ts`, as {@link entryFromRow} takes it. */
const ENTRY_TS = "COALESCE(ended_at, last_event_at, created_at)";
/** `deliveryStatus` as the filter sees it: absent or unknown values count as `not-requested`. */
const ENTRY_DELIVERY = `(CASE WHEN ${detailField("$.deliveryStatus")} IN ('delivered', 'not-delivered', 'unknown', ` +
  `'not-requested') THEN ${detailField("$.deliveryStatus")} ELSE 'not-requested' END)`;

/**
 * One page of history, filtered and ordered as the reference's `cron.runs` (newest first by default).
 * SQLite selects, counts, orders and pages the partition's finished runs; only the page is parsed,
 * except for a text `query`, whose matches are counted row by row without keeping them (history of
 * 10,000 jobs is hundreds of thousands of rows: loading them all took seconds and hundreds of MB).
 */
export function readCronHistory(
  db: DatabaseSync,
  storeKey: string,
  query: CronRunsQuery,
  jobNames: ReadonlyMap<string, string>,
): { entries: CronRunLogEntry[]; total: number } {
  const where = [
    "runtime = 'cron'",
    "source_id IS NOT NULL",
    "trim(source_id) != ''",
    `${ENTRY_TS} >= 0`,
    `${detailField("$.kind")} = '${CRON_TASK_DETAIL_KIND}'`,
    `${detailField("$.storeKey")} = ?`,
  ];
  const args: string[] = [storeKey];
  if (query.jobId !== undefined) {
    where.push("source_id = ?");
    args.push(query.jobId);
  }
  const statuses = [...new Set(query.statuses ?? [])];
  if (statuses.length > 0) {
    where.push(`${detailField("$.status")} IN (${statuses.map(() => "?").join(", ")})`);
    args.push(...statuses);
  }
  const deliveries = [...new Set(query.deliveryStatuses ?? [])];
  if (deliveries.length > 0) {
    where.push(`${ENTRY_DELIVERY} IN (${deliveries.map(() => "?").join(", ")})`);
    args.push(...deliveries);
  }
  const dir = query.sortDir === "asc" ? "ASC" : "DESC";
  const from = `FROM task_runs WHERE ${where.join(" AND ")}`;
  const select = "SELECT task_id, source_id, child_session_key, created_at, ended_at, last_event_at, error, " +
    `terminal_summary, detail_json ${from} ORDER BY ${ENTRY_TS} ${dir}, created_at ${dir}, task_id ${dir}`;
  const limit = Math.max(1, Math.min(200, Math.floor(query.limit)));
  const offset = Math.max(0, Math.floor(query.offset));
  const named = (entry: CronRunLogEntry): CronRunLogEntry => {
    const jobName = jobNames.get(entry.jobId);
    return jobName ? { ...entry, jobName } : entry;
  };
  const needle = query.query?.trim().toLowerCase() ?? "";
  if (!needle) {
    const total = Number((db.prepare(`SELECT COUNT(*) AS n ${from}`).get(...args) as { n: number }).n);
    const rows = db.prepare(`${select} LIMIT ? OFFSET ?`).all(...args, limit, offset) as unknown as HistoryRow[];
    const entries = rows.map((row) => entryFromRow(row, storeKey)).filter((e): e is CronRunLogEntry => e !== null);
    return { entries: entries.map(named), total };
  }
  const entries: CronRunLogEntry[] = [];
  let total = 0;
  for (const row of db.prepare(select).iterate(...args) as Iterable<HistoryRow>) {
    const entry = entryFromRow(row, storeKey);
    if (!entry || !searchText(entry, jobNames.get(entry.jobId)).includes(needle)) continue;
    if (total >= offset && entries.length < limit) entries.push(named(entry));
    total += 1;
  }
  return { entries, total };
}
