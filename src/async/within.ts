import { timerSafeMs } from "./timer_ms.ts";

/**
 * Waits for `promise`, at most `ms` milliseconds: its value when it settles in time (a rejection
 * passes through), undefined once the time is up. The timer is cleared either way, so a wait that
 * ended early never holds the process open; the promise itself is left running. A wait longer than a
 * timer can hold is clamped to the longest one (an unclamped one would end at once).
 */
export async function within<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<undefined>((resolve) => timer = setTimeout(() => resolve(undefined), timerSafeMs(ms)));
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
