// The reference's flood guard for heartbeat turns: once five turns of one agent started within a
// minute (a wake loop from a hook or a script), further ones wait until the oldest of them leaves
// the window, so a stream of wakes cannot turn into a stream of model calls. And the timers of
// wakes deferred by it (or by a busy session) until they may run.
import { timerSafeMs } from "../async/timer_ms.ts";

/** Turns of one agent within the window that defer the next one. */
export const FLOOD_THRESHOLD = 5;
/** The window the guard counts turn starts in. */
export const FLOOD_WINDOW_MS = 60_000;

/**
 * Whether a turn may start at `now`, given the agent's recent starts: `run` with the starts to keep
 * (this one recorded, at most FLOOD_THRESHOLD + 1), or `defer` until `retryAt`.
 */
export function floodDecision(
  starts: readonly number[],
  now: number,
): { kind: "run"; starts: number[] } | { kind: "defer"; retryAt: number } {
  const recent = starts.filter((at) => at > now - FLOOD_WINDOW_MS);
  if (recent.length >= FLOOD_THRESHOLD) {
    return { kind: "defer", retryAt: recent[recent.length - FLOOD_THRESHOLD]! + FLOOD_WINDOW_MS + 1 };
  }
  return { kind: "run", starts: [...recent, now].slice(-(FLOOD_THRESHOLD + 1)) };
}

/** Deferred wakes (flooded, or the session was busy): one timer per key, all cleared on stop. */
export class WakeRetries {
  #timers = new Map<string, ReturnType<typeof setTimeout>>();
  #stopped = false;

  /** Runs `retry` after `delayMs` unless one is already waiting under `key`; whether this armed one. */
  schedule(key: string, delayMs: number, retry: () => void): boolean {
    if (this.#stopped || this.#timers.has(key)) return false;
    this.#timers.set(
      key,
      setTimeout(() => {
        this.#timers.delete(key);
        retry();
      }, timerSafeMs(delayMs)),
    );
    return true;
  }

  /** Clears every waiting retry; later ones are refused. */
  stop(): void {
    this.#stopped = true;
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
  }
}
