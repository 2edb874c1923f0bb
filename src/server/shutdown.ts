/** What the process was asked to do by a signal. */
export type ProcessSignal = "SIGINT" | "SIGTERM" | "SIGUSR2";

/**
 * Listens for SIGINT, SIGTERM (stop) and SIGUSR2 (restart in process) from before the port is
 * bound, so a signal that arrives during start-up is queued instead of killing the process
 * with the default action.
 */
export class SignalWatcher {
  #queue: ProcessSignal[] = [];
  #waiting: ((signal: ProcessSignal) => void) | undefined;
  #handlers: [ProcessSignal, () => void][];

  constructor() {
    const signals: ProcessSignal[] = Deno.build.os === "windows" ? ["SIGINT"] : ["SIGINT", "SIGTERM", "SIGUSR2"];
    this.#handlers = signals.map((signal) => {
      const handler = () => this.#deliver(signal);
      Deno.addSignalListener(signal, handler);
      return [signal, handler];
    });
  }

  #deliver(signal: ProcessSignal): void {
    const waiting = this.#waiting;
    if (waiting) {
      this.#waiting = undefined;
      waiting(signal);
    } else {
      this.#queue.push(signal);
    }
  }

  /** Delivers a signal from inside the process (`config.apply` asks for a restart this way). */
  inject(signal: ProcessSignal): void {
    this.#deliver(signal);
  }

  /** The next signal, queued or future. */
  next(): Promise<ProcessSignal> {
    const queued = this.#queue.shift();
    if (queued) return Promise.resolve(queued);
    return new Promise((resolve) => this.#waiting = resolve);
  }

  /** True when a stop signal is already queued (checked between start-up steps). */
  get stopRequested(): boolean {
    return this.#queue.some((s) => s !== "SIGUSR2");
  }

  /** Removes the listeners. */
  dispose(): void {
    for (const [signal, handler] of this.#handlers) Deno.removeSignalListener(signal, handler);
    this.#handlers = [];
  }
}
