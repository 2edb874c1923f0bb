// When a job runs next: `at` ISO times, `every` intervals from an anchor, cron expressions in a
// time zone (croner, the reference's own library), with the reference's deterministic stagger of
// recurring top-of-hour expressions and its error backoff. Pure functions over a job and a time;
// the only state is a small bounded cache of parsed expressions, owned by whoever builds it.
import { createHash } from "node:crypto";
import { Cron } from "croner";
import type { CronJob, CronSchedule } from "../agent/cron_control.ts";
import {
  DEFAULT_TOP_OF_HOUR_STAGGER_MS,
  defaultStaggerMs,
  parseAbsoluteTimeMs as parseInputTimeMs,
} from "../agent/cron_times.ts";

/** Delays after 1, 2, 3, 4, 5+ consecutive errors (30 s, 1 min, 5 min, 15 min, 60 min), as in the reference. */
export const ERROR_BACKOFF_SCHEDULE_MS: readonly number[] = [30_000, 60_000, 300_000, 900_000, 3_600_000];
/** The largest timestamp a Date holds. */
const MAX_DATE_MS = 8_640_000_000_000_000;
/** Parsed expressions kept at most; keyed by expression and zone, never by job. */
const CACHE_LIMIT = 256;

function finiteTimestamp(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value) && value >= 0 && value <= MAX_DATE_MS;
}

/**
 * An `at` value as epoch milliseconds, read as the job input is (agent/cron_times.ts: digits are
 * milliseconds, an ISO time without an offset is UTC), within the range a Date can hold; null otherwise.
 */
export function parseAbsoluteTimeMs(input: string): number | null {
  const parsed = parseInputTimeMs(input);
  return parsed !== null && finiteTimestamp(parsed) ? parsed : null;
}

/** Whether an expression fires at minute 0 of a wildcard hour (`0 * * * *`, `0 *\/2 * * *`, 6-field `0 0 * ...`). */
export function isRecurringTopOfHour(expr: string): boolean {
  return defaultStaggerMs(expr) !== undefined;
}

/** A cron schedule's stagger window: its explicit `staggerMs` (0 = exact), else 5 minutes for top-of-hour expressions. */
export function resolveStaggerMs(schedule: { expr: string; staggerMs?: number | undefined }): number {
  if (typeof schedule.staggerMs === "number" && Number.isFinite(schedule.staggerMs)) {
    return Math.max(0, Math.floor(schedule.staggerMs));
  }
  return isRecurringTopOfHour(schedule.expr) ? DEFAULT_TOP_OF_HOUR_STAGGER_MS : 0;
}

/** A job's fixed offset inside its stagger window: the first 4 bytes of sha256(id), modulo the window. */
export function stableOffsetMs(jobId: string, staggerMs: number): number {
  if (staggerMs <= 1) return 0;
  return createHash("sha256").update(jobId).digest().readUInt32BE(0) % staggerMs;
}

/** The error backoff after `consecutiveErrors` (1-based) failures; the last step repeats. */
export function errorBackoffMs(
  consecutiveErrors: number,
  schedule: readonly number[] = ERROR_BACKOFF_SCHEDULE_MS,
): number {
  const index = Math.max(0, Math.min(consecutiveErrors - 1, schedule.length - 1));
  return schedule[index] ?? ERROR_BACKOFF_SCHEDULE_MS[0]!;
}

/**
 * Cron-expression math with a bounded cache of parsed expressions (keyed by expression, so 10,000
 * jobs sharing a few expressions hold a few parsers, and none holds a timer). Expressions are
 * evaluated on the zone's wall clock: croner runs in UTC over "wall time as if it were UTC", and the
 * zone's offset (one cached Intl formatter per zone) maps wall times to instants, as the reference
 * resolves them: a wall time that does not exist (the spring-forward gap) is skipped, and one that
 * happens twice (the fall-back hour) runs at its first occurrence only.
 */
export class CronExpressions {
  #cache = new Map<string, Cron>();
  #zones = new Map<string, Intl.DateTimeFormat>();
  #hostZone: string;

  constructor(hostZone: string = Intl.DateTimeFormat().resolvedOptions().timeZone) {
    this.#hostZone = hostZone;
  }

  #parse(expr: string): Cron | undefined {
    const trimmed = expr.trim();
    if (!trimmed) return undefined;
    const cached = this.#cache.get(trimmed);
    if (cached) {
      // Least recently used goes first when the cache is full.
      this.#cache.delete(trimmed);
      this.#cache.set(trimmed, cached);
      return cached;
    }
    const parsed = new Cron(trimmed, { utcOffset: 0, paused: true });
    if (this.#cache.size >= CACHE_LIMIT) this.#cache.delete(this.#cache.keys().next().value!);
    this.#cache.set(trimmed, parsed);
    return parsed;
  }

