// Timers for the CLI's gateway client on Deno's own timer queue. Deno 2.9's global `setTimeout` is
// Node's (`node:timers`): its first call loads the Node compatibility layer's timers, async_hooks,
// errors and inspect modules, about 10 ms of CPU for a CLI command that sets one timer
// (docs/performance.md). `AbortSignal.timeout` runs on Deno's own timers and keeps the process alive
// the same way; its timer cannot be cleared, so a cancelled one only drops its callback, and the CLI
// exits as soon as its command ends.

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
