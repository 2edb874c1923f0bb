// The calendar window of a usage request (`usage.cost`, `sessions.usage`), resolved as the reference
// does: explicit `startDate`/`endDate`, else `range` or `days` ending today, in the requested zone.

/** A resolved window: inclusive calendar dates and the function that puts a timestamp on a date. */
export interface UsageRange {
  startDate: string;
  endDate: string;
  /** Number of calendar days in the window. */
  days: number;
  /** The `YYYY-MM-DD` of a timestamp in the requested zone. */
  dayOf(ts: number): string;
}

/** The date params both usage methods accept. */
export interface UsageDateParams {
  startDate?: unknown;
  endDate?: unknown;
  days?: unknown;
  range?: unknown;
  mode?: unknown;
  utcOffset?: unknown;
  timeZone?: unknown;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const OFFSET = /^UTC([+-])(\d{1,2})(?::([0-5]\d))?$/;
const RANGE_DAYS: Readonly<Record<string, number>> = { "7d": 7, "30d": 30, "90d": 90, "1y": 365 };
const DAY_MS = 86_400_000;

function isCalendarDate(text: unknown): text is string {
  if (typeof text !== "string") return false;
  const match = DATE.exec(text);
  if (!match) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(text);
}

function utcDay(ts: number): string {
  return new Date(ts).toISOString().slice(0, 10);
}

/** Moves a `YYYY-MM-DD` by whole days. */
export function shiftDate(date: string, days: number): string {
  return utcDay(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS);
}

function dayCount(startDate: string, endDate: string): number {
  return Math.round((Date.parse(`${endDate}T00:00:00Z`) - Date.parse(`${startDate}T00:00:00Z`)) / DAY_MS) + 1;
}

/** How timestamps become dates: UTC, a fixed offset, or an IANA zone (the gateway's own for `gateway`). */
function dayFunction(params: UsageDateParams): ((ts: number) => string) | string {
  if (params.mode === "utc") return utcDay;
  if (params.mode === "specific" || params.mode === undefined) {
    if (typeof params.timeZone === "string") {
      try {
        const format = new Intl.DateTimeFormat("en-CA", {
          timeZone: params.timeZone,
          year: "numeric",
          month: "2-digit",
          day: "2-digit",
        });
        return (ts) => format.format(ts);
      } catch {
        return `invalid timeZone: ${params.timeZone}`;
      }
    }
    if (typeof params.utcOffset === "string") {
      const match = OFFSET.exec(params.utcOffset);
      if (!match) return `invalid utcOffset: ${params.utcOffset}`;
      const sign = match[1] === "-" ? -1 : 1;
      const offsetMs = sign * (Number(match[2]) * 60 + Number(match[3] ?? 0)) * 60_000;
      return (ts) => utcDay(ts + offsetMs);
    }
    if (params.mode === "specific") return utcDay;
  }
  const format = new Intl.DateTimeFormat("en-CA", { year: "numeric", month: "2-digit", day: "2-digit" });
  return (ts) => format.format(ts);
}

/** The window a request asks for, or the reference's error text. `earliest` bounds `range: "all"`. */
export function resolveUsageRange(
  params: UsageDateParams,
  now: number,
  earliest: number | undefined,
): UsageRange | string {
  for (const key of ["startDate", "endDate"] as const) {
    if (params[key] !== undefined && !isCalendarDate(params[key])) {
      return `invalid ${key}: expected a valid YYYY-MM-DD calendar date`;
    }
  }
  const dayOf = dayFunction(params);
  if (typeof dayOf === "string") return dayOf;
  if ((params.startDate === undefined) !== (params.endDate === undefined)) {
    return "startDate and endDate must be provided together";
  }
  if (isCalendarDate(params.startDate) && isCalendarDate(params.endDate)) {
    if (params.startDate > params.endDate) return "startDate must not be after endDate";
    return {
      startDate: params.startDate,
      endDate: params.endDate,
      days: dayCount(params.startDate, params.endDate),
      dayOf,
    };
  }
  const endDate = dayOf(now);
  let days = 30;
  if (typeof params.range === "string" && params.range in RANGE_DAYS) days = RANGE_DAYS[params.range]!;
  else if (params.range === "all") days = earliest === undefined ? 1 : Math.max(1, dayCount(dayOf(earliest), endDate));
  else if (typeof params.days === "number" && Number.isFinite(params.days)) days = Math.max(1, Math.floor(params.days));
  return { startDate: shiftDate(endDate, 1 - days), endDate, days, dayOf };
}
