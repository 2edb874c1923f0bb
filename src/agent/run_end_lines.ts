import { logRunEnd, type RunLog } from "./run_log.ts";

/** What one run-end line says (see {@link logRunEnd}). */
export type RunEnd = Parameters<typeof logRunEnd>[1];

/**
 * Run-end log lines, each written one timer turn after its run's outcome, so a streamed answer's
 * closing events (sent when `done` resolves) leave before the line's formatting and synchronous
 * writes. From {@link RunEndLines.stop} on (gateway stop) a line is written at once, and the ones
 * still waiting are written then: logging shuts down right after the gateway stops, and a line left
 * on a timer would be lost with it.
 */
export class RunEndLines {
  #log: RunLog;
  /** Lines waiting for their turn, by timer, in the order the runs ended (timers of one delay fire in order). */
  #pending = new Map<ReturnType<typeof setTimeout>, RunEnd>();
  #stopped = false;

  constructor(log: RunLog) {
    this.#log = log;
  }

  /** Writes one run's end line on the next timer turn (at once once stopped). */
  write(run: RunEnd): void {
    if (this.#stopped) return logRunEnd(this.#log, run);
    const timer = setTimeout(() => {
      this.#pending.delete(timer);
      logRunEnd(this.#log, run);
    }, 0);
    this.#pending.set(timer, run);
  }

  /** Writes the waiting lines now, and every later line at once (the gateway is stopping). */
  stop(): void {
    this.#stopped = true;
    for (const [timer, run] of this.#pending) {
      clearTimeout(timer);
      logRunEnd(this.#log, run);
    }
    this.#pending.clear();
  }
}
