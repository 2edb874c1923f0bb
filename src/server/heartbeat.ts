import type { AgentsConfig } from "../agent/agents_config.ts";
import type { HeartbeatOutcome } from "../automation/heartbeat_control.ts";

/** Why a heartbeat was skipped, given the agents in force: no model to run, or no heartbeat runner here. */
export function heartbeatSkip(agents: AgentsConfig): { reason: string; message: string } {
  const agent = agents.agents.find((a) => a.id === agents.defaultAgentId);
  if (!agent?.model) {
    return {
      reason: "no-model",
      message: `Agent ${agents.defaultAgentId} has no model (set agents.defaults.model.primary to "provider/model"), ` +
        "so the heartbeat had nothing to run; queued wake texts stay queued.",
    };
  }
  return {
    reason: "not-supported",
    message: `Agent ${agent.id} is configured (${agent.model.provider}/${agent.model.model}), but this gateway does ` +
      "not run heartbeat turns; queued wake texts stay queued.",
  };
}

/**
 * Heartbeat bookkeeping for `wake` and `last-heartbeat`. This gateway runs no heartbeat turns,
 * so each heartbeat is reported as skipped with the true reason for the agents in force; wake
 * texts queued for the next heartbeat are listed by `status.queuedSystemEvents`.
 */
export class HeartbeatState {
  #last: HeartbeatOutcome | null = null;
  #queued: string[] = [];
  #emit: (outcome: HeartbeatOutcome) => void;
  #agents: () => AgentsConfig;

  constructor(options: { emit: (outcome: HeartbeatOutcome) => void; agents: () => AgentsConfig }) {
    this.#emit = options.emit;
    this.#agents = options.agents;
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
      ...heartbeatSkip(this.#agents()),
      durationMs: Math.round(performance.now() - started),
    };
    this.#last = outcome;
    this.#emit(outcome);
  }
}
