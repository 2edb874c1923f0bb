// `openclaw cron add|edit --at <offset-less time> --tz <zone>`: the wall time read in that zone,
// as the reference CLI reads it (the earliest instant showing that wall time; none in a DST gap).
// Pure.

const OFFSETLESS_ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?)?$/;
const DAY_MS = 86_400_000;

/** The wall-clock time `utcMs` shows in the formatter's zone, as if it were UTC. */
function wallTimeMs(utcMs: number, format: Intl.DateTimeFormat): number {
  const parts = format.formatToParts(new Date(utcMs));
  const part = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value ?? "0");
  const date = Date.UTC(part("year"), part("month") - 1, part("day"), part("hour"), part("minute"), part("second"));
  return date + new Date(utcMs).getUTCMilliseconds();
}

/** The naive (as-if-UTC) time of an offset-less ISO date or date-time; undefined when it is not one or not a real date. */
function naiveMs(raw: string): number | undefined {
  const match = OFFSETLESS_ISO.exec(raw);
  if (!match) return undefined;
  const [, year, month, day, hour = "0", minute = "0", second = "0", fraction] = match;
  const ms = fraction ? Number(fraction.slice(1, 4).padEnd(3, "0")) : 0;
  const date = new Date(
    Date.UTC(Number(year), Number(month) - 1, Number(day), Number(hour), Number(minute), Number(second), ms),
  );
  const exact = date.getUTCFullYear() === Number(year) && date.getUTCMonth() === Number(month) - 1 &&
    date.getUTCDate() === Number(day) && date.getUTCHours() === Number(hour) && date.getUTCMinutes() === Number(minute);
  return exact ? date.getTime() : undefined;
}

const ISO_WITH_OFFSET = /^(\d{4}-\d{2}-\d{2}(?:[Tt]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?)(?:[Zz]|[+-]\d{2}:?\d{2})?$/;

/**
 * Whether an ISO date or date-time names a real calendar time (`2026-02-31` does not; `24:00` ends a
 * day), as the reference checks before parsing: `Date.parse` would roll it over to another day.
 */
export function isCalendarIso(raw: string): boolean {
  const fields = ISO_WITH_OFFSET.exec(raw.trim())?.[1];
  if (!fields) return false;
  const endOfDay = /[Tt]24:00(?::00(?:\.0+)?)?$/.test(fields);
  return naiveMs(endOfDay ? fields.replace(/[Tt]24:.*$/, "T00:00") : fields) !== undefined;
}

/** Whether `raw` is an offset-less ISO date or date-time (what `--tz` applies to). */
export function isOffsetlessIso(raw: string): boolean {
  return OFFSETLESS_ISO.test(raw.trim());
}

/** The ISO instant at which `raw` (offset-less) is the wall time in `timeZone`; null for a bad zone or a skipped time. */
export function zonedAtIso(raw: string, timeZone: string): string | null {
  const naive = naiveMs(raw.trim());
  if (naive === undefined) return null;
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
      hourCycle: "h23",
    });
  } catch {
    return null;
  }
  // The zone's offset a day either side covers a DST change; keep the candidates that show the wall time.
  const matching = [-DAY_MS, 0, DAY_MS]
    .map((shift) => naive - (wallTimeMs(naive + shift, format) - (naive + shift)))
    .filter((candidate) => wallTimeMs(candidate, format) === naive);
  return matching.length > 0 ? new Date(Math.min(...matching)).toISOString() : null;
}
