import assert from "node:assert/strict";
import { bearerSecret, checkBearer } from "../../src/auth/http_bearer.ts";
import { AuthRateLimiter } from "../../src/auth/rate_limit.ts";

Deno.test("bearerSecret() reads the secret of a Bearer header, any case, trimmed", () => {
  assert.equal(bearerSecret("Bearer s3cret"), "s3cret");
  assert.equal(bearerSecret("bearer   s3cret  "), "s3cret");
  assert.equal(bearerSecret("BEARER s3cret"), "s3cret");
});

Deno.test("bearerSecret() answers undefined for no header, another scheme or no value", () => {
  assert.equal(bearerSecret(null), undefined);
  assert.equal(bearerSecret(undefined), undefined);
  assert.equal(bearerSecret("Basic dXNlcjpwYXNz"), undefined);
  assert.equal(bearerSecret("Bearer"), undefined);
  assert.equal(bearerSecret("Bearers3cret"), undefined);
});

Deno.test("checkBearer() accepts the token, refuses a wrong one with 401 and a missing one without counting it", () => {
  const limiter = new AuthRateLimiter({ maxAttempts: 2, windowMs: 60_000, lockoutMs: 60_000, exemptLoopback: false });
  const auth = { mode: "token" as const, token: "right", password: undefined };
  const check = (authorization: string | null) =>
    checkBearer({ authorization, remoteAddr: "203.0.113.9", auth, limiter });
  assert.deepEqual(check("Bearer right"), { ok: true });
  assert.equal(check(null).ok, false);
  assert.equal(check(null).ok, false);
  const wrong = check("Bearer wrong");
  assert.equal(wrong.ok === false && wrong.status, 401);
});
