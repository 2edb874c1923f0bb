// Deno 2.9's global setTimeout, setInterval and their clear functions are Node's timers, and reading any of them the
// first time loads Node's timer modules: 12–24 ms of main-thread CPU on a 2-core machine, a tenth of a gateway's start
// (docs/performance.md, session 37). AbortSignal.timeout runs on the web platform's own timer, which the runtime has
// loaded already. The timers a gateway sets before its first client is served run on it, so neither the start nor
// that client waits for Node's; the work after them loads Node's timers when it first needs one.

/** Disarms a timer of {@link webTimeout} or {@link webInterval}; calling it again does nothing. */
export type CancelTimer = () => void;

/** Node's bounds for a delay: anything below 1 ms, above 2^31 − 1 ms or not a number is 1 ms (as setTimeout does). */
function delayOf(ms: number): number {
  return ms >= 1 && ms <= 2_147_483_647 ? Math.trunc(ms) : 1;
}

/**
 * Calls `fn` once, `ms` from now. While armed it keeps the process alive, as setTimeout does; cancelling removes the
 * listener, which lets the process end, but the platform timer under it cannot be cleared and stays in the runtime's
 * timer list until its time. Fit for a gateway's own few timers, not one per request.
 */
export function webTimeout(ms: number, fn: () => void): CancelTimer {
  const signal = AbortSignal.timeout(delayOf(ms));
  // Called without the event, as a timer's callback is.
  const listener = () => fn();
  signal.addEventListener("abort", listener, { once: true });
  return () => signal.removeEventListener("abort", listener);
}

/**
 * Calls `fn` every `ms`, each time `ms` after the last call began (as setInterval does), until cancelled. One
 * platform timer is pending at a time; after a cancel it runs out without calling `fn`.
 */
export function webInterval(ms: number, fn: () => void): CancelTimer {
  let cancel: CancelTimer | undefined;
  const fire = () => {
    cancel = webTimeout(ms, fire);
    fn();
  };
  cancel = webTimeout(ms, fire);
  return () => {
    cancel?.();
    cancel = undefined;
  };
}
