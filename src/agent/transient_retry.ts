// Whether a failed model call is asked again on the same model, and after how long: the reference's same-model
// retry (its failover retry controller), as pure functions. A run retries a transient failure (rate limit,
// overload, server error, timeout or dropped connection) up to 8 times (9 once rate limited) with a jittered
// exponential backoff (1 s doubling to 30 s, never under the provider's Retry-After), within 90 s of the first
// failure for all but rate limits; only then does the run fail over to its next model. Recorded in
// tests/fixtures/run_retries and tests/fixtures/run_status.
import type { FailoverReason } from "./failover_policy.ts";

/** Retries of a transient failure on one model in one run, unless the agent's settings say otherwise. */
export const MAX_TRANSIENT_RETRIES = 8;
/** Retries once the model has been rate limited in the run (the cap whatever the settings say). */
export const MAX_RATE_LIMIT_RETRIES = 9;
/** Retries other than for a rate limit stop once this long has passed since the first failure. */
export const TRANSIENT_RETRY_WINDOW_MS = 90_000;
/** The first retry's delay before jitter; each next one doubles it. */
const BASE_DELAY_MS = 1_000;
/** The longest backoff delay (a Retry-After may ask for more). */
const MAX_DELAY_MS = 30_000;
/** The agent settings' `retry.provider.maxRetryDelayMs` when unset. */
export const DEFAULT_MAX_RETRY_DELAY_MS = 60_000;

/** The failures a run retries on the same model. */
export type TransientReason = "rate_limit" | "overloaded" | "server_error" | "timeout";

const TRANSIENT: ReadonlySet<string> = new Set<TransientReason>([
  "rate_limit",
  "overloaded",
  "server_error",
  "timeout",
]);

/** Whether a failover reason is one a run retries on the same model first. */
export function isTransient(reason: FailoverReason | undefined): reason is TransientReason {
  return reason !== undefined && TRANSIENT.has(reason);
}

/** An agent's provider retry settings (`<agentDir>/settings.json` `retry.provider`). */
export interface ProviderRetrySettings {
  /** How many retries a model gets in a run; the defaults above when unset. */
  maxRetries?: number | undefined;
  /** A rate limit asking a longer wait than this fails over at once, when the run has a fallback model. */
  maxRetryDelayMs: number;
}

/** The settings of an agent that has none. */
export const DEFAULT_PROVIDER_RETRY: ProviderRetrySettings = { maxRetryDelayMs: DEFAULT_MAX_RETRY_DELAY_MS };

/** One model's retries so far in a run. */
export interface RetryLedger {
  /** Retries made. */
  count: number;
  /** When the first failure of the current window came (reset once the model answers a step). */
  windowStartMs?: number | undefined;
  /** Whether the model was rate limited in this run. */
  rateLimitSeen: boolean;
}

/** A model with no retries yet. */
export const FRESH_LEDGER: RetryLedger = { count: 0, rateLimitSeen: false };

/** Why a failure is not retried, in the reference's decision words. */
export type NoRetry =
  | "non_transient"
  | "long_window_rate_limit"
  | "retry_delay_exceeds_cap"
  | "retry_budget_exhausted"
  | "retry_delay_unavailable";

/** A retry to make: the retry's number (1-based), the run's budget, the wait and the failure's reason. */
export interface Retry {
  retryAttempt: number;
  maxRetries: number;
  delayMs: number;
  reason: TransientReason;
}

/** What a failure asks: a retry and the model's ledger after it, or the reason not to. */
export type RetryDecision = { retry: Retry; ledger: RetryLedger } | { retry: undefined; why: NoRetry };

/** The longest wait a short (per-minute) rate limit asks: a provider asking longer means a usage window. */
const MAX_SHORT_WINDOW_WAIT_MS = 60_000;
/** Words of a limit that lasts a day or more: a quota, a plan's usage, a balance. */
const LONG_WINDOW_WORDS =
  /\b(?:daily|weekly|monthly|tokens per day|requests per day|per[- ](?:day|week|month)|usage limit|subscription|insufficient[_ -]?quota|current quota|quota[_ -]?exceeded|(?:go|free)usagelimiterror|available balance|out of budget)\b/i;
/** Words of a per-minute limit, which overrule the long-window ones. */
const SHORT_WINDOW_UNITS = /\b(?:requests per minute|tokens per minute|per-minute|rpm|tpm)\b/i;
/** Words that make a failure a rate limit whatever its status. */
const RATE_LIMIT_WORDS =
  /rate.?limit|too many requests|resource[_ -]?exhausted|daily (?:request|usage) limit|requests? per day|tokens? per day|quota[_ -]?exceeded/i;
