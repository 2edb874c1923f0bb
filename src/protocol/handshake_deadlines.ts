import { type CancelTimer, webTimeout } from "../async/web_timer.ts";

/** A connection waiting for its `connect`, as the deadlines see it. */
export interface HandshakeWaiter {
  /** Its time to send `connect` ran out. */
  handshakeExpired(): void;
}

/**
 * The `connect` deadlines of one gateway's sockets, on a single timer armed for the earliest of them rather than a
 * timer per connection: ten thousand clients connecting set no timer each, and the first client's wait does not load
 * Node's timers (async/web_timer.ts). A waiter is expired at its own deadline, as a timer of its own would.
 */
export class HandshakeDeadlines {
  /** Each waiting connection's deadline (`performance.now()` time). */
  #due = new Map<HandshakeWaiter, number>();
  /** When the armed timer fires (the earliest deadline when it was armed); undefined when none is armed. */
  #armedAt: number | undefined;
  #cancel: CancelTimer | undefined;

  /** Starts `waiter`'s deadline, `ms` from now (a waiter added again gets the new one). */
  add(waiter: HandshakeWaiter, ms: number): void {
    const at = performance.now() + ms;
    this.#due.set(waiter, at);
    if (this.#armedAt === undefined || at < this.#armedAt) this.#arm(at);
  }

  /** Ends `waiter`'s deadline (it sent `connect`, or closed); with none left, the timer is disarmed. */
  remove(waiter: HandshakeWaiter): void {
    if (!this.#due.delete(waiter) || this.#due.size > 0) return;
    this.#cancel?.();
    this.#cancel = undefined;
    this.#armedAt = undefined;
  }

  /** Connections waiting now. */
  get size(): number {
    return this.#due.size;
  }

  /** One timer at a time, for the earliest deadline: an earlier one replaces it. */
  #arm(at: number): void {
    this.#cancel?.();
    this.#armedAt = at;
    this.#cancel = webTimeout(at - performance.now(), () => this.#fire());
  }

  #fire(): void {
    this.#armedAt = undefined;
    this.#cancel = undefined;
    const now = performance.now();
    const expired: HandshakeWaiter[] = [];
    let next: number | undefined;
    for (const [waiter, due] of this.#due) {
      if (due <= now) expired.push(waiter);
      else if (next === undefined || due < next) next = due;
    }
    for (const waiter of expired) this.#due.delete(waiter);
    if (next !== undefined) this.#arm(next);
    for (const waiter of expired) {
      try {
        waiter.handshakeExpired();
      } catch (error) {
        // As a throw from a timer of its own would be, without keeping the other waiters from theirs.
        reportError(error);
      }
    }
  }
}
