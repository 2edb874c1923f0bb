// The live event queue of `openclaw mcp serve`, with the reference bridge's rules: events are numbered from
// 1 as they arrive, the newest 1000 are kept, a poll reads past a cursor without consuming, and a cursor
// older than what is kept reports a gap so the client reads durable history instead.

/** An event as `events_poll`/`events_wait` return it: its cursor and type, then type-specific fields. */
export interface ChannelEvent {
  cursor: number;
  type: string;
  sessionKey?: string;
  [field: string]: unknown;
}

/** What a poll or wait asks for: events after `afterCursor`, of one session when `sessionKey` is set. */
export interface EventFilter {
  afterCursor: number;
  sessionKey?: string | undefined;
}

/** The part of history a cursor asked for that the queue no longer holds. */
export interface CursorGap {
  "requested_after_cursor": number;
  "oldest_available_cursor": number;
}

/** How many events the queue keeps, as the reference's bridge. */
export const QUEUE_LIMIT = 1000;

/** Whether `event` is one `filter` asks for. */
export function matchesFilter(event: ChannelEvent, filter: EventFilter): boolean {
  if (event.cursor <= filter.afterCursor) return false;
  if (!filter.sessionKey) return true;
  return event.sessionKey === filter.sessionKey;
}

/** The gap a cursor falls into: set when events after it (but before the oldest kept) were dropped. */
export function cursorGap(queue: readonly ChannelEvent[], afterCursor: number): CursorGap | undefined {
  const oldest = queue[0]?.cursor;
  return oldest !== undefined && afterCursor < oldest - 1
    ? { "requested_after_cursor": afterCursor, "oldest_available_cursor": oldest }
    : undefined;
}

/** A poll's answer: the events, the cursor to poll after next, and the gap when there is one. */
export function pollQueue(
  queue: readonly ChannelEvent[],
  filter: EventFilter,
  limit: number,
): { events: ChannelEvent[]; nextCursor: number; gap?: CursorGap } {
  const events = queue.filter((event) => matchesFilter(event, filter)).slice(0, limit);
  const gap = cursorGap(queue, filter.afterCursor);
  return {
    events,
    nextCursor: events.at(-1)?.cursor ?? (gap ? gap.oldest_available_cursor - 1 : filter.afterCursor),
    ...(gap ? { gap } : {}),
  };
}

/** A wait's answer: the first matching event (null on timeout, cancel or close) and the gap. */
export interface WaitOutcome {
  event: ChannelEvent | null;
  gap?: CursorGap;
}

interface Waiter {
  filter: EventFilter;
  settle(event: ChannelEvent | null): void;
}

/** The queue and the long polls waiting on it; {@link close} releases every wait. */
export class ChannelEventQueue {
  #events: ChannelEvent[] = [];
  #cursor = 0;
  #waiters = new Set<Waiter>();
  readonly #limit: number;

  constructor(limit = QUEUE_LIMIT) {
    this.#limit = limit;
  }

  /** Numbers `event` with the next cursor, keeps it (dropping the oldest past the limit) and wakes waits. */
  push(event: Omit<ChannelEvent, "cursor">): ChannelEvent {
    this.#cursor += 1;
    const queued = { cursor: this.#cursor, ...event } as ChannelEvent;
    this.#events.push(queued);
    while (this.#events.length > this.#limit) this.#events.shift();
    for (const waiter of [...this.#waiters]) {
      const matches = matchesFilter(queued, waiter.filter);
      // A wait whose cursor fell out of the queue ends too: it must see the gap.
      if (matches || cursorGap(this.#events, waiter.filter.afterCursor)) waiter.settle(matches ? queued : null);
    }
    return queued;
  }

  /** Events after the filter's cursor, at most `limit`, without consuming them. */
  poll(filter: EventFilter, limit: number): { events: ChannelEvent[]; nextCursor: number; gap?: CursorGap } {
    return pollQueue(this.#events, filter, limit);
  }

  /** The first matching event, at once when one is queued (or a gap is known), else when it arrives or `timeoutMs` passes. */
  wait(filter: EventFilter, timeoutMs: number, signal?: AbortSignal): Promise<WaitOutcome> {
    signal?.throwIfAborted();
    const existing = this.#events.find((event) => matchesFilter(event, filter));
    const gap = cursorGap(this.#events, filter.afterCursor);
    if (existing || gap) return Promise.resolve({ event: existing ?? null, ...(gap ? { gap } : {}) });
    return new Promise((resolve) => {
      let settled = false;
      const onAbort = () => waiter.settle(null);
      const waiter: Waiter = {
        filter,
        settle: (event) => {
          if (settled) return;
          settled = true;
          this.#waiters.delete(waiter);
          clearTimeout(timer);
          signal?.removeEventListener("abort", onAbort);
          const now = cursorGap(this.#events, filter.afterCursor);
          resolve({ event, ...(now ? { gap: now } : {}) });
        },
      };
      const timer = setTimeout(() => waiter.settle(null), timeoutMs);
      signal?.addEventListener("abort", onAbort, { once: true });
      this.#waiters.add(waiter);
    });
  }

  /** Ends every pending wait (with no event), so shutdown never hangs on a long poll. */
  close(): void {
    for (const waiter of [...this.#waiters]) waiter.settle(null);
  }
}
