// The times in cron job input, as the reference reads them: absolute `at` times (epoch ms or ISO,
// offset-less meaning UTC), the one-shot window it accepts, and the default stagger it gives
// top-of-hour expressions. Pure; used by the normalizer, the methods and the tool.
import { isJsonObject } from "../log/json_object.ts";

/** The reference's anti-thundering-herd window for recurring top-of-hour expressions. */
export const DEFAULT_TOP_OF_HOUR_STAGGER_MS = 300_000;

function trimmed(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  const text = value.trim();
  return text ? text : undefined;
}

const ISO_ABSOLUTE =
  /^(?!-000000)([+-]\d{6}|\d{4})-(\d{2})-(\d{2})(?:[Tt](?<hour>\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(?<offset>[Zz]|[+-]\d{2}:?\d{2})?)?$/;

/** Epoch milliseconds or an ISO date/time (offset-less means UTC), as the reference parses `at`. */
export function parseAbsoluteTimeMs(input: string): number | null {
  const raw = input.trim();
  if (!raw) return null;
  if (/^\d+$/.test(raw)) {
    const n = Number(raw);
    return n > 0 && Number.isSafeInteger(n) && Number.isFinite(new Date(n).getTime()) ? n : null;
  }
  const match = ISO_ABSOLUTE.exec(raw);
  if (!match) return null;
  const [, year, month, day, hour = "0", minute = "0", second = "0"] = match;
  const probe = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day), Number(hour) % 24, Number(minute)));
  if (probe.getUTCMonth() !== Number(month) - 1 || probe.getUTCDate() !== Number(day)) return null;
  if (Number(hour) > 24 || Number(minute) > 59 || Number(second) > 59) return null;
  const iso = match.groups?.offset === undefined
    ? `${raw}${match.groups?.hour === undefined ? "T00:00:00" : ""}Z`
    : raw;
  const parsed = Date.parse(iso);
  return Number.isFinite(parsed) ? parsed : null;
}

const HOUR_LIST_PART = /^(?:\d+|\d+-\d+)(?:\/\d+)?$|^[*?](?:\/\d+)?$/;

function recurringWildcardHour(field: string): boolean {
  const parts = field.split(",");
  return parts.every((part) => HOUR_LIST_PART.test(part)) && parts.some((p) => p.startsWith("*") || p.startsWith("?"));
}

/** The default stagger of a cron expression: 5 minutes when it fires at the top of every matching hour. */
export function defaultStaggerMs(expr: string): number | undefined {
  const fields = expr.trim().split(/\s+/).filter(Boolean);
  const topOfHour = fields.length === 5
    ? fields[0] === "0" && recurringWildcardHour(fields[1]!)
    : fields.length === 6 && fields[0] === "0" && fields[1] === "0" && recurringWildcardHour(fields[2]!);
  return topOfHour ? DEFAULT_TOP_OF_HOUR_STAGGER_MS : undefined;
}

/** Whether a one-shot time is acceptable: not over a minute past, not over ten years ahead (the reference's words). */
export function validateScheduleTimestamp(
  schedule: unknown,
  nowMs: number,
): { ok: true } | { ok: false; message: string } {
  if (!isJsonObject(schedule) || schedule.kind !== "at") return { ok: true };
  const at = schedule.at;
  const raw = trimmed(at) ?? "";
  const atMs = raw ? parseAbsoluteTimeMs(raw) : null;
  if (atMs === null) {
    return { ok: false, message: `Invalid schedule.at: expected ISO-8601 timestamp (got ${at})` };
  }
  const diffMs = atMs - nowMs;
  const iso = (ms: number) => new Date(ms).toISOString();
  if (diffMs < -60_000) {
    return {
      ok: false,
      message: `schedule.at is in the past: ${iso(atMs)} (${Math.floor(-diffMs / 60_000)} minutes ago). Current time: ${
        iso(nowMs)
      }`,
    };
  }
  if (diffMs > 315_576_000_000) {
    return {
      ok: false,
      message: `schedule.at is too far in the future: ${iso(atMs)} (${
        Math.floor(diffMs / 31_557_600_000)
      } years ahead). Maximum allowed: 10 years`,
    };
  }
  return { ok: true };
}
