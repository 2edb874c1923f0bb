import assert from "node:assert/strict";
import { availableCandidates, candidateChain, cooldownMs, failoverReason } from "../../src/agent/failover_policy.ts";

Deno.test("failoverReason(): rate limits, overload, timeouts, auth, billing and missing models fail over", () => {
  const upstream = (status: number) => failoverReason({ kind: "upstream", status });
  assert.equal(upstream(429), "rate_limit");
  assert.equal(upstream(529), "overloaded");
  assert.equal(upstream(503), "server_error");
  assert.equal(upstream(500), "server_error");
  assert.equal(upstream(502), "server_error");
  assert.equal(upstream(504), "timeout");
  assert.equal(upstream(408), "timeout");
  assert.equal(upstream(401), "auth");
  assert.equal(upstream(403), "auth");
  assert.equal(upstream(402), "billing");
  assert.equal(upstream(404), "model_not_found");
  assert.equal(failoverReason({ kind: "timeout" }), "timeout");
  assert.equal(failoverReason({ kind: "unreachable" }), "timeout");
});

Deno.test("failoverReason(): a 5xx whose error says the provider is overloaded is `overloaded`, as the reference's 503", () => {
  assert.equal(failoverReason({ kind: "upstream", status: 503, overloaded: true }), "overloaded");
  assert.equal(failoverReason({ kind: "upstream", status: 504, overloaded: true }), "overloaded");
  assert.equal(failoverReason({ kind: "upstream", status: 499, overloaded: true }), "overloaded");
  // Only a server-side status: a 429 saying so is still a rate limit, a 400 still ends the run.
  assert.equal(failoverReason({ kind: "upstream", status: 429, overloaded: true }), "rate_limit");
  assert.equal(failoverReason({ kind: "upstream", status: 400, overloaded: true }), undefined);
});

Deno.test("failoverReason(): a bad request, an abort or a gateway failure ends the run", () => {
  for (const status of [400, 413, 422]) assert.equal(failoverReason({ kind: "upstream", status }), undefined);
  assert.equal(failoverReason({ kind: "upstream" }), undefined);
  for (const kind of ["aborted", "storage", "internal", "unknown_model", "no_model", "model_failed"] as const) {
    assert.equal(failoverReason({ kind }), undefined, kind);
  }
});

Deno.test("cooldownMs(): 30 s, 1 min, then 5 min as the cap; billing ten minutes", () => {
  assert.deepEqual([1, 2, 3, 4, 9].map((n) => cooldownMs("rate_limit", n)), [
    30_000,
    60_000,
    300_000,
    300_000,
    300_000,
  ]);
  assert.equal(cooldownMs("auth", 1), 30_000);
  assert.equal(cooldownMs("billing", 1), 600_000);
  assert.equal(cooldownMs("overloaded", 0), 30_000);
});

Deno.test("candidateChain() puts the requested model first and tries each model once", () => {
  const a = { provider: "p", model: "a" };
  const b = { provider: "p", model: "b" };
  assert.deepEqual(candidateChain(a, [b, a, { ...b }]), [a, b]);
});

Deno.test("availableCandidates() skips models cooling down, and probes all when all are", () => {
  const a = { provider: "p", model: "a" };
  const b = { provider: "q", model: "b" };
  assert.deepEqual(availableCandidates([a, b], (r) => r.model === "a"), [b]);
  assert.deepEqual(availableCandidates([a, b], () => true), [a, b]);
});
