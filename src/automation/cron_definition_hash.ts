// The reference's revision hashes of a cron job definition: `configRevision` (what `cron.add`/`cron.get`
// report and every run receipt records) and the grant revision kept in `cron_jobs`. Both are
// `sha256:` + base64url of a key-sorted serialization, so the two gateways compute the same token for
// the same job and neither sees the other's rows as changed.
import { createHash } from "node:crypto";
import type { CronJob } from "../agent/cron_control.ts";

/** Serializes with object keys sorted at every level; `undefined` is written as the reference does. */
export function stableStringify(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value === "number" && !Number.isFinite(value)) return JSON.stringify(String(value));
  if (typeof value === "bigint") return JSON.stringify(value.toString());
  if (typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(",")}]`;
  const record = value as Record<string, unknown>;
  const fields = Object.keys(record).sort().map((key) => `${JSON.stringify(key)}:${stableStringify(record[key])}`);
  return `{${fields.join(",")}}`;
}

/** `sha256:<base64url>` of a definition's stable serialization. */
export function hashCronDefinition(definition: unknown): string {
  return `sha256:${createHash("sha256").update(stableStringify(definition)).digest("base64url")}`;
}

/** A JSON round trip: what a stored definition looks like once read back (no undefined members). */
function asStored(value: unknown): Record<string, unknown> {
  return JSON.parse(JSON.stringify(value)) as Record<string, unknown>;
}

/**
 * The job's `configRevision`: its definition without the scheduler's bookkeeping (`state`,
 * `updatedAtMs`). Changes when anything a run depends on changes, `enabled` included.
 */
export function cronJobConfigRevision(job: CronJob): string {
  const { state: _state, updatedAtMs: _updatedAtMs, ...definition } = asStored(job);
  return hashCronDefinition(definition);
}

/** The grant revision stored in `cron_jobs.grant_definition_revision`: the stored definition less `enabled`. */
export function cronJobGrantRevision(storedJobJson: Record<string, unknown>): string {
  const { enabled: _enabled, state: _state, ...definition } = asStored(storedJobJson);
  return hashCronDefinition(definition);
}
