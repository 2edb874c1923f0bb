import type { HeartbeatOutcome } from "../rpc/methods/system.ts";

/**
 * Heartbeat bookkeeping for `wake` and `last-heartbeat`. No agent runtime exists yet, so a run
 * is reported as skipped with that reason, truthfully; wake texts queued for the next heartbeat
 * are listed by `status.queuedSystemEvents`.
 */
export class HeartbeatState {
  #last: HeartbeatOutcome | null = null;
  #queued: string[] = [];
  #emit: (outcome: HeartbeatOutcome) => void;

  constructor(emit: (outcome: HeartbeatOutcome) => void) {
    this.#emit = emit;
  }

  /** The last outcome, or null before any heartbeat ran. */
  get last(): HeartbeatOutcome | null {
    return this.#last;
  }

  /** Texts waiting for the next heartbeat. */
  get queued(): string[] {
    return [...this.#queued];
  }

  /** `wake`: queue the text (an identical queued text coalesces); `now` runs a heartbeat immediately. */
  wake(input: { mode: "now" | "next-heartbeat"; text: string }): "queued" | "coalesced" {
    const coalesced = this.#queued.includes(input.text);
    if (!coalesced) this.#queued.push(input.text);
    if (input.mode === "now") this.run();
    return coalesced ? "coalesced" : "queued";
  }

  /** Runs one heartbeat and emits its outcome. */
  run(): void {
    const started = performance.now();
    const outcome: HeartbeatOutcome = {
      ts: Date.now(),
      status: "skipped",
      reason: "no-agent",
      message: "No agent is configured, so the heartbeat had nothing to run; queued wake texts stay queued.",
      hasMedia: false,
      durationMs: Math.round(performance.now() - started),
    };
    this.#last = outcome;
    this.#emit(outcome);
  }
}
