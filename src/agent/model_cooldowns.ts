import type { ModelRef } from "./agents_config.ts";
import { cooldownMs, type FailoverReason, FAILURE_WINDOW_MS, modelKey } from "./failover_policy.ts";

/** One model's cooldown as `status` reports it. */
export interface ModelCooldown {
  provider: string;
  model: string;
  reason: FailoverReason;
  /** Failures within the failure window, this one included. */
  errorCount: number;
  lastFailureAt: number;
  cooldownUntil: number;
}

/**
 * The gateway's model cooldowns: a model that failed over is skipped by later runs until its
 * cooldown ends, each repeat failure within the window waiting longer; a model that answers is
 * healthy again. In memory, for the gateway's life, as the reference keeps per-model rate limits.
 */
export class ModelCooldowns {
  #entries = new Map<string, ModelCooldown>();
  #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  /** Records a failed-over call of `ref`; returns its cooldown. */
  recordFailure(ref: ModelRef, reason: FailoverReason): ModelCooldown {
    const now = this.#now();
    const previous = this.#entries.get(modelKey(ref));
    const recent = previous && now - previous.lastFailureAt < FAILURE_WINDOW_MS ? previous.errorCount : 0;
    const errorCount = recent + 1;
    const entry: ModelCooldown = {
      provider: ref.provider,
      model: ref.model,
      reason,
      errorCount,
      lastFailureAt: now,
      cooldownUntil: now + cooldownMs(reason, errorCount),
    };
    this.#entries.set(modelKey(ref), entry);
    return entry;
  }

  /** `ref` answered: its failures no longer count. */
  recordSuccess(ref: ModelRef): void {
    this.#entries.delete(modelKey(ref));
  }

  /** Whether `ref` is cooling down now. */
  coolingDown(ref: ModelRef): boolean {
    const entry = this.#entries.get(modelKey(ref));
    return entry !== undefined && entry.cooldownUntil > this.#now();
  }

  /** The cooldowns in force now, soonest to end first; expired ones older than the window are dropped. */
  active(): ModelCooldown[] {
    const now = this.#now();
    for (const [key, entry] of this.#entries) {
      if (now - entry.lastFailureAt >= FAILURE_WINDOW_MS) this.#entries.delete(key);
    }
    return [...this.#entries.values()].filter((e) => e.cooldownUntil > now).sort((a, b) =>
      a.cooldownUntil - b.cooldownUntil
    ).map((e) => ({ ...e }));
  }
}
