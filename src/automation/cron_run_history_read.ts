// Reading cron run history back from `task_runs` as the `CronRunLogEntry`s `cron.runs` returns: the
// reference's projection (detail fields over the row's error/summary, `ts` the row's end), filters,
// order and paging, with `jobName` attached.
import type { DatabaseSync } from "node:sqlite";
import type { CronRunLogEntry, CronRunsQuery } from "../agent/cron_control.ts";
import { CRON_TASK_DETAIL_KIND } from "./cron_run_history.ts";

type Json = Record<string, unknown>;

const RUN_STATUSES = new Set(["ok", "error", "skipped"]);
const DELIVERY_STATUSES = new Set(["delivered", "not-delivered", "unknown", "not-requested"]);
const COMPLETION_STATUSES = new Set(["succeeded", "failed", "unknown"]);

function isRecord(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

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

/** A finished cron task row as the entry the reference reports; null for rows that are not run history. */
export function entryFromRow(row: HistoryRow, storeKey: string): CronRunLogEntry | null {
  let detail: unknown;
  try {
    detail = JSON.parse(row.detail_json ?? "");
  } catch {
    return null;
  }
  if (!isRecord(detail) || detail.kind !== CRON_TASK_DETAIL_KIND || detail.storeKey !== storeKey) return null;
  const ts = timestamp(row.ended_at ?? row.last_event_at ?? row.created_at);
  if (ts === undefined) return null;
  const status = oneOf<"ok" | "error" | "skipped">(RUN_STATUSES, detail.status);
  const deliveryStatus = oneOf<NonNullable<CronRunLogEntry["deliveryStatus"]>>(
    DELIVERY_STATUSES,
    detail.deliveryStatus,
  );
  const delivered = typeof detail.delivered === "boolean" ? detail.delivered : undefined;
  const completion = oneOf<NonNullable<CronRunLogEntry["completionStatus"]>>(
    COMPLETION_STATUSES,
    detail.completionStatus,
  );
  const fields: Json = {
    ts,
    jobId: row.source_id,
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
    error: "error" in detail ? str(detail.error) : str(row.error),
    errorReason: str(detail.errorReason),
    summary: "summary" in detail ? str(detail.summary) : str(row.terminal_summary),
    runId: nonBlank(detail.runId),
    diagnostics: isRecord(detail.diagnostics) ? detail.diagnostics : undefined,
    runAtMs: timestamp(detail.runAtMs),
    durationMs: timestamp(detail.durationMs),
    nextRunAtMs: timestamp(detail.nextRunAtMs),
    triggerFired: detail.triggerFired === true ? true : undefined,
    model: nonBlank(detail.model),
    provider: nonBlank(detail.provider),
    usage: isRecord(detail.usage) ? detail.usage : undefined,
    delivered,
    deliveryStatus,
    deliveryError: str(detail.deliveryError),
    deliverySuppressionReason: str(detail.deliverySuppressionReason),
    failureNotificationDelivery: isRecord(detail.failureNotificationDelivery)
      ? detail.failureNotificationDelivery
      : undefined,
    delivery: isRecord(detail.delivery) ? detail.delivery : undefined,
    sessionId: nonBlank(detail.sessionId),
    sessionKey: nonBlank(row.child_session_key),
  };
  for (const key of Object.keys(fields)) if (fields[key] === undefined) delete fields[key];
  return fields as unknown as CronRunLogEntry;
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

/** One page of history, filtered and ordered as the reference's `cron.runs` (newest first by default). */
export function readCronHistory(
  db: DatabaseSync,
  storeKey: string,
  query: CronRunsQuery,
  jobNames: ReadonlyMap<string, string>,
): { entries: CronRunLogEntry[]; total: number } {
  const columns = "task_id, source_id, child_session_key, created_at, ended_at, last_event_at, error, " +
    "terminal_summary, detail_json";
  const rows =
    (query.jobId === undefined
      ? db.prepare(`SELECT ${columns} FROM task_runs WHERE runtime = 'cron' AND source_id IS NOT NULL`).all()
      : db.prepare(`SELECT ${columns} FROM task_runs WHERE runtime = 'cron' AND source_id = ?`).all(
        query.jobId,
      )) as unknown as HistoryRow[];
  const statuses = query.statuses?.length ? new Set<string>(query.statuses) : undefined;
  const deliveries = query.deliveryStatuses?.length ? new Set<string>(query.deliveryStatuses) : undefined;
  const needle = query.query?.trim().toLowerCase() ?? "";
  const matched: { row: HistoryRow; entry: CronRunLogEntry }[] = [];
  for (const row of rows) {
    const entry = entryFromRow(row, storeKey);
    if (!entry) continue;
    if (statuses && (!entry.status || !statuses.has(entry.status))) continue;
    if (deliveries && !deliveries.has(entry.deliveryStatus ?? "not-requested")) continue;
    if (needle && !searchText(entry, jobNames.get(entry.jobId)).includes(needle)) continue;
    matched.push({ row, entry });
  }
  const sign = query.sortDir === "asc" ? 1 : -1;
  matched.sort((a, b) =>
    sign * (a.entry.ts - b.entry.ts) || sign * (Number(a.row.created_at) - Number(b.row.created_at)) ||
    sign * a.row.task_id.localeCompare(b.row.task_id)
  );
  const limit = Math.max(1, Math.min(200, Math.floor(query.limit)));
  const offset = Math.min(matched.length, Math.max(0, Math.floor(query.offset)));
  const entries = matched.slice(offset, offset + limit).map(({ entry }) => {
    const jobName = jobNames.get(entry.jobId);
    return jobName ? { ...entry, jobName } : entry;
  });
  return { entries, total: matched.length };
}