  #zone(tz: string | undefined): Intl.DateTimeFormat {
    const name = tz?.trim() || this.#hostZone;
    let format = this.#zones.get(name);
    if (!format) {
      // Throws RangeError for an unknown zone, as croner would.
      format = new Intl.DateTimeFormat("en-US", {
        timeZone: name,
        hourCycle: "h23",
        year: "numeric",
        month: "numeric",
        day: "numeric",
        hour: "numeric",
        minute: "numeric",
        second: "numeric",
      });
      if (this.#zones.size >= CACHE_LIMIT) this.#zones.delete(this.#zones.keys().next().value!);
      this.#zones.set(name, format);
    }
    return format;
  }

  /** The zone's offset from UTC at `instantMs` (wall clock minus instant, whole seconds). */
  #offset(format: Intl.DateTimeFormat, instantMs: number): number {
    const parts: Record<string, number> = {};
    for (const part of format.formatToParts(new Date(instantMs))) {
      if (part.type !== "literal") parts[part.type] = Number(part.value);
    }
    const wall = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
    return wall - Math.floor(instantMs / 1000) * 1000;
  }

  /** The first instant showing wall time `wallMs`; undefined when the zone skips it. */
  #firstInstant(format: Intl.DateTimeFormat, wallMs: number): number | undefined {
    const before = this.#offset(format, wallMs - 86_400_000);
    const after = this.#offset(format, wallMs + 86_400_000);
    const candidates = [wallMs - Math.max(before, after), wallMs - Math.min(before, after)];
    return candidates.find((instant) => instant + this.#offset(format, instant) === wallMs);
  }

  /** Throws croner's error for an expression it cannot parse, or Intl's for an unknown zone. */
  validate(expr: string, tz?: string): void {
    if (!this.#parse(expr)) throw new Error("invalid cron schedule: expr is required");
    this.#zone(tz);
  }

  /** The first occurrence strictly after `nowMs`. */
  next(expr: string, tz: string | undefined, nowMs: number): number | undefined {
    const cron = this.#parse(expr);
    if (!cron) return undefined;
    const format = this.#zone(tz);
    let wall = nowMs + this.#offset(format, nowMs);
    // A few steps cover skipped and repeated wall times around a daylight-saving change.
    for (let step = 0; step < 8; step += 1) {
      const candidate = safely(() => cron.nextRun(new Date(wall))?.getTime());
      if (candidate === undefined) return undefined;
      const instant = this.#firstInstant(format, candidate);
      if (instant !== undefined && instant > nowMs) return instant;
      wall = candidate;
    }
    return undefined;
  }

  /** The latest occurrence before the second `nowMs` falls in. */
  previous(expr: string, tz: string | undefined, nowMs: number): number | undefined {
    const cron = this.#parse(expr);
    if (!cron) return undefined;
    const format = this.#zone(tz);
    const wallNow = nowMs + this.#offset(format, nowMs);
    // croner excludes the second it starts from: start a second past the wall time now shows. Inside
    // a repeated (fall-back) hour, the first pass showed later wall times than now does: start past them.
    const firstShown = this.#firstInstant(format, Math.floor(wallNow / 1000) * 1000);
    const repeatedBy = firstShown !== undefined && firstShown < Math.floor(nowMs / 1000) * 1000
      ? this.#offset(format, firstShown) - this.#offset(format, nowMs)
      : 0;
    let wall = Math.floor(wallNow / 1000) * 1000 + 1000 + repeatedBy;
    const steps = 16 + (repeatedBy > 0 ? 3_600 : 0);
    for (let step = 0; step < steps; step += 1) {
      const candidate = safely(() => cron.previousRuns(1, new Date(wall))[0]?.getTime());
      if (candidate === undefined) return undefined;
      const instant = this.#firstInstant(format, candidate);
      // Like croner (and so the reference), an occurrence in the current second is not yet "previous".
      if (instant !== undefined && instant < Math.floor(nowMs / 1000) * 1000) return instant;
      wall = candidate;
    }
    return undefined;
  }
}

/** croner's answer, or undefined where croner itself fails (its backward search throws on some day-of-week/day-of-month mixes). */
function safely(search: () => number | undefined): number | undefined {
  try {
    return search();
  } catch {
    return undefined;
  }
}

/** The next run of a bare schedule after `nowMs` (no job state, no stagger). */
export function computeNextRunAtMs(
  schedule: CronSchedule,
  nowMs: number,
  expressions: CronExpressions,
): number | undefined {
  if (schedule.kind === "at") {
    const atMs = parseAbsoluteTimeMs(schedule.at);
    return atMs !== null && atMs > nowMs ? atMs : undefined;
  }
  if (schedule.kind === "every") {
    const everyMs = Math.floor(schedule.everyMs);
    if (!Number.isFinite(everyMs) || everyMs < 1) return undefined;
    if (schedule.anchorMs !== undefined && !(schedule.anchorMs >= 0)) return undefined;
    const anchor = Math.max(0, Math.floor(schedule.anchorMs ?? nowMs));
    if (nowMs < anchor) return anchor;
    const steps = Math.floor((nowMs - anchor) / everyMs) + 1;
    const next = anchor + steps * everyMs;
    return finiteTimestamp(next) ? next : undefined;
  }
  if (schedule.kind === "cron") return expressions.next(schedule.expr, schedule.tz, nowMs);
  // Event schedules (`on-exit`, `stream`) are never time-due.
  return undefined;
}

