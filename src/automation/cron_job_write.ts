// Writing one job's `cron_jobs` row inside the caller's transaction: an update keeps the row's place
// (`sort_order`) and bumps the grant generation only when the definition changed; a new job goes last.
import { isJsonObject } from "../log/json_object.ts";
import type { DatabaseSync } from "node:sqlite";
import type { CronJob } from "../agent/cron_control.ts";
import { cronJobToRow } from "./cron_row_codec.ts";

type Json = Record<string, unknown>;

/** A stored state object; `{}` for text that is not one. */
export function parseState(raw: string): Json {
  try {
    const parsed: unknown = JSON.parse(raw);
    return isJsonObject(parsed) ? parsed : {};
  } catch {
    return {};
  }
}

/**
 * The new state, keeping the stored `runningReceiptId` while the new state still says the run is
 * going (`runningAtMs`): the scheduler does not know receipt ids, the reference's recovery needs them.
 */
export function keepReceipt(storedJson: string, nextJson: string): string {
  const next = parseState(nextJson);
  const receiptId = parseState(storedJson).runningReceiptId;
  if (next.runningAtMs === undefined || receiptId === undefined || next.runningReceiptId !== undefined) return nextJson;
  return JSON.stringify({ ...next, runningReceiptId: receiptId });
}

/** Inserts or replaces a job's row (call inside a write transaction). */
export function writeCronJob(db: DatabaseSync, storeKey: string, job: CronJob): void {
  const row = cronJobToRow(storeKey, job);
  const existing = db.prepare("SELECT state_json FROM cron_jobs WHERE store_key = ? AND job_id = ?")
    .get(storeKey, job.id) as { state_json: string } | undefined;
  const values = [
    row.declaration_key,
    row.owner_agent_id,
    row.name,
    row.description,
    row.enabled,
    row.agent_id,
    row.payload_kind,
    row.job_json,
    row.grant_definition_revision,
    row.grant_definition_updated_at,
    existing ? keepReceipt(existing.state_json, row.state_json) : row.state_json,
    row.runtime_updated_at_ms,
    row.schedule_identity,
    row.updated_at,
  ];
  if (existing) {
    db.prepare(
      `UPDATE cron_jobs SET declaration_key = ?, owner_agent_id = ?, name = ?, description = ?, enabled = ?,
         agent_id = ?, payload_kind = ?, job_json = ?, grant_definition_revision = ?, grant_definition_updated_at = ?,
         state_json = ?, runtime_updated_at_ms = ?, schedule_identity = ?, updated_at = ?,
         grant_definition_generation = CASE WHEN job_json = ? THEN COALESCE(grant_definition_generation, 1)
           ELSE COALESCE(grant_definition_generation, 0) + 1 END
       WHERE store_key = ? AND job_id = ?`,
    ).run(...values, row.job_json, storeKey, job.id);
    return;
  }
  db.prepare(
    `INSERT INTO cron_jobs (declaration_key, owner_agent_id, name, description, enabled, agent_id, payload_kind,
       job_json, grant_definition_revision, grant_definition_updated_at, state_json, runtime_updated_at_ms,
       schedule_identity, updated_at, store_key, job_id, grant_definition_generation, sort_order)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1,
       (SELECT COALESCE(MAX(sort_order) + 1, 0) FROM cron_jobs WHERE store_key = ?))`,
  ).run(...values, storeKey, job.id, storeKey);
}
