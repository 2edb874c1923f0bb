// Whether a session is stale under its reset policy, as the reference's evaluateSessionFreshness decides:
// daily by when the current session started, idle by its last interaction, the earlier expiry naming the
// reason. The daily boundary is a wall-clock hour in the gateway host's zone (as the reference's
// Date#setHours); tests name a zone to check DST edges against the recorded reference.
import type { ResolvedResetPolicy } from "./session_reset_policy.ts";

/** A session's lifecycle timestamps (ms), as its entry keeps them; absent ones fall back as the reference's do. */
export interface SessionActivity {
  /** The entry's last write; 0 marks an entry the reference treats as stale whatever the policy. */
  updatedAt: number;
  /** When the current session id began. */
  sessionStartedAt?: number | undefined;
  /** The last turn a person started (heartbeat and cron turns leave it). */
  lastInteractionAt?: number | undefined;
}

/** The decision, with the boundaries it compared against. */
export interface StaleDecision {
  stale: boolean;
  /** Which expiry passed first when stale (absent for the `updatedAt: 0` case). */
  reason?: "daily" | "idle" | undefined;
  dailyResetAt?: number | undefined;
  idleExpiresAt?: number | undefined;
}

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/** A timestamp usable for the decision: finite, not negative, not after `now`. */
function usable(value: number | undefined, now: number): number | undefined {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0 || value > now) return undefined;
  return value;
}

/**
 * The formatter that reads a zone's wall clock. Made once per boundary: each one costs tens of microseconds,
 * and a boundary reads the zone's offset up to eight times.
 */
function zoneClock(timeZone: string): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "numeric",
    day: "numeric",
    hour: "numeric",
    minute: "numeric",
    second: "numeric",
  });
}

/** The offset (ms east of UTC) the zone `clock` reads has at an instant. */
function offsetAt(instant: number, clock: Intl.DateTimeFormat): number {
  const parts = clock.formatToParts(instant);
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const wall = Date.UTC(part("year"), part("month") - 1, part("day"), part("hour"), part("minute"), part("second"));
  return wall - (instant - (((instant % 1000) + 1000) % 1000));
}

/**
 * The instant of a wall-clock time in a zone, resolved as Date#setHours resolves local times: a repeated
 * hour (autumn) is its earlier instant, an hour skipped (spring) is read with the offset before the change.
 */
function zonedInstant(wall: number, clock: Intl.DateTimeFormat): number {
  const before = offsetAt(wall - DAY_MS, clock);
  const offsets = new Set([before, offsetAt(wall, clock), offsetAt(wall + DAY_MS, clock)]);
  const valid = [...offsets].filter((offset) => offsetAt(wall - offset, clock) === offset).map((o) => wall - o);
  return valid.length > 0 ? Math.min(...valid) : wall - before;
}

/** The most recent daily boundary at or before `now`: today's `atHour:00` local, else yesterday's. */
export function dailyResetAt(now: number, atHour: number, timeZone?: string): number {
  if (timeZone === undefined) {
    const today = new Date(now).setHours(atHour, 0, 0, 0);
    return now < today ? new Date(now).setHours(atHour - 24, 0, 0, 0) : today;
  }
  const clock = zoneClock(timeZone);
  const local = new Date(now + offsetAt(now, clock));
  const wallToday = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate(), atHour);
  const today = zonedInstant(wallToday, clock);
  if (now >= today) return today;
  const y = new Date(wallToday - DAY_MS);
  return zonedInstant(Date.UTC(y.getUTCFullYear(), y.getUTCMonth(), y.getUTCDate(), atHour), clock);
}

/**
 * Whether the session is stale at `now`: daily when it started before the last boundary, idle when its last
 * interaction (else its start, else its last write) is more than `idleMinutes` ago; both set, either one,
 * the earlier expiry named (daily on a tie). `timeZone` absent: the host's, as the reference.
 */
export function isStale(
  now: number,
  activity: SessionActivity,
  policy: ResolvedResetPolicy,
  options: { timeZone?: string } = {},
): StaleDecision {
  if (activity.updatedAt === 0) return { stale: true };
  if (policy.mode === "none") return { stale: false };
  const updatedAt = usable(activity.updatedAt, now) ?? 0;
  const startedAt = usable(activity.sessionStartedAt, now) ?? updatedAt;
  const lastInteractionAt = usable(activity.lastInteractionAt, now) ?? startedAt;
  const daily = policy.mode === "daily" ? dailyResetAt(now, policy.atHour, options.timeZone) : undefined;
  const idle = policy.idleMinutes !== undefined && policy.idleMinutes > 0
    ? lastInteractionAt + policy.idleMinutes * MINUTE_MS
    : undefined;
  const staleDaily = daily !== undefined && startedAt < daily;
  const staleIdle = idle !== undefined && now > idle;
  const reason = staleDaily && staleIdle
    ? (daily! <= idle! ? "daily" : "idle")
    : staleIdle
    ? "idle"
    : staleDaily
    ? "daily"
    : undefined;
  return {
    stale: staleDaily || staleIdle,
    dailyResetAt: daily,
    idleExpiresAt: idle,
    ...(reason ? { reason } : {}),
  };
}
