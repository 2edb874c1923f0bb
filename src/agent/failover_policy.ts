// Which failed model calls move a run on to its next fallback model, and how long a failed model
// stays cooled down: the reference's rules (docs concepts/model-failover), as tables, no state.
import type { ModelRef } from "./agents_config.ts";
import type { RunErrorKind } from "./run_error.ts";

/** Why a model call failed over, in the reference's words (its `reason=` in the fallback log). */
export type FailoverReason =
  | "rate_limit"
  | "overloaded"
  | "server_error"
  | "timeout"
  | "auth"
  | "billing"
  | "model_not_found";

/**
 * Provider HTTP statuses that fail over, and why. 529 keeps `overloaded`; the timing statuses
 * (408, 499, 504, 522, 524) are `timeout`; other 5xx are `server_error`. A status not here (a 400,
 * 413, 422: the same payload would fail the same way on any model) ends the run.
 */
const BY_STATUS: ReadonlyMap<number, FailoverReason> = new Map([
  [401, "auth"],
  [402, "billing"],
  [403, "auth"],
  [404, "model_not_found"],
  [408, "timeout"],
  [429, "rate_limit"],
  [499, "timeout"],
  [504, "timeout"],
  [522, "timeout"],
  [524, "timeout"],
  [529, "overloaded"],
]);

/** Run error kinds that fail over whatever their status: the provider did not answer in time or at all, or has no key. */
const BY_KIND: Partial<Record<RunErrorKind, FailoverReason>> = {
  timeout: "timeout",
  unreachable: "timeout",
  // The reference fails a provider without a key over as `auth` (its decision line says reason=auth).
  "no_credentials": "auth",
};

/**
 * Why a failed model call should move on to the next candidate; undefined when it must end the run. A 5xx (or 499)
 * whose error said the provider is overloaded (`overloaded`, read where the answer was classified) is `overloaded`,
 * as the reference classes a 503 "Service Unavailable".
 */
export function failoverReason(
  error: { kind: RunErrorKind; status?: number | undefined; overloaded?: boolean | undefined },
): FailoverReason | undefined {
  const byKind = BY_KIND[error.kind];
  if (byKind) return byKind;
  if (error.kind !== "upstream" || error.status === undefined) return undefined;
  const serverSide = error.status === 499 || (error.status >= 500 && error.status <= 599);
  if (serverSide && error.overloaded) return "overloaded";
  return BY_STATUS.get(error.status) ?? (error.status >= 500 && error.status <= 599 ? "server_error" : undefined);
}

/** Regular cooldowns by the model's recent failure count: 30 s, 1 min, then 5 min (the cap). */
const COOLDOWN_STEPS_MS = [30_000, 60_000, 300_000] as const;
/** Billing failures disable the model for ten minutes, as the reference disables the credential. */
const BILLING_DISABLE_MS = 600_000;
/** Failures older than this no longer count toward the next cooldown's length. */
export const FAILURE_WINDOW_MS = 24 * 60 * 60_000;

/** How long a model stays cooled down after its `errorCount`-th recent failure (1-based) for `reason`. */
export function cooldownMs(reason: FailoverReason, errorCount: number): number {
  if (reason === "billing") return BILLING_DISABLE_MS;
  const step = Math.min(Math.max(errorCount, 1), COOLDOWN_STEPS_MS.length) - 1;
  return COOLDOWN_STEPS_MS[step]!;
}

/** `provider/model`, the key of a candidate and of its cooldown. */
export function modelKey(ref: ModelRef): string {
  return `${ref.provider}/${ref.model}`;
}

/** The models a run tries in order: the requested one first, then its fallbacks, each once. */
export function candidateChain(primary: ModelRef, fallbacks: readonly ModelRef[]): ModelRef[] {
  const seen = new Set<string>();
  return [primary, ...fallbacks].filter((ref) => {
    const key = modelKey(ref);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * The candidates to try now: those not cooling down, in order. When every candidate is cooling
 * down the run still probes them all, in order, rather than failing without a call.
 */
export function availableCandidates(chain: readonly ModelRef[], coolingDown: (ref: ModelRef) => boolean): ModelRef[] {
  const ready = chain.filter((ref) => !coolingDown(ref));
  return ready.length > 0 ? ready : [...chain];
}
