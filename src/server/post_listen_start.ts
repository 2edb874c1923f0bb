import { type CancelTimer, webTimeout } from "../async/web_timer.ts";

/** One piece of the work a gateway starts once it listens (a channel reconcile, the cron start, …). */
export interface PostListenStep {
  /** What the step starts, for the log line of a step that throws. */
  name: string;
  /** Starts it; a returned promise is not awaited (the step's own work goes on in the background). */
  run(): unknown;
}

/** When the deferred start begins and how it reports a step that throws. */
export interface PostListenOptions {
  /** The bound: the steps begin this long after `arm()` when no connection was served first. */
  delayMs: number;
  /**
   * A client is in the middle of its handshake: at the bound the steps wait for it to be served, up to
   * `maxDelayMs` after `arm()` (a client that never finishes cannot hold them back longer).
   */
  busy?(): boolean;
  /** The hard bound while {@link busy} says a handshake is in flight (default: `delayMs`, no waiting). */
  maxDelayMs?: number;
  /** Logs a step that threw; the steps after it still run. */
  error(message: string): void;
}

/**
 * The work a gateway starts right after it listens (session counts, heartbeat, channels, cron, media prune),
 * kept from standing in front of the first client: it begins when the first connection has been served
 * (`connectionServed`) or `delayMs` after `arm()`, whichever comes first (with a handshake in flight at
 * that bound, when it is served or at `maxDelayMs`), and yields to the event loop between
 * steps, so a connection arriving meanwhile is answered before the next step. `cancel()` (the gateway stopping)
 * clears the timer and runs no step not yet begun.
 */
export class PostListenStart {
  readonly #steps: readonly PostListenStep[];
  readonly #options: PostListenOptions;
  /** Disarms the pending wait (the bound, or the turn before a step). */
  #cancelTimer: CancelTimer | undefined;
  #state: "idle" | "armed" | "running" | "done" | "cancelled" = "idle";
  #finished = Promise.withResolvers<void>();
  /** Ends the wait between two steps early (a cancel must not leave the loop waiting on a cleared timer). */
  #wake: (() => void) | undefined;

  constructor(steps: readonly PostListenStep[], options: PostListenOptions) {
    this.#steps = steps;
    this.#options = options;
  }

  /** Starts the bound's timer (once; the listener is up). */
  arm(): void {
    if (this.#state !== "idle") return;
    this.#state = "armed";
    const armedAt = performance.now();
    // The web platform's timers (async/web_timer.ts): armed as the port opens, where Node's would load in front of the
    // first client.
    this.#cancelTimer = webTimeout(this.#options.delayMs, () => {
      const left = (this.#options.maxDelayMs ?? 0) - (performance.now() - armedAt);
      // A handshake under way at the bound is let finish (connectionServed() then begins the steps).
      if (left > 0 && this.#options.busy?.() === true) this.#cancelTimer = webTimeout(left, () => this.#begin());
      else this.#begin();
    });
  }

  /** A connection was served (its `hello-ok` sent): the steps begin on the next turn of the event loop. */
  connectionServed(): void {
    if (this.#state !== "armed") return;
    this.#cancelTimer?.();
    // A macrotask, not at once: the served connection's own frames (health, presence) go out first.
    this.#cancelTimer = webTimeout(0, () => this.#begin());
  }

  /** Runs no further step and leaves no timer; a step already begun keeps its own stop. */
  cancel(): void {
    this.#cancelTimer?.();
    this.#cancelTimer = undefined;
    if (this.#state === "done" || this.#state === "cancelled") return;
    const wasRunning = this.#state === "running";
    this.#state = "cancelled";
    // A running loop resolves `finished` itself when it sees the cancel; an idle or armed one never will.
    if (wasRunning) this.#wake?.();
    else this.#finished.resolve();
  }

  /** Where the deferred start is now (for tests and diagnostics). */
  get state(): "idle" | "armed" | "running" | "done" | "cancelled" {
    return this.#state;
  }

  /** Resolves when every step has begun, or the start was cancelled. */
  get finished(): Promise<void> {
    return this.#finished.promise;
  }

  #cancelled(): boolean {
    return this.#state === "cancelled";
  }

  #begin(): void {
    this.#cancelTimer = undefined;
    if (this.#state !== "armed") return;
    this.#state = "running";
    void this.#runSteps();
  }

  async #runSteps(): Promise<void> {
    for (const [index, step] of this.#steps.entries()) {
      if (index > 0) {
        // The event loop between steps: a connection that arrived meanwhile is served before the next one.
        await new Promise<void>((resolve) => {
          this.#wake = resolve;
          this.#cancelTimer = webTimeout(0, resolve);
        });
        this.#wake = undefined;
        this.#cancelTimer = undefined;
      }
      // `cancel()` may have run while this loop waited above.
      if (this.#cancelled()) break;
      try {
        const started = step.run();
        if (started instanceof Promise) {
          started.catch((error) => this.#options.error(`${step.name} failed to start: ${describe(error)}`));
        }
      } catch (error) {
        this.#options.error(`${step.name} failed to start: ${describe(error)}`);
      }
    }
    if (this.#state === "running") this.#state = "done";
    this.#finished.resolve();
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.stack ?? error.message : String(error);
}
