// System events waiting for a session's next heartbeat turn (a `wake` text, a cron job's
// `systemEvent` payload, a hook's wake). In memory per session, as in the reference: at most 20 per
// session, the oldest dropped first; the same text as the last queued one coalesces.

/** One queued event. */
export interface SystemEvent {
  text: string;
  ts: number;
}

/** The reference keeps this many events per session. */
const MAX_EVENTS = 20;

/** Per-session queues of system events. */
export class SystemEventQueue {
  #queues = new Map<string, SystemEvent[]>();

  /** Queues `text` for `sessionKey`; the same text as the last queued one coalesces. */
  enqueue(sessionKey: string, text: string, ts: number): "queued" | "coalesced" {
    const cleaned = text.trim();
    const queue = this.#queues.get(sessionKey) ?? [];
    if (queue.at(-1)?.text === cleaned) return "coalesced";
    queue.push({ text: cleaned, ts });
    if (queue.length > MAX_EVENTS) queue.shift();
    this.#queues.set(sessionKey, queue);
    return "queued";
  }

  /** The events waiting for `sessionKey`, oldest first (left queued). */
  peek(sessionKey: string): SystemEvent[] {
    return [...(this.#queues.get(sessionKey) ?? [])];
  }

  /** Removes `taken` (what a turn consumed) from `sessionKey`'s queue; events queued since stay. */
  consume(sessionKey: string, taken: readonly SystemEvent[]): void {
    const queue = this.#queues.get(sessionKey);
    if (!queue) return;
    const rest = queue.filter((event) => !taken.includes(event));
    if (rest.length === 0) this.#queues.delete(sessionKey);
    else this.#queues.set(sessionKey, rest);
  }
}

function zonedParts(ts: number, timeZone: string | undefined): Record<string, string> {
  const formatter = new Intl.DateTimeFormat("en-US", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    hourCycle: "h23",
    timeZoneName: "short",
  });
  return Object.fromEntries(formatter.formatToParts(new Date(ts)).map((part) => [part.type, part.value]));
}

/** A safe zone name: the configured one when Intl knows it, else the host's. */
function knownZone(timeZone: string | undefined): string | undefined {
  if (!timeZone) return undefined;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone });
    return timeZone;
  } catch {
    return undefined;
  }
}

/** `YYYY-MM-DD HH:MM:SS <zone>` in `timeZone` (the host's when absent). */
export function zonedTimestamp(ts: number, timeZone: string | undefined): string {
  const p = zonedParts(ts, knownZone(timeZone));
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second} ${p.timeZoneName}`;
}

/** The events as the reference shows them to the model: `System: [time] text`, one line per line of text. */
export function formatSystemEvents(events: readonly SystemEvent[], timeZone: string | undefined): string {
  const lines: string[] = [];
  for (const event of events) {
    event.text.split("\n").forEach((line, index) => {
      lines.push(`System: ${index === 0 ? `[${zonedTimestamp(event.ts, timeZone)}] ` : ""}${line}`);
    });
  }
  return lines.join("\n");
}

function ordinal(day: number): string {
  const tens = day % 100;
  const suffix = tens >= 11 && tens <= 13 ? "th" : ["th", "st", "nd", "rd"][day % 10] ?? "th";
  return `${day}${suffix}`;
}

/**
 * The current-time block the reference appends to heartbeat and cron prompts:
 * `Current time: Monday, November 30th, 2026 - 12:05 PM (UTC)` and the UTC minute.
 */
export function currentTimeLines(nowMs: number, timeZone: string | undefined): string {
  const zone = knownZone(timeZone) ?? (Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC");
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      weekday: "long",
      year: "numeric",
      month: "long",
      day: "numeric",
      hour: "numeric",
      minute: "2-digit",
      hour12: true,
    }).formatToParts(new Date(nowMs)).map((part) => [part.type, part.value]),
  );
  const local = `${parts.weekday}, ${parts.month} ${ordinal(Number(parts.day))}, ${parts.year} - ` +
    `${parts.hour}:${parts.minute} ${parts.dayPeriod}`;
  const utc = new Date(nowMs).toISOString().replace("T", " ").slice(0, 16);
  return `Current time: ${local} (${zone})\nReference UTC: ${utc} UTC`;
}
