// The model stage with failover: the run's model first, then its fallbacks, moving on only when a
// call failed for a reason the policy table names and before any of the answer reached the client.
import {
  availableCandidates,
  candidateChain,
  type FailoverReason,
  failoverReason,
  modelKey,
} from "./failover_policy.ts";
import type { ModelCooldowns } from "./model_cooldowns.ts";
import type { RunError } from "./run_error.ts";
import type { RunLog } from "./run_log.ts";
import type { ModelCandidate } from "./run_target.ts";

/** One model call of a run, as the run's outcome and the `agent` report's `executionTrace` list it. */
export interface ModelAttempt {
  provider: string;
  model: string;
  result: "success" | "failed" | "skipped";
  /** Why the call failed over or was skipped (a cooldown's reason). */
  reason?: FailoverReason | undefined;
  /** The provider's HTTP status, when it answered one. */
  status?: number | undefined;
}

/** What the failover stage needs: the candidates, the gateway's cooldowns, the log and the call itself. */
export interface FailoverInput<A> {
  runId: string;
  primary: ModelCandidate;
  fallbacks: readonly ModelCandidate[];
  cooldowns: ModelCooldowns;
  log: RunLog;
  /** Calls one model; throws what failed it (classified by `classify`). */
  call(candidate: ModelCandidate): Promise<A>;
  /** Any thrown value as a run error. */
  classify(caught: unknown): RunError;
  /** Whether any of the answer has reached the client: then a failure ends the run, as the reference keeps partial output. */
  streamed(): boolean;
}

/** A failed model stage: the error that ended it and the attempts made. */
export class FailoverExhausted extends Error {
  readonly error: RunError;
  readonly attempts: ModelAttempt[];
  readonly last: ModelCandidate;

  constructor(error: RunError, attempts: ModelAttempt[], last: ModelCandidate) {
    super(error.message, { cause: error });
    this.name = "FailoverExhausted";
    this.error = error;
    this.attempts = attempts;
    this.last = last;
  }
}

function ref(c: ModelCandidate): string {
  return modelKey(c.ref);
}

/**
 * Tries the candidates in order, skipping those cooling down (all are tried when all are), and
 * returns the first answer with the model that gave it. Each step is logged as the reference's
 * `model fallback decision` line; a failed-over model is cooled down, one that answers is cleared.
 */
export async function answerWithFailover<A>(
  input: FailoverInput<A>,
): Promise<{ answer: A; candidate: ModelCandidate; attempts: ModelAttempt[] }> {
  const { runId, cooldowns, log } = input;
  const byKey = new Map([input.primary, ...input.fallbacks].map((c) => [ref(c), c]));
  const chain = candidateChain(input.primary.ref, input.fallbacks.map((c) => c.ref));
  const ready = new Set(availableCandidates(chain, (r) => cooldowns.coolingDown(r)).map(modelKey));
  const attempts: ModelAttempt[] = [];
  const requested = ref(input.primary);
  const line = (fields: string) => log.warn(`model fallback decision: runId=${JSON.stringify(runId)} ${fields}`);
  const candidates = chain.map((r) => byKey.get(modelKey(r))!);
  for (const [i, candidate] of candidates.entries()) {
    const next = candidates.slice(i + 1).find((c) => ready.has(ref(c)));
    if (!ready.has(ref(candidate))) {
      const reason = cooldowns.active().find((c) => modelKey(c) === ref(candidate))?.reason;
      attempts.push({ ...candidate.ref, result: "skipped", reason });
      line(`decision=skip_candidate requested=${requested} candidate=${ref(candidate)} reason=${reason ?? "cooldown"}`);
      continue;
    }
    try {
      const answer = await input.call(candidate);
      cooldowns.recordSuccess(candidate.ref);
      attempts.push({ ...candidate.ref, result: "success" });
      const previous = attempts.filter((a) => a.result === "failed").at(-1);
      if (previous) {
        line(
          `decision=candidate_succeeded requested=${requested} candidate=${ref(candidate)} attempt=${
            i + 1
          } total=${candidates.length} from=${previous.provider}/${previous.model} fromReason=${previous.reason}`,
        );
      }
      return { answer, candidate, attempts };
    } catch (caught) {
      const error = input.classify(caught);
      const reason = input.streamed() ? undefined : failoverReason(error);
      attempts.push({ ...candidate.ref, result: "failed", reason, status: error.status });
      if (!reason) throw new FailoverExhausted(error, attempts, candidate);
      const cooldown = cooldowns.recordFailure(candidate.ref, reason);
      const status = error.status === undefined ? "" : ` status=${error.status}`;
      line(
        `decision=candidate_failed requested=${requested} candidate=${ref(candidate)} attempt=${
          i + 1
        } total=${candidates.length} reason=${reason}${status} next=${next ? ref(next) : "none"} cooldownUntil=${
          new Date(cooldown.cooldownUntil).toISOString()
        }`,
      );
      if (!next) throw new FailoverExhausted(error, attempts, candidate);
    }
  }
  // Unreachable: the chain is never empty and its last candidate returns or throws.
  throw new Error("model failover ran out of candidates without an error");
}
