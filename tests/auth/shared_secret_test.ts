import assert from "node:assert/strict";
import { authFailureMessage, checkSharedSecret } from "../../src/auth/shared_secret.ts";
import { safeEqualSecret } from "../../src/auth/secret_compare.ts";
import { AuthRateLimiter } from "../../src/auth/rate_limit.ts";
import { isWeakSecret } from "../../src/auth/weak_secret.ts";

Deno.test("safeEqualSecret() needs equal content and length", () => {
  assert.equal(safeEqualSecret("abc", "abc"), true);
  assert.equal(safeEqualSecret("abc", "abd"), false);
  assert.equal(safeEqualSecret("abc", "abcd"), false);
  assert.equal(safeEqualSecret(undefined, "abc"), false);
});

Deno.test("checkSharedSecret() accepts the token in either field", () => {
  const config = { mode: "token" as const, token: "tok-0123456789", password: undefined };
  assert.deepEqual(checkSharedSecret(config, { token: "tok-0123456789" }), { ok: true, method: "token" });
  assert.deepEqual(checkSharedSecret(config, { password: "tok-0123456789" }), { ok: true, method: "token" });
  assert.deepEqual(checkSharedSecret(config, { token: "nope" }), { ok: false, reason: "token_mismatch" });
  assert.deepEqual(checkSharedSecret(config, {}), { ok: false, reason: "token_missing" });
});

Deno.test("checkSharedSecret() checks passwords in password mode", () => {
  const config = { mode: "password" as const, token: undefined, password: "pw-0123456789" };
  assert.equal(checkSharedSecret(config, { password: "pw-0123456789" }).ok, true);
  assert.deepEqual(checkSharedSecret(config, { password: "x" }), { ok: false, reason: "password_mismatch" });
});

Deno.test("authFailureMessage() keeps the reference's unauthorized prefix", () => {
  assert.equal(
    authFailureMessage("token_mismatch"),
    "unauthorized: gateway token mismatch (use this gateway's gateway.auth.token or pair the device)",
  );
});

Deno.test("AuthRateLimiter locks a remote address out after maxAttempts failures", () => {
  let now = 1000;
  const limiter = new AuthRateLimiter(
    { maxAttempts: 3, windowMs: 60_000, lockoutMs: 30_000, exemptLoopback: true },
    () => now,
  );
  for (let i = 0; i < 3; i++) limiter.recordFailure("shared-secret", "203.0.113.9");
  const verdict = limiter.check("shared-secret", "203.0.113.9");
  assert.deepEqual(verdict, { allowed: false, retryAfterMs: 30_000 });
  now += 30_001;
  assert.deepEqual(limiter.check("shared-secret", "203.0.113.9"), { allowed: true });
});

Deno.test("AuthRateLimiter backs exempt loopback callers off rather than locking them out", () => {
  let now = 1_000_000;
  const limiter = new AuthRateLimiter(
    { maxAttempts: 2, windowMs: 60_000, lockoutMs: 30_000, exemptLoopback: true },
    () => now,
  );
  const delays = [1, 2, 3, 4, 5, 6, 7].map(() => {
    const delay = limiter.recordFailure("shared-secret", "127.0.0.1");
    // Until the backoff has passed, nothing from this address is even checked (parallel guesses
    // get "rate limited"); once it has, the next attempt may go on: no lockout.
    assert.deepEqual(limiter.check("shared-secret", "127.0.0.1"), { allowed: false, retryAfterMs: delay - 10 });
    now += delay;
    assert.deepEqual(limiter.check("shared-secret", "127.0.0.1"), { allowed: true });
    return delay;
  });
  assert.deepEqual(delays, [250, 500, 1000, 2000, 4000, 5000, 5000]);
  // Another loopback address has its own budget; a browser-origin attempt is never exempt.
  assert.deepEqual(limiter.check("shared-secret", "::1"), { allowed: true });
  assert.equal(limiter.recordFailure("shared-secret", "::1", { browser: true }), 0);
  limiter.recordFailure("shared-secret", "::1", { browser: true });
  assert.deepEqual(limiter.check("shared-secret", "::1", { browser: true }), { allowed: false, retryAfterMs: 30_000 });
});

Deno.test("isWeakSecret() catches blanks and published placeholders", () => {
  assert.equal(isWeakSecret(" ", "token"), true);
  assert.equal(isWeakSecret("change-me-now", "token"), true);
  assert.equal(isWeakSecret("d9f1c0a2b7e4", "token"), false);
});
