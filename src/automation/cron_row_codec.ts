// One cron job as a `cron_jobs` row, column for column as the reference 2026.9.6 writes it: the
// definition in `job_json` (with `"state":{}`, without `updatedAtMs`), the scheduler's bookkeeping in
// `state_json`, the inputs of next-run computation in `schedule_identity`, and a few columns copied
// out of the definition for the reference's queries.
import type { CronJob, CronJobState } from "../agent/cron_control.ts";
import { cronJobGrantRevision } from "./cron_definition_hash.ts";
import { isJsonObject } from "../log/json_object.ts";

/** The `cron_jobs` columns, as bound to a statement and as read back. */
export interface CronJobRow {
  "store_key": string;
  "job_id": string;
  "declaration_key": string | null;
  "owner_agent_id": string | null;
  name: string;
  description: string | null;
  enabled: number;
  "agent_id": string | null;
  "payload_kind": string;
  "job_json": string;
  "grant_definition_revision": string | null;
  "grant_definition_updated_at": number | null;
  "state_json": string;
  "runtime_updated_at_ms": number | null;
  "schedule_identity": string | null;
  "updated_at": number;
}

type Json = Record<string, unknown>;

function text(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
}

function finite(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

/** The order the reference's normalizer leaves a job's keys in (unknown keys keep theirs, before `state`). */
const KEY_ORDER = [
  "id",
  "declarationKey",
  "displayName",
  "owner",
  "agentId",
  "sessionKey",
  "name",
  "description",
  "enabled",
  "deleteAfterRun",
  "createdAtMs",
  "schedule",
  "pacing",
  "trigger",
  "sessionTarget",
  "wakeMode",
  "payload",
  "delivery",
  "failureAlert",
  "scheduledToolPolicy",
];

/** Explicitly cleared failure-destination fields are kept as JSON null, as the reference stores them. */
function deliveryToJson(delivery: Json): Json {
  const failure = delivery.failureDestination;
  if (!isJsonObject(failure)) return delivery;
  const fields = ["channel", "to", "accountId", "mode"].filter((field) => Object.hasOwn(failure, field));
  return {
    ...delivery,
    failureDestination: Object.fromEntries(fields.map((field) => [field, failure[field] ?? null])),
  };
}

/** The definition as stored in `job_json`: runtime fields dropped, `"state":{}` last. */
export function storedJobJson(job: CronJob): Json {
  const {
    state: _state,
    updatedAtMs: _updatedAtMs,
    runtimeAuthority: _authority,
    runtimeAuthorityRecoveryRequired: _recovery,
    configRevision: _revision,
    ...rest
  } = job as unknown as Json;
  if (isJsonObject(rest.delivery)) rest.delivery = deliveryToJson(rest.delivery);
  const ordered: Json = {};
  for (const key of KEY_ORDER) if (rest[key] !== undefined) ordered[key] = rest[key];
  for (const [key, value] of Object.entries(rest)) if (!(key in ordered) && value !== undefined) ordered[key] = value;
  ordered.state = {};
  return ordered;
}

/** `state_json`: the state, with `lastRunStatus` filled from the older `lastStatus` when only that is set. */
export function serializeCronJobState(state: CronJobState | Json): string {
  const record = state as Json;
  return JSON.stringify({
    ...record,
    ...(record.lastRunStatus === undefined && record.lastStatus !== undefined
      ? { lastRunStatus: record.lastStatus }
      : {}),
  });
}

/** The schedule part of the identity, normalized as the reference does (kind inferred when absent). */
function identitySchedule(schedule: Json): Json | undefined {
  const kind = text(schedule.kind)?.toLowerCase();
  const at = text(schedule.at);
  const expr = text(schedule.expr);
  const everyMs = finite(schedule.everyMs);
  const resolved = kind ?? (at ? "at" : everyMs !== undefined ? "every" : expr ? "cron" : undefined);
  if (resolved === "at") return at ? { kind: "at", at } : undefined;
  if (resolved === "every" && everyMs !== undefined) {
    return { kind: "every", everyMs, anchorMs: finite(schedule.anchorMs) };
  }
  if (resolved === "cron" && expr) {
    const staggerMs = finite(schedule.staggerMs);
    return { kind: "cron", expr, tz: text(schedule.tz), staggerMs: staggerMs === undefined ? undefined : staggerMs };
  }
  if (resolved === "on-exit") {
    const command = text(schedule.command);
    return command ? { kind: "on-exit", command, cwd: text(schedule.cwd) } : undefined;
  }
  if (resolved === "stream" && Array.isArray(schedule.command) && schedule.command.length > 0) {
    const mode = text(schedule.mode);
    return {
      kind: "stream",
      command: [...schedule.command],
      cwd: text(schedule.cwd),
      mode: mode === "line" || mode === "match" ? mode : undefined,
      match: typeof schedule.match === "string" ? schedule.match : undefined,
      batchMs: finite(schedule.batchMs),
      maxBatchBytes: finite(schedule.maxBatchBytes),
    };
  }
  return undefined;
}

/**
 * `schedule_identity`: what next-run computation depends on. The reference recomputes a stored
 * `nextRunAtMs` when the identity it computes differs from the stored one, so it must be the same text.
 */
export function cronScheduleIdentity(
  job: { enabled?: unknown; schedule?: unknown; pacing?: unknown; trigger?: unknown },
): string | null {
  const schedule = isJsonObject(job.schedule) ? identitySchedule(job.schedule) : undefined;
  if (!schedule) return null;
  let pacing: Json | undefined;
  if (job.pacing !== undefined && job.pacing !== null) {
    if (!isJsonObject(job.pacing)) return null;
    pacing = {};
    for (const key of ["min", "max"]) if (text(job.pacing[key])) pacing[key] = text(job.pacing[key]);
  }
  return JSON.stringify({
    version: 2,
    enabled: typeof job.enabled === "boolean" ? job.enabled : true,
    schedule,
    pacing,
    hasTrigger: job.trigger !== undefined && job.trigger !== null,
  });
}

/** The row the reference would write for `job` in store partition `storeKey`. */
export function cronJobToRow(storeKey: string, job: CronJob): CronJobRow {
  const stored = storedJobJson(job);
  const owner = isJsonObject((job as unknown as Json).owner) ? (job as unknown as Json).owner as Json : undefined;
  return {
    store_key: storeKey,
    job_id: job.id,
    declaration_key: job.declarationKey ?? null,
    owner_agent_id: text(owner?.agentId) ?? null,
    name: job.name,
    description: job.description ?? null,
    enabled: job.enabled ? 1 : 0,
    agent_id: job.agentId ?? null,
    payload_kind: String((job.payload as Json).kind),
    job_json: JSON.stringify(stored),
    grant_definition_revision: cronJobGrantRevision(stored),
    grant_definition_updated_at: job.updatedAtMs,
    state_json: serializeCronJobState(job.state ?? {}),
    runtime_updated_at_ms: job.updatedAtMs,
    schedule_identity: cronScheduleIdentity(job),
    updated_at: job.updatedAtMs,
  };
}

function parseObject(raw: unknown): Json | undefined {
  if (typeof raw !== "string") return undefined;
  try {
    const parsed: unknown = JSON.parse(raw);
    return isJsonObject(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

function sqlNumber(value: unknown): number | undefined {
  return typeof value === "bigint" ? Number(value) : finite(value);
}

/** Restores JSON-null failure-destination fields as absent ones. */
function deliveryFromJson(delivery: Json): Json | undefined {
  const mode = delivery.mode ?? "announce";
  if (mode !== "none" && mode !== "announce" && mode !== "webhook") return undefined;
  const withMode = { ...delivery, mode };
  const failure = delivery.failureDestination;
  if (!isJsonObject(failure)) return withMode;
  const kept = Object.entries(failure).filter(([, value]) => value !== null);
  return { ...withMode, failureDestination: Object.fromEntries(kept) };
}

/**
 * The job a row holds; undefined for a row whose JSON does not parse or lacks what every job has
 * (the reference quarantines those; they stay in the table untouched).
 */
export function cronJobFromRow(row: Record<string, unknown>): CronJob | undefined {
  const json = parseObject(row.job_json);
  const state = parseObject(row.state_json);
  if (!json || !state) return undefined;
  const schedule = json.schedule;
  const payload = json.payload;
  if (!isJsonObject(schedule) || !isJsonObject(payload) || typeof payload.kind !== "string") return undefined;
  if (typeof json.name !== "string" || typeof json.sessionTarget !== "string") return undefined;
  const { notify: _notify, state: _state, ...config } = json;
  if (isJsonObject(config.delivery)) {
    const delivery = deliveryFromJson(config.delivery);
    if (delivery) config.delivery = delivery;
    else delete config.delivery;
  }
  const createdAtMs = finite(json.createdAtMs) ?? sqlNumber(row.updated_at) ?? 0;
  return {
    ...config,
    id: String(row.job_id),
    enabled: typeof json.enabled === "boolean" ? json.enabled : true,
    createdAtMs,
    updatedAtMs: sqlNumber(row.runtime_updated_at_ms) ?? sqlNumber(row.updated_at) ?? createdAtMs,
    state,
  } as unknown as CronJob;
}

/** Strings longer than this are taken to be a job's own (ids, messages): not worth a table lookup. */
const INTERN_MAX_LENGTH = 32;

/**
 * Replaces short string values in a parsed job (in place, keys and order untouched) by the first equal one
 * seen in `table`. JSON.parse gives every job its own copy of "next-heartbeat", "isolated", a time zone
 * ...: shared, 10,000 loaded jobs hold one each (the caller drops the table after the load).
 */
export function internJobStrings<T>(value: T, table: Map<string, string>, depth = 0): T {
  if (depth > 8 || typeof value !== "object" || value === null) return value;
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    const field = record[key];
    if (typeof field === "string") {
      if (field.length > INTERN_MAX_LENGTH) continue;
      const shared = table.get(field);
      if (shared === undefined) table.set(field, field);
      else if (shared !== field) record[key] = shared;
    } else if (typeof field === "object" && field !== null) {
      internJobStrings(field, table, depth + 1);
    }
  }
  return value;
}
