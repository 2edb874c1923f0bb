import assert from "node:assert/strict";
import {
  decideTransientRetry,
  DEFAULT_PROVIDER_RETRY,
  FRESH_LEDGER,
  isLongWindowRateLimit,
  isTransient,
  providerRetryAfterMs,
  retryAfterMs,
  retryAfterTextMs,
  retryingStatus,
  type RetryLedger,
  transientRetryDelayMs,
} from "../../src/agent/transient_retry.ts";

/** A decision for `reason` on `ledger` at time `nowMs`, without jitter (random 0.5: the base delay). */
function decide(
  ledger: RetryLedger,
  input: {
    reason: Parameters<typeof isTransient>[0];
    retryAfterMs?: number;
    detail?: string;
    fallbackConfigured?: boolean;
    maxRetries?: number;
    nowMs?: number;
  },
) {
  return decideTransientRetry(ledger, {
    reason: input.reason,
    retryAfterMs: input.retryAfterMs,
    detail: input.detail,
    fallbackConfigured: input.fallbackConfigured ?? false,
    settings: { ...DEFAULT_PROVIDER_RETRY, maxRetries: input.maxRetries },
    nowMs: input.nowMs ?? 0,
    random: 0.5,
  });
}

/** The ledger after a decision that retries (fails the test on one that does not). */
function after(decision: ReturnType<typeof decideTransientRetry>): RetryLedger {
  if (!decision.retry) throw new Error(`expected a retry, got ${decision.why}`);
  return decision.ledger;
}

Deno.test("isTransient() retries rate limits, overloads, server errors and timeouts, nothing else", () => {
  for (const reason of ["rate_limit", "overloaded", "server_error", "timeout"] as const) {
    assert.equal(isTransient(reason), true, reason);
  }
  for (const reason of ["auth", "billing", "model_not_found", undefined] as const) {
    assert.equal(isTransient(reason), false, String(reason));
  }
});

