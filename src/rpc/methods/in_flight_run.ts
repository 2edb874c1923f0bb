import type { InFlightRunSnapshot } from "../../agent/in_flight_run.ts";

/** The reference's cap on one `chat.history` answer's messages (6 MiB), when `maxBytes` asks for no less. */
export const CHAT_HISTORY_MAX_BYTES = 6 * 1024 * 1024;

/** The UTF-8 size of a value's JSON text, as the reference measures history answers. */
export function jsonUtf8Bytes(value: unknown): number {
  return new TextEncoder().encode(JSON.stringify(value)).length;
}

/**
 * The snapshot cut to what fits beside `messagesBytes` of messages in `maxBytes`, as the reference
 * bounds it: whole when it fits; otherwise its id with empty text (and empty `events`), then `startedAt`,
 * the newest `events` that fit, and the text added back each when it still fits (the text is never cut
 * mid-way: partial text would read as the whole answer so far; events go oldest first, as a page replays
 * the newest state of each call).
 */
export function boundInFlightRun(
  snapshot: InFlightRunSnapshot | undefined,
  budget: { messagesBytes: number; maxBytes: number },
): InFlightRunSnapshot | undefined {
  if (!snapshot) return undefined;
  const fits = (candidate: InFlightRunSnapshot) => budget.messagesBytes + jsonUtf8Bytes(candidate) <= budget.maxBytes;
  if (fits(snapshot)) return snapshot;
  let bounded: InFlightRunSnapshot = {
    runId: snapshot.runId,
    text: "",
    ...(snapshot.sessionAbortable ? { sessionAbortable: true } : {}),
    ...(snapshot.events ? { events: [] } : {}),
  };
  if (snapshot.startedAt !== undefined) {
    const candidate = { ...bounded, startedAt: snapshot.startedAt };
    if (fits(candidate)) bounded = candidate;
  }
  if (snapshot.events) bounded = withNewestEvents(bounded, snapshot.events, fits);
  if (snapshot.text) {
    const candidate = { ...bounded, text: snapshot.text };
    if (fits(candidate)) bounded = candidate;
  }
  return bounded;
}

/** `bounded` with the longest run of the newest `events` that fits (a binary search over where it starts). */
function withNewestEvents(
  bounded: InFlightRunSnapshot,
  events: NonNullable<InFlightRunSnapshot["events"]>,
  fits: (candidate: InFlightRunSnapshot) => boolean,
): InFlightRunSnapshot {
  let best = bounded;
  let low = 0;
  let high = events.length;
  // All of them first: the common case (only the text is too big) costs one measure.
  let start = 0;
  while (low < high) {
    const candidate = { ...bounded, events: events.slice(start) };
    if (fits(candidate)) {
      best = candidate;
      high = start;
    } else {
      low = start + 1;
    }
    start = Math.floor((low + high) / 2);
  }
  return best;
}
