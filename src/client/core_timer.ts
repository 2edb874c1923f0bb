// Timers for the CLI's gateway client on Deno's own timer queue. Deno 2.9's global `setTimeout` is
// Node's (`node:timers`): its first call loads the Node compatibility layer's timers, async_hooks,
// errors and inspect modules, about 10 ms of CPU for a CLI command that sets one timer
// (docs/performance.md). `AbortSignal.timeout` runs on Deno's own timers and keeps the process alive
// the same way; its timer cannot be cleared, so a cancelled one only drops its callback, and the CLI
// exits as soon as its command ends. A connection that makes many requests (`logs --follow`) puts
// its deadlines on one {@link CoreTimers} queue instead, so its answered requests do not each leave a
// timer armed until its timeout (about 2 KB each).

import { MAX_TIMER_MS, timerSafeMs } from "../async/timer_ms.ts";

/**
 * Calls `fire` once after `ms` (a delay under 1 ms is 1 ms, as setTimeout has it); returns the
 * cancel. A delay setTimeout warns about (negative, over {@link MAX_TIMER_MS}, not a number) goes to
 * setTimeout itself, so its warning and its 1 ms stay exactly as they were.
 */
export function coreTimeout(ms: number, fire: () => void): () => void {
  if (!(ms >= 0 && ms <= MAX_TIMER_MS)) {
    const timer = setTimeout(fire, ms);
    return () => clearTimeout(timer);
  }
  let cancelled = false;
  AbortSignal.timeout(Math.max(ms, 1)).addEventListener("abort", () => {
    if (!cancelled) fire();
  }, { once: true });
  return () => {
    cancelled = true;
  };
}

/** Waits for `promise` at most `ms` (as src/async/within.ts does): its value, or undefined once the time is up. */
export function coreWithin<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  return new Promise<T | undefined>((resolve, reject) => {
    const cancel = coreTimeout(timerSafeMs(ms), () => resolve(undefined));
    promise.then((value) => {
      cancel();
      resolve(value);
    }, (error) => {
      cancel();
      reject(error);
    });
  });
}

/** One deadline on a {@link CoreTimers} queue. */
interface Deadline {
  readonly at: number;
  readonly fire: () => void;
}

/**
 * Deadlines kept on one core timer at a time (the earliest), for a connection's requests: a
 * cancelled deadline is dropped from the queue, and no new timer is armed while an earlier one is.
 * Each deadline fires once, after its delay, as {@link coreTimeout}'s would.
 */
export class CoreTimers {
  readonly #deadlines = new Set<Deadline>();
  readonly #arm: (ms: number, tick: () => void) => void;
  #armedAt = Infinity;

  /** `arm` sets one core timer (a test counts them). */
  constructor(arm: (ms: number, tick: () => void) => void = armCoreTimer) {
    this.#arm = arm;
  }

  /** Calls `fire` once after `ms` (out-of-range delays as {@link coreTimeout} has them); returns the cancel. */
  after(ms: number, fire: () => void): () => void {
    if (!(ms >= 0 && ms <= MAX_TIMER_MS)) return coreTimeout(ms, fire);
    const deadline: Deadline = { at: performance.now() + Math.max(ms, 1), fire };
    this.#deadlines.add(deadline);
    this.#armFor(deadline.at);
    return () => {
      this.#deadlines.delete(deadline);
    };
  }

  #armFor(at: number): void {
    if (at >= this.#armedAt) return;
    this.#armedAt = at;
    this.#arm(Math.max(1, Math.ceil(at - performance.now())), () => this.#tick(at));
  }

  #tick(armedAt: number): void {
    if (this.#armedAt === armedAt) this.#armedAt = Infinity;
    const now = performance.now();
    // In deadline order: a tick that runs late (a busy loop) finds several due, kept in the order they were added.
    const due = [...this.#deadlines].filter((deadline) => deadline.at <= now).sort((a, b) => a.at - b.at);
    for (const deadline of due) this.#deadlines.delete(deadline);
    let next = Infinity;
    for (const deadline of this.#deadlines) next = Math.min(next, deadline.at);
    if (next !== Infinity) this.#armFor(next);
    for (const deadline of due) deadline.fire();
  }
}

function armCoreTimer(ms: number, tick: () => void): void {
  AbortSignal.timeout(ms).addEventListener("abort", tick, { once: true });
}