/** The next staggered occurrence of a cron job after `nowMs`: the natural slot plus the job's offset. */
export function nextStaggeredCronRun(job: CronJob, nowMs: number, expressions: CronExpressions): number | undefined {
  if (job.schedule.kind !== "cron") return computeNextRunAtMs(job.schedule, nowMs, expressions);
  const { expr, tz } = job.schedule;
  const offset = stableOffsetMs(job.id, resolveStaggerMs(job.schedule));
  if (offset <= 0) return expressions.next(expr, tz, nowMs);
  let cursor = Math.max(0, nowMs - offset);
  for (let attempt = 0; attempt < 4; attempt += 1) {
    const base = expressions.next(expr, tz, cursor);
    if (base === undefined) return undefined;
    const shifted = base + offset;
    if (shifted > nowMs) return shifted;
    cursor = Math.max(cursor + 1, base + 1000);
  }
  return undefined;
}

function previousStaggered(
  expr: string,
  tz: string | undefined,
  offset: number,
  nowMs: number,
  expressions: CronExpressions,
) {
  let cursor = Math.max(0, nowMs - offset);
  for (let attempt = 0; attempt < 4; attempt += 1) {
    const base = expressions.previous(expr, tz, cursor);
    if (base === undefined) return undefined;
    const shifted = base + offset;
    if (shifted <= nowMs) return shifted;
    cursor = Math.max(0, base - 1000);
  }
  return undefined;
}

/** The latest staggered occurrence of a cron job at or before `nowMs` (restart catch-up looks for it). */
export function previousStaggeredCronRun(
  job: CronJob,
  nowMs: number,
  expressions: CronExpressions,
): number | undefined {
  if (job.schedule.kind !== "cron") return undefined;
  const { expr, tz } = job.schedule;
  const offset = stableOffsetMs(job.id, resolveStaggerMs(job.schedule));
  const previous = previousStaggered(expr, tz, offset, nowMs, expressions);
  // An occurrence within the current second counts too ("at or before"): look from the next second.
  const boundary = previousStaggered(expr, tz, offset, nowMs + 1000, expressions);
  return boundary !== undefined && boundary <= nowMs && (previous === undefined || boundary > previous)
    ? boundary
    : previous;
}

/**
 * A job's next run as the reference computes it: none when disabled; `every` continues from the
 * last run (else from its anchor, the creation time by default); `at` is its time until it ran
 * successfully; `cron` is the next staggered occurrence.
 */
export function computeJobNextRunAtMs(job: CronJob, nowMs: number, expressions: CronExpressions): number | undefined {
  if (job.enabled === false) return undefined;
  const schedule = job.schedule;
  if (schedule.kind === "every") {
    const everyMs = Math.floor(schedule.everyMs);
    if (!Number.isFinite(everyMs) || everyMs < 1) return undefined;
    if (schedule.anchorMs !== undefined && !(schedule.anchorMs >= 0)) return undefined;
    const anchorMs = Math.max(
      0,
      Math.floor(schedule.anchorMs ?? (finiteTimestamp(job.createdAtMs) ? job.createdAtMs : nowMs)),
    );
    const lastRunAtMs = job.state.lastRunAtMs;
    if (finiteTimestamp(lastRunAtMs) && lastRunAtMs >= anchorMs) {
      const fromLast = Math.floor(lastRunAtMs) + everyMs;
      if (fromLast > nowMs) return fromLast;
    }
    return computeNextRunAtMs({ ...schedule, everyMs, anchorMs }, nowMs, expressions);
  }
  if (schedule.kind === "at") {
    const atMs = parseAbsoluteTimeMs(schedule.at);
    const lastStatus = job.state.lastRunStatus ?? job.state.lastStatus;
    if (lastStatus === "ok" && job.state.lastRunAtMs) {
      return atMs !== null && atMs > job.state.lastRunAtMs ? atMs : undefined;
    }
    return atMs ?? undefined;
  }
  if (schedule.kind === "cron") {
    return nextStaggeredCronRun(job, nowMs, expressions) ??
      nextStaggeredCronRun(job, Math.floor(nowMs / 1000) * 1000 + 1000, expressions);
  }
  return undefined;
}

/** Until when a failed recurring job waits: its last end plus the backoff for its error streak. */
export function errorBackoffUntilMs(job: CronJob): number | undefined {
  const status = job.state.lastRunStatus ?? job.state.lastStatus;
  if (status !== "error" || !finiteTimestamp(job.state.lastRunAtMs)) return undefined;
  const errors = Math.max(1, Math.floor(job.state.consecutiveErrors ?? 1));
  const duration = Math.max(0, Math.floor(job.state.lastDurationMs ?? 0));
  return job.state.lastRunAtMs + duration + errorBackoffMs(errors);
}
