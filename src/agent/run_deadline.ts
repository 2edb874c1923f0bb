// A run's deadline, decided as the reference's resolveAgentTimeoutMs decides it: the request's own
// override (chat.send `timeoutMs`, the `agent` request's `timeout` in seconds) over the configured
// `agents.defaults.timeoutSeconds` (config/run_timeout.ts). Zero means no deadline, a negative override
// falls back to the configured one, and everything is clamped to what a timer honours.
import { secondsToTimerMs, timerSafeMs } from "../async/timer_ms.ts";
import { DEFAULT_RUN_TIMEOUT_SECONDS, integerOption } from "../config/run_timeout.ts";

/** A request's own deadline, as it came: in ms (chat.send) or in seconds (`agent`). */
export interface DeadlineOverride {
  ms?: unknown;
  seconds?: unknown;
}

/** The run's deadline in ms from acceptance, or 0 for none; `configuredSeconds` absent: the 48-hour default. */
export function runDeadlineMs(
  configuredSeconds: number | undefined = DEFAULT_RUN_TIMEOUT_SECONDS,
  override: DeadlineOverride = {},
): number {
  // At least 1 ms, as the reference clamps: a deadline under a millisecond is a deadline, not "none".
  const clamp = (ms: number) => Math.max(timerSafeMs(ms), 1);
  const configured = configuredSeconds === 0 ? 0 : clamp(secondsToTimerMs(Math.max(configuredSeconds, 1)));
  for (const [value, scale] of [[integerOption(override.ms), 1], [integerOption(override.seconds), 1000]] as const) {
    if (value === undefined) continue;
    if (value === 0) return 0;
    return value < 0 ? configured : clamp(value * scale);
  }
  return configured;
}
