// `cron.sessionRetention`: how long finished isolated automation run sessions are kept before the sweep
// prunes them, read as the reference reads it: a duration string (a bare number is hours), `false` or a
// zero duration switches pruning off, unset means 24 hours. The schema (schema_cron.ts) refuses what is
// not a duration; a value that slips past it (a config not yet revalidated) falls back to the default.
import { isJsonObject } from "../log/json_object.ts";
import { parseDurationMs } from "./duration_text.ts";
import type { RawConfig } from "./schema.ts";

/** The reference's default retention: 24 hours. */
export const DEFAULT_CRON_SESSION_RETENTION_MS = 86_400_000;

/** Milliseconds a finished run session is kept, or null when pruning is off. */
export function cronSessionRetentionMs(config: RawConfig): number | null {
  const section = isJsonObject(config.cron) ? config.cron : {};
  const raw = section.sessionRetention;
  if (raw === false) return null;
  if (typeof raw !== "string" || raw.trim() === "") return DEFAULT_CRON_SESSION_RETENTION_MS;
  const ms = parseDurationMs(raw, "h");
  if (ms === undefined) return DEFAULT_CRON_SESSION_RETENTION_MS;
  return ms <= 0 ? null : ms;
}