/** A retry-after phrase, readable or not. */
const RETRY_AFTER_PHRASE = /\b(?:retry[- ]after\b\s*:?\s*(?:in\b\s*)?|(?:please\s+)?try again in\s+)([^\r\n;]+)/i;

/**
 * Whether a provider's words (its status, message and `; Retry-After: N seconds`) describe a limit that outlasts a
 * retry, as the reference classes the window: a wait over a minute, an unreadable wait, or a quota or plan limit not
 * measured per minute.
 */
export function isLongWindowRateLimit(detail: string | undefined, nowMs: number): boolean {
  const text = detail?.trim();
  if (!text) return false;
  const shortUnit = SHORT_WINDOW_UNITS.test(text);
  const waitMs = retryAfterTextMs(text, nowMs);
  if (waitMs !== undefined) return waitMs > MAX_SHORT_WINDOW_WAIT_MS;
  if (RETRY_AFTER_PHRASE.test(text) && !shortUnit) return true;
  return LONG_WINDOW_WORDS.test(text) && !shortUnit;
}

/**
 * The delay before retry `retryNumber` (1-based): 1 s doubling up to 30 s, times a jitter in [0.5, 1.5)
 * (`random` in [0, 1)), never under `retryAfterMs`; undefined when it would end past the window (`elapsedMs`
 * since the first failure; no window when undefined) or the provider asked an endless wait.
 */
export function transientRetryDelayMs(
  input: { retryNumber: number; retryAfterMs?: number | undefined; elapsedMs?: number | undefined; random: number },
): number | undefined {
  const remainingMs = input.elapsedMs === undefined
    ? Infinity
    : TRANSIENT_RETRY_WINDOW_MS - Math.max(0, input.elapsedMs);
  if (remainingMs <= 0 || input.retryAfterMs === Infinity) return undefined;
  const exponentialMs = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** Math.max(0, input.retryNumber - 1));
  const jitteredMs = Math.min(MAX_DELAY_MS, Math.round(exponentialMs * (0.5 + input.random)));
  const floorMs = input.retryAfterMs !== undefined && Number.isFinite(input.retryAfterMs)
    ? Math.max(0, Math.ceil(input.retryAfterMs))
    : 0;
  const delayMs = Math.max(jitteredMs, floorMs);
  return delayMs <= remainingMs ? delayMs : undefined;
}

/**
 * Whether a model's failed call (`reason`, with the provider's Retry-After when it sent one) is asked again, given
 * the model's `ledger` in this run. A rate limit whose words name a long window (a quota, a wait over a minute) is
 * never retried; one asking a wait past `maxRetryDelayMs` fails over at once when the run has a fallback; otherwise the budget (the settings' `maxRetries`, else 8, or 9 for a rate limit; at most 9 once
 * rate limited) and, but for rate limits, the 90 s window decide.
 */
export function decideTransientRetry(
  ledger: RetryLedger,
  input: {
    reason: FailoverReason | undefined;
    retryAfterMs?: number | undefined;
    /** The provider's own words for the failure (RunError `providerDetail`), which may name a long limit. */
    detail?: string | undefined;
    fallbackConfigured: boolean;
    settings: ProviderRetrySettings;
    nowMs: number;
    random: number;
  },
): RetryDecision {
  const { reason, retryAfterMs, settings } = input;
  if (!isTransient(reason)) return { retry: undefined, why: "non_transient" };
  const rateLimit = reason === "rate_limit";
  // A daily quota or an hour's wait is not waited out inside a run: the run fails over (or fails) at once.
  if (
    (rateLimit || RATE_LIMIT_WORDS.test(input.detail ?? "")) && isLongWindowRateLimit(input.detail, input.nowMs)
  ) {
    return { retry: undefined, why: "long_window_rate_limit" };
  }
  const capMs = Number.isFinite(settings.maxRetryDelayMs) && settings.maxRetryDelayMs > 0
    ? settings.maxRetryDelayMs
    : undefined;
  if (
    rateLimit && input.fallbackConfigured && capMs !== undefined && retryAfterMs !== undefined && retryAfterMs > capMs
  ) {
    return { retry: undefined, why: "retry_delay_exceeds_cap" };
  }
  const rateLimitSeen = ledger.rateLimitSeen || rateLimit;
  const budget = Math.min(
    settings.maxRetries ?? (rateLimit ? MAX_RATE_LIMIT_RETRIES : MAX_TRANSIENT_RETRIES),
    rateLimitSeen ? MAX_RATE_LIMIT_RETRIES : Infinity,
  );
  if (ledger.count >= budget) return { retry: undefined, why: "retry_budget_exhausted" };
  const windowStartMs = ledger.windowStartMs ?? input.nowMs;
  const delayMs = transientRetryDelayMs({
    retryNumber: ledger.count + 1,
    retryAfterMs,
    elapsedMs: rateLimit ? undefined : input.nowMs - windowStartMs,
    random: input.random,
  });
  if (delayMs === undefined) return { retry: undefined, why: "retry_delay_unavailable" };
  return {
    retry: { retryAttempt: ledger.count + 1, maxRetries: budget, delayMs, reason },
    ledger: { count: ledger.count + 1, windowStartMs, rateLimitSeen },
  };
}

