// The model stage with failover: the run's model first, then its fallbacks, moving on only when a
// call failed for a reason the policy table names and before any of the answer reached the client.
// A transient failure is first retried on the same model (transient_retry.ts), as the reference does
// before it fails over.
import {
  availableCandidates,
  candidateChain,
  type FailoverReason,
  failoverReason,
  modelKey,
} from "./failover_policy.ts";
import type { ModelCooldowns } from "./model_cooldowns.ts";
import type { RunError } from "./run_error.ts";
import {
  decideTransientRetry,
  FRESH_LEDGER,
  type ProviderRetrySettings,
  type Retry,
  type RetryLedger,
} from "./transient_retry.ts";
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
  /** The provider's account of the failure (RunError `providerDetail`), for the fallback events and notice. */
  error?: string | undefined;
}

/** A call that failed and is not made again: where the chain stands and what comes next. */
export interface FailedCall {
  candidate: ModelCandidate;
  error: RunError;
  /** Why it fails over; undefined when the failure ends the stage (a refused payload, output already streamed). */
  reason: FailoverReason | undefined;
  /** The candidate's place in the chain, from 1. */
  position: number;
  /** The candidate tried next; undefined when the stage ends with this failure. */
  next: ModelCandidate | undefined;
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
  /** Same-model retries of transient failures; a failure fails over (or ends the run) at once without it. */
  retry?: SameModelRetry | undefined;
  /** Told of each call that failed and is not retried, before the next candidate is called or the stage ends. */
  callFailed?: ((failure: FailedCall) => void) | undefined;
  /** Told when a candidate answered after an earlier one failed (`position` is its place in the chain, from 1). */
  recovered?: ((answered: ModelCandidate, position: number, failed: ModelAttempt) => void) | undefined;
}

/** What same-model retries need: the run's ledgers, the agent's settings, a clock, and the run's events. */
export interface SameModelRetry {
  /** The run's retries so far, by model (`provider/model`): the budget spans the run's model steps. */
  ledgers: Map<string, RetryLedger>;
  settings: ProviderRetrySettings;
  /** Waits `ms`; rejects (with what the run's abort classifies as) when the run is aborted meanwhile. */
  wait(ms: number): Promise<void>;
  /** A number in [0, 1), for the delay's jitter. */
  random(): number;
  now(): number;
  /** A call failed and will be made again after `retry.delayMs`: told before the wait. */
  retrying(candidate: ModelCandidate, error: RunError, retry: Retry): void;
  /** The wait is over: the call is made again next. */
  resumed(candidate: ModelCandidate): void;
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

function failedAttempt(candidate: ModelCandidate, error: RunError, reason: FailoverReason | undefined): ModelAttempt {
  return {
    ...candidate.ref,
    result: "failed",
    reason,
    status: error.status,
    ...(error.providerDetail ? { error: error.providerDetail } : {}),
  };
}

/**
 * Retries a failed call on the same model when the retry rules say so: records the retry in the run's ledger, tells
 * the run, waits, and returns true (the call is made again). A wait cut short by an abort ends the stage with the
 * abort's error.
 */
async function retried<A>(
  input: FailoverInput<A>,
  failure: {
    candidate: ModelCandidate;
    error: RunError;
    reason: FailoverReason | undefined;
    fallbackConfigured: boolean;
    attempts: ModelAttempt[];
  },
): Promise<boolean> {
  const retry = input.retry;
  if (!retry || failure.reason === undefined) return false;
  const { candidate, error } = failure;
  const key = ref(candidate);
  const decision = decideTransientRetry(retry.ledgers.get(key) ?? FRESH_LEDGER, {
    reason: failure.reason,
    retryAfterMs: error.retryAfterMs,
    detail: error.providerDetail,
    fallbackConfigured: failure.fallbackConfigured,
    settings: retry.settings,
    nowMs: retry.now(),
    random: retry.random(),
  });
  if (!decision.retry) return false;
  retry.ledgers.set(key, decision.ledger);
  const { retryAttempt, maxRetries, delayMs, reason } = decision.retry;
  input.log.warn(
    `transient same-model retry ${retryAttempt}/${maxRetries} for ${key} reason=${reason}: delayMs=${delayMs}`,
  );
  retry.retrying(candidate, error, decision.retry);
  try {
    await retry.wait(delayMs);
  } catch (caught) {
    failure.attempts.push(failedAttempt(candidate, error, failure.reason));
    throw new FailoverExhausted(input.classify(caught), failure.attempts, candidate);
  }
  retry.resumed(candidate);
  return true;
}

/**
 * Tries the candidates in order, skipping those cooling down (all are tried when all are), and
 * returns the first answer with the model that gave it; a transient failure is retried on the same model first
 * (`retry`), then fails over. Each step is logged as the reference's
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
    for (;;) {
      try {
        const answer = await input.call(candidate);
        cooldowns.recordSuccess(candidate.ref);
        attempts.push({ ...candidate.ref, result: "success" });
        // A model that answered starts a new retry window (its retry count stays the run's).
        const ledger = input.retry?.ledgers.get(ref(candidate));
        if (ledger) input.retry!.ledgers.set(ref(candidate), { ...ledger, windowStartMs: undefined });
        const previous = attempts.filter((a) => a.result === "failed").at(-1);
        if (previous) {
          input.recovered?.(candidate, i + 1, previous);
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
        if (await retried(input, { candidate, error, reason, fallbackConfigured: candidates.length > 1, attempts })) {
          continue;
        }
        attempts.push(failedAttempt(candidate, error, reason));
        if (!reason) {
          input.callFailed?.({ candidate, error, reason, position: i + 1, next: undefined });
          throw new FailoverExhausted(error, attempts, candidate);
        }
        const cooldown = cooldowns.recordFailure(candidate.ref, reason);
        const status = error.status === undefined ? "" : ` status=${error.status}`;
        line(
          `decision=candidate_failed requested=${requested} candidate=${ref(candidate)} attempt=${
            i + 1
          } total=${candidates.length} reason=${reason}${status} next=${next ? ref(next) : "none"} cooldownUntil=${
            new Date(cooldown.cooldownUntil).toISOString()
          }`,
        );
        input.callFailed?.({ candidate, error, reason, position: i + 1, next });
        if (!next) throw new FailoverExhausted(error, attempts, candidate);
        break;
      }
    }
  }
  // Unreachable: the chain is never empty and its last candidate returns or throws.
  throw new Error("model failover ran out of candidates without an error");
}
