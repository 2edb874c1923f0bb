/** What the running process is asked to do, in arrival order. */
export type ControlEvent =
  | { kind: "stop"; signal: "SIGINT" | "SIGTERM" }
  | {
    kind: "restart";
    reason: string;
    /** Called once this restart was handled (done, or skipped because the config no longer loads). */
    handled?: () => void;
  }
  | {
    kind: "reload";
    source: "watch" | "rpc" | "SIGHUP";
    /** Called once this reload was handled (applied, skipped or refused): an RPC write waits for it. */
    handled?: () => void;
  };

/**
 * One ordered queue for everything that changes the process's course: SIGINT/SIGTERM (stop),
 * SIGUSR2 (restart in place), config edits and SIGHUP (reload) and `config.apply` (restart). Handling them
 * one at a time means a reload never races a stop. Signal listeners are installed at
 * construction, before anything binds, so an early signal is queued instead of killing the
 * process with the default action.
 */
export class ControlQueue {
  #queue: ControlEvent[] = [];
  #waiting: ((event: ControlEvent) => void) | undefined;
  #handlers: [Deno.Signal, () => void][] = [];

  constructor() {
    const signals: [Deno.Signal, ControlEvent][] = [
      ["SIGINT", { kind: "stop", signal: "SIGINT" }],
      ["SIGTERM", { kind: "stop", signal: "SIGTERM" }],
      ["SIGUSR2", { kind: "restart", reason: "SIGUSR2" }],
      // SIGHUP's default action kills the process; daemons read it as "reload your config".
      ["SIGHUP", { kind: "reload", source: "SIGHUP" }],
    ];
    for (const [signal, event] of signals) {
      if (Deno.build.os === "windows" && signal !== "SIGINT") continue;
      const handler = () => this.push(event);
      Deno.addSignalListener(signal, handler);
      this.#handlers.push([signal, handler]);
    }
  }

  /** Adds an event; a pending `next()` receives it at once. */
  push(event: ControlEvent): void {
    const waiting = this.#waiting;
    if (waiting) {
      this.#waiting = undefined;
      waiting(event);
    } else {
      this.#queue.push(event);
    }
  }

  /** The next event, queued or future. */
  next(): Promise<ControlEvent> {
    const queued = this.#queue.shift();
    if (queued) return Promise.resolve(queued);
    return new Promise((resolve) => this.#waiting = resolve);
  }

  /** Removes the signal listeners. */
  dispose(): void {
    for (const [signal, handler] of this.#handlers) Deno.removeSignalListener(signal, handler);
    this.#handlers = [];
  }
}
