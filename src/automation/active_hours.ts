// `heartbeat.activeHours`: the window, in a time zone, when scheduled heartbeats may run. Outside it
// a tick is skipped (`quiet-hours`) and the next tick inside runs normally, as in the reference.
import type { ActiveHours } from "../config/heartbeat_settings.ts";

const TIME = /^(?:([01]\d|2[0-3]):([0-5]\d)|24:00)$/;

/** Minutes after midnight of `HH:MM`; `24:00` only where an end is read. */
function minutesOf(value: string | undefined, allow24: boolean): number | null {
  if (!value || !TIME.test(value)) return null;
  const [hour, minute] = value.split(":").map(Number) as [number, number];
  if (hour === 24) return allow24 ? 1440 : null;
  return hour * 60 + minute;
}

function hostZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
}

/**
 * The formatter of the window's zone: an IANA name as given; `user` (or none) the configured
 * `userTimezone`, else the host's; `local` the host's. An unknown name falls back to `user`.
 */
function formatterFor(zone: string | undefined, userTimezone: string | undefined): Intl.DateTimeFormat | null {
  const options = { hour: "2-digit", minute: "2-digit", hourCycle: "h23" } as const;
  const trimmed = zone?.trim();
  const explicit = trimmed && trimmed !== "user" && trimmed !== "local";
  const name = !trimmed || trimmed === "user"
    ? userTimezone?.trim() || hostZone()
    : trimmed === "local"
    ? hostZone()
    : trimmed;
  try {
    return new Intl.DateTimeFormat("en-US", { ...options, timeZone: name });
  } catch {
    return explicit ? formatterFor(undefined, userTimezone) : null;
  }
}

/** Whether `nowMs` lies inside the window (no window, or an unreadable one, means always). */
export function isWithinActiveHours(
  active: ActiveHours | undefined,
  nowMs: number,
  userTimezone?: string | undefined,
): boolean {
  if (!active) return true;
  const start = minutesOf(active.start, false);
  const end = minutesOf(active.end, true);
  if (start === null || end === null) return true;
  // Equal start and end is a zero-width window: never inside.
  if (start === end) return false;
  const formatter = formatterFor(active.timezone, userTimezone);
  if (!formatter) return true;
  const parts = Object.fromEntries(formatter.formatToParts(new Date(nowMs)).map((p) => [p.type, p.value]));
  const now = Number(parts.hour) * 60 + Number(parts.minute);
  if (!Number.isFinite(now)) return true;
  return end > start ? now >= start && now < end : now >= start || now < end;
}