/** The `run_status` event's data for a retry. */
export interface RetryingStatus {
  phase: "retrying";
  message: string;
  retryAttempt: number;
  maxRetries: number;
  delayMs: number;
  /** The attempt about to be made (1-based) and of how many. */
  attempt: number;
  maxAttempts: number;
  reason: TransientReason;
}

/** The `run_status` event's data for a retry: phase `retrying`, the reference's words and numbers. */
export function retryingStatus(retry: Retry): RetryingStatus {
  const { retryAttempt, maxRetries, delayMs, reason } = retry;
  const message = reason === "rate_limit"
    ? `Retrying… ${retryAttempt + 1}/${maxRetries + 1}`
    : `Provider temporarily unavailable. Retrying in ${Math.ceil(delayMs / 1000)}s (${retryAttempt}/${maxRetries}).`;
  return {
    phase: "retrying",
    message,
    retryAttempt,
    maxRetries,
    delayMs,
    attempt: retryAttempt + 1,
    maxAttempts: maxRetries + 1,
    reason,
  };
}

/** A `retry-after` header's wait in ms: seconds, or an HTTP date from `nowMs`; undefined when unreadable. */
export function retryAfterMs(header: string | undefined, nowMs: number): number | undefined {
  const value = header?.trim();
  if (!value) return undefined;
  if (/^\d+(?:\.\d+)?$/.test(value)) return Math.ceil(Number(value) * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

/** The reference's retry-after phrases in an error's words ("retry after 3", "Retry-After: 2s", "try again in 20s"). */
const RETRY_AFTER_TEXT = /\b(?:retry[- ]after\b\s*:?\s*(?:in\b\s*)?|(?:please\s+)?try again in\s+)([^\r\n;]+)/gi;
/** A phrase's wait: a number (or Infinity) and an optional unit. */
const RETRY_AFTER_NUMBER = /^(\d+(?:\.\d+)?|Infinity)\s*([a-z]+)?\b/i;

/** Milliseconds in one of the units the reference accepts (seconds when none); undefined for any other word. */
function unitMs(unit: string | undefined): number | undefined {
  const u = (unit ?? "s").toLowerCase();
  if (/^(?:milliseconds?|msecs?|ms)$/.test(u)) return 1;
  if (/^(?:seconds?|secs?|s)$/.test(u)) return 1_000;
  if (/^(?:minutes?|mins?|m)$/.test(u)) return 60_000;
  if (/^(?:hours?|hrs?|h)$/.test(u)) return 3_600_000;
  if (/^(?:days?|d)$/.test(u)) return 86_400_000;
  return undefined;
}

/** One phrase's wait in ms: a number with its unit, else an HTTP date from `nowMs`; undefined when unreadable. */
function phraseMs(value: string, nowMs: number): number | undefined {
  const number = RETRY_AFTER_NUMBER.exec(value);
  if (number?.[1]) {
    const amount = /^infinity$/i.test(number[1]) ? Infinity : Number(number[1]);
    const scale = unitMs(number[2]);
    return Number.isNaN(amount) || amount < 0 || scale === undefined ? undefined : amount * scale;
  }
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

/**
 * The longest wait a provider's error words ask for ("Please try again in 20s", "retry after 1.5 seconds"), as the
 * reference's retry evidence reads them, in whole ms; undefined when the words ask none.
 */
export function retryAfterTextMs(text: string, nowMs: number): number | undefined {
  let longest: number | undefined;
  for (const match of text.matchAll(RETRY_AFTER_TEXT)) {
    const ms = phraseMs(match[1]?.trim() ?? "", nowMs);
    if (ms !== undefined) longest = Math.max(longest ?? 0, ms);
  }
  return longest === undefined ? undefined : Math.ceil(longest);
}

/** The wait a failed call's provider asked: the longer of its `retry-after` header and its error's words. */
export function providerRetryAfterMs(header: string | undefined, text: string, nowMs: number): number | undefined {
  const fromHeader = retryAfterMs(header, nowMs);
  const fromText = retryAfterTextMs(text, nowMs);
  return fromHeader === undefined && fromText === undefined ? undefined : Math.max(fromHeader ?? 0, fromText ?? 0);
}
