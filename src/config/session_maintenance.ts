// `session.maintenance`, read as the reference reads it (its store-maintenance defaults): mode `enforce`,
// stale sessions after 30 days (a bare number is days), dashboards archived after 7 days (`false`/0: never),
// at most 5000 unarchived entries, model-run probes after one day, a 10 GiB disk budget with its high
// water at 80%. A value that does not parse falls back to the default, as there.
import { isJsonObject } from "../log/json_object.ts";
import { parseDurationMs } from "./duration_text.ts";
import type { RawConfig } from "./schema.ts";

/** The resolved maintenance settings, in the reference's key order. */
export interface SessionMaintenance {
  mode: "enforce" | "warn";
  pruneAfterMs: number;
  archiveDashboardAfterMs: number | null;
  maxEntries: number;
  modelRunPruneAfterMs: number;
  preserveRecentMs: number | null;
  resetArchiveRetentionMs: number | null;
  maxDiskBytes: number | null;
  highWaterBytes: number | null;
}

const DAY_MS = 86_400_000;
const DEFAULT_MAX_DISK_BYTES = 10 * 1024 ** 3;
const BYTE_UNITS: Record<string, number> = {
  b: 1,
  k: 1024,
  kb: 1024,
  m: 1024 ** 2,
  mb: 1024 ** 2,
  g: 1024 ** 3,
  gb: 1024 ** 3,
  t: 1024 ** 4,
  tb: 1024 ** 4,
};

function text(raw: unknown): string | undefined {
  if (typeof raw === "number" && Number.isFinite(raw)) return String(raw);
  return typeof raw === "string" && raw.trim() !== "" ? raw.trim() : undefined;
}

/** Bytes of `512kb`, `10mb`, `1gb`, `500` (binary units), or undefined when it is not a size. */
export function parseByteSize(raw: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)([a-z]+)?$/.exec(raw.trim().toLowerCase());
  const unit = BYTE_UNITS[match?.[2] ?? "b"];
  if (!match || unit === undefined) return undefined;
  const bytes = Math.round(Number(match[1]) * unit);
  return Number.isSafeInteger(bytes) ? bytes : undefined;
}

function days(raw: unknown, fallback: number): number {
  const value = text(raw);
  return value === undefined ? fallback : parseDurationMs(value, "d") ?? fallback;
}

function dashboardAfter(raw: unknown): number | null {
  if (raw === false || raw === 0) return null;
  const value = text(raw);
  if (value === undefined) return 7 * DAY_MS;
  const ms = parseDurationMs(value, "d");
  if (ms === undefined) return 7 * DAY_MS;
  return ms > 0 ? ms : null;
}

function optionalDays(raw: unknown): number | null {
  if (raw === false || raw === undefined) return null;
  const value = text(raw);
  return value === undefined ? null : parseDurationMs(value, "d") ?? null;
}

function maxDisk(raw: unknown): number | null {
  if (raw === false) return null;
  const value = text(raw);
  if (value === undefined) return DEFAULT_MAX_DISK_BYTES;
  const bytes = parseByteSize(value);
  return bytes !== undefined && bytes > 0 ? bytes : null;
}

function highWater(raw: unknown, max: number | null): number | null {
  if (max === null) return null;
  const fallback = Math.max(1, Math.min(max, Math.floor(max * 0.8)));
  const value = text(raw);
  const bytes = value === undefined ? undefined : parseByteSize(value);
  return bytes !== undefined && bytes > 0 ? Math.min(bytes, max) : fallback;
}

/** The `session.maintenance` settings of `config`, defaults filled in. */
export function sessionMaintenance(config: RawConfig): SessionMaintenance {
  const session = isJsonObject(config.session) ? config.session : {};
  const m = isJsonObject(session.maintenance) ? session.maintenance : {};
  const maxDiskBytes = maxDisk(m.maxDiskBytes);
  return {
    mode: m.mode === "warn" ? "warn" : "enforce",
    pruneAfterMs: days(m.pruneAfter, 30 * DAY_MS),
    archiveDashboardAfterMs: dashboardAfter(m.archiveDashboardAfter),
    maxEntries: typeof m.maxEntries === "number" && Number.isFinite(m.maxEntries) ? m.maxEntries : 5000,
    modelRunPruneAfterMs: DAY_MS,
    preserveRecentMs: optionalDays(m.preserveRecent),
    resetArchiveRetentionMs: optionalDays(m.resetArchiveRetention),
    maxDiskBytes,
    highWaterBytes: highWater(m.highWaterBytes, maxDiskBytes),
  };
}

/** Whether `session.dmScope` is `main` (unset counts): only then does `--fix-dm-scope` retire anything. */
export function dmScopeIsMain(config: RawConfig): boolean {
  return (config.session?.dmScope ?? "main") === "main";
}
