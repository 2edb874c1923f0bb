// Timers hold a signed 32-bit delay: a larger one (or a fraction, or a negative) fires at once, so a
// long wait asked in seconds (a tool's `timeoutSeconds`, the CLI's `--timeout`) must be clamped first.

/** The longest delay setTimeout honours: 2^31−1 ms (about 24.8 days). */
export const MAX_TIMER_MS = 2_147_483_647;

/** A delay in ms that setTimeout honours: whole, at least 0, at most {@link MAX_TIMER_MS}. */
export function timerSafeMs(ms: number): number {
  if (Number.isNaN(ms) || ms <= 0) return 0;
  return Math.min(Math.floor(ms), MAX_TIMER_MS);
}

/** Seconds as a timer-safe delay in ms (a huge or infinite count waits as long as a timer can). */
export function secondsToTimerMs(seconds: number): number {
  return timerSafeMs(seconds * 1000);
}