Deno.test("transientRetryDelayMs() doubles from 1 s to a 30 s cap, jittered by ±50 %", () => {
  const base = [1, 2, 3, 4, 5, 6, 7, 8].map((n) => transientRetryDelayMs({ retryNumber: n, random: 0.5 }));
  assert.deepEqual(base, [1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
  assert.equal(transientRetryDelayMs({ retryNumber: 1, random: 0 }), 500);
  assert.equal(transientRetryDelayMs({ retryNumber: 3, random: 0.999 }), 5996);
  // The jitter never takes a delay past the cap.
  assert.equal(transientRetryDelayMs({ retryNumber: 5, random: 0.999 }), 23984);
  assert.equal(transientRetryDelayMs({ retryNumber: 6, random: 0.999 }), 30000);
});

Deno.test("transientRetryDelayMs() waits at least the provider's retry-after, and not past the 90 s window", () => {
  assert.equal(transientRetryDelayMs({ retryNumber: 1, random: 0, retryAfterMs: 1000 }), 1000);
  assert.equal(transientRetryDelayMs({ retryNumber: 1, random: 0.5, retryAfterMs: 120_000 }), 120_000);
  assert.equal(transientRetryDelayMs({ retryNumber: 1, random: 0.5, retryAfterMs: Infinity }), undefined);
  // 62 s into the window, a 30 s delay would end past it; a 16 s one still fits.
  assert.equal(transientRetryDelayMs({ retryNumber: 6, random: 0.5, elapsedMs: 62_000 }), undefined);
  assert.equal(transientRetryDelayMs({ retryNumber: 5, random: 0.5, elapsedMs: 62_000 }), 16000);
  assert.equal(transientRetryDelayMs({ retryNumber: 1, random: 0.5, elapsedMs: 90_000 }), undefined);
});

Deno.test("decideTransientRetry() retries a 5xx-class failure 8 times, then its budget is spent", () => {
  let ledger = FRESH_LEDGER;
  const delays: number[] = [];
  for (let n = 1; n <= 5; n++) {
    const decision = decide(ledger, { reason: "overloaded", nowMs: delays.reduce((a, b) => a + b, 0) });
    assert.ok(decision.retry, `retry ${n}`);
    assert.deepEqual([decision.retry.retryAttempt, decision.retry.maxRetries], [n, 8]);
    delays.push(decision.retry.delayMs);
    ledger = after(decision);
  }
  assert.deepEqual(delays, [1000, 2000, 4000, 8000, 16000]);
  // 31 s in, the sixth (30 s) still fits the 90 s window; at 61 s the seventh does not.
  const sixth = decide(ledger, { reason: "overloaded", nowMs: 31_000 });
  assert.equal(sixth.retry?.delayMs, 30000);
  assert.deepEqual(decide(after(sixth), { reason: "overloaded", nowMs: 61_000 }), {
    retry: undefined,
    why: "retry_delay_unavailable",
  });
  assert.deepEqual(decide({ count: 8, windowStartMs: 0, rateLimitSeen: false }, { reason: "timeout" }), {
    retry: undefined,
    why: "retry_budget_exhausted",
  });
});

Deno.test("decideTransientRetry() gives a rate limit 9 retries without a window, and caps others at 9 after one", () => {
  const limited = decide({ count: 8, rateLimitSeen: false }, { reason: "rate_limit", nowMs: 500_000 });
  assert.deepEqual(limited.retry, { retryAttempt: 9, maxRetries: 9, delayMs: 30000, reason: "rate_limit" });
  assert.equal(decide({ count: 9, rateLimitSeen: true }, { reason: "rate_limit" }).retry, undefined);
  // Settings asking more are capped at 9 once the model was rate limited.
  assert.equal(decide(FRESH_LEDGER, { reason: "server_error", maxRetries: 20 }).retry?.maxRetries, 20);
  assert.equal(
    decide({ count: 0, rateLimitSeen: true }, { reason: "server_error", maxRetries: 20 }).retry?.maxRetries,
    9,
  );
});

Deno.test("decideTransientRetry() follows the agent's maxRetries, 0 meaning no retry", () => {
  assert.equal(decide(FRESH_LEDGER, { reason: "overloaded", maxRetries: 1 }).retry?.maxRetries, 1);
  assert.deepEqual(decide({ count: 1, rateLimitSeen: false }, { reason: "overloaded", maxRetries: 1 }), {
    retry: undefined,
    why: "retry_budget_exhausted",
  });
  assert.deepEqual(decide(FRESH_LEDGER, { reason: "rate_limit", maxRetries: 0 }), {
    retry: undefined,
    why: "retry_budget_exhausted",
  });
});

Deno.test("decideTransientRetry() fails a rate limit over at once when its wait passes the cap and a fallback exists", () => {
  assert.deepEqual(decide(FRESH_LEDGER, { reason: "rate_limit", retryAfterMs: 120_000, fallbackConfigured: true }), {
    retry: undefined,
    why: "retry_delay_exceeds_cap",
  });
  // Without a fallback it waits as asked, when the provider's words do not name a long window (below).
  assert.equal(decide(FRESH_LEDGER, { reason: "rate_limit", retryAfterMs: 120_000 }).retry?.delayMs, 120_000);
  assert.equal(
    decide(FRESH_LEDGER, { reason: "rate_limit", retryAfterMs: 1000, fallbackConfigured: true }).retry?.delayMs,
    1000,
  );
});

Deno.test("decideTransientRetry() never retries a rate limit whose words name a long window, fallback or not", () => {
  for (
    const detail of [
      "429 Rate limit reached; Retry-After: 120 seconds",
      "429 Rate limit reached. Please try again in 20m.",
      "429 You exceeded your current quota, please check your plan and billing details.",
      "429 Daily usage limit exceeded",
    ]
  ) {
    for (const fallbackConfigured of [false, true]) {
      assert.deepEqual(
        decide(FRESH_LEDGER, { reason: "rate_limit", retryAfterMs: 1000, detail, fallbackConfigured }),
        { retry: undefined, why: "long_window_rate_limit" },
        detail,
      );
    }
  }
  // A per-minute limit, a wait of a minute or less, and an overload without rate-limit words are retried.
  for (
    const [reason, detail] of [
      ["rate_limit", "429 Rate limit reached; Retry-After: 1 seconds"],
      ["rate_limit", "429 Rate limit of 50,000 tokens per minute (daily plan) reached"],
      ["rate_limit", "429 Rate limit reached. Please try again in 60s."],
      ["overloaded", "503 Service Unavailable; monthly maintenance"],
    ] as const
  ) {
    assert.ok(decide(FRESH_LEDGER, { reason, detail }).retry, detail);
  }
  // An overload in a quota's words is a rate limit's context: not retried.
  assert.equal(decide(FRESH_LEDGER, { reason: "overloaded", detail: "503 quota exceeded for today" }).retry, undefined);
});

Deno.test("isLongWindowRateLimit() reads the provider's wait and words as the reference's window classes them", () => {
  assert.equal(isLongWindowRateLimit(undefined, 0), false);
  assert.equal(isLongWindowRateLimit("429 Too Many Requests", 0), false);
  assert.equal(isLongWindowRateLimit("429 retry after a while", 0), true, "an unreadable wait");
  assert.equal(isLongWindowRateLimit("429 retry after a while (rpm)", 0), false);
  assert.equal(isLongWindowRateLimit("429 weekly limit reached", 0), true);
  assert.equal(isLongWindowRateLimit("429 Retry-After: 61 seconds", 0), true);
});

Deno.test("decideTransientRetry() never retries what is not transient", () => {
  for (const reason of ["auth", "billing", "model_not_found", undefined] as const) {
    assert.deepEqual(decide(FRESH_LEDGER, { reason }), { retry: undefined, why: "non_transient" });
  }
});

Deno.test("decideTransientRetry() opens the window at the first failure and keeps it", () => {
  const first = decide(FRESH_LEDGER, { reason: "timeout", nowMs: 5000 });
  assert.deepEqual(after(first), { count: 1, windowStartMs: 5000, rateLimitSeen: false });
  const second = decide(after(first), { reason: "timeout", nowMs: 7000 });
  assert.deepEqual(after(second), { count: 2, windowStartMs: 5000, rateLimitSeen: false });
  const limited = decide(FRESH_LEDGER, { reason: "rate_limit", nowMs: 5000 });
  assert.equal(after(limited).rateLimitSeen, true);
});

Deno.test("retryingStatus() words a retry as the reference: seconds for an outage, attempts for a rate limit", () => {
  assert.deepEqual(retryingStatus({ retryAttempt: 1, maxRetries: 8, delayMs: 1100, reason: "server_error" }), {
    phase: "retrying",
    message: "Provider temporarily unavailable. Retrying in 2s (1/8).",
    retryAttempt: 1,
    maxRetries: 8,
    delayMs: 1100,
    attempt: 2,
    maxAttempts: 9,
    reason: "server_error",
  });
  assert.equal(
    retryingStatus({ retryAttempt: 1, maxRetries: 9, delayMs: 1196, reason: "rate_limit" }).message,
    "Retrying… 2/10",
  );
});

Deno.test("retryAfterMs() reads seconds or an HTTP date", () => {
  assert.equal(retryAfterMs("1", 0), 1000);
  assert.equal(retryAfterMs(" 2.5 ", 0), 2500);
  const now = Date.parse("2026-12-04T12:00:00Z");
  assert.equal(retryAfterMs("Fri, 04 Dec 2026 12:00:30 GMT", now), 30_000);
  assert.equal(retryAfterMs("Fri, 04 Dec 2026 11:00:00 GMT", now), 0);
  assert.equal(retryAfterMs("soon", now), undefined);
  assert.equal(retryAfterMs(undefined, now), undefined);
});

Deno.test("retryAfterTextMs() reads the reference's retry-after phrases in an error's words, the longest winning", () => {
  assert.equal(retryAfterTextMs("Rate limit reached. Please try again in 20s.", 0), 20_000);
  assert.equal(retryAfterTextMs("Rate limit reached. Please try again in 2.5s.", 0), 2500);
  assert.equal(retryAfterTextMs("try again in 1.5s", 0), 1500);
  assert.equal(retryAfterTextMs("Retry-After: 120 seconds", 0), 120_000);
  assert.equal(retryAfterTextMs("retry after 3", 0), 3000);
  assert.equal(retryAfterTextMs("try again in 250ms", 0), 250);
  assert.equal(retryAfterTextMs("Please try again in 20m.", 0), 1_200_000);
  assert.equal(retryAfterTextMs("retry after 2 hours", 0), 7_200_000);
  assert.equal(retryAfterTextMs("retry after Infinity", 0), Infinity);
  assert.equal(retryAfterTextMs("retry in 2s; try again in 5s", 0), 5000);
  // A unit it does not know, a word, or no phrase at all ask nothing.
  assert.equal(retryAfterTextMs("try again in 2 weeks", 0), undefined);
  assert.equal(retryAfterTextMs("Please try again in a moment.", 0), undefined);
  assert.equal(retryAfterTextMs("Rate limit reached", 0), undefined);
  const now = Date.parse("2026-12-04T12:00:00Z");
  assert.equal(retryAfterTextMs("Retry-After: Fri, 04 Dec 2026 12:00:30 GMT", now), 30_000);
});

Deno.test("providerRetryAfterMs() takes the longer of the retry-after header and the error's words", () => {
  assert.equal(providerRetryAfterMs("1", "Please try again in 2.5s.", 0), 2500);
  assert.equal(providerRetryAfterMs("4", "Please try again in 2.5s.", 0), 4000);
  assert.equal(providerRetryAfterMs(undefined, "try again in 1.5s", 0), 1500);
  assert.equal(providerRetryAfterMs("1", "Rate limit reached", 0), 1000);
  assert.equal(providerRetryAfterMs(undefined, "Rate limit reached", 0), undefined);
});
