import assert from "node:assert/strict";
import {
  fallbackAttemptSummaries,
  fallbackReasonSummary,
  fallbackTransition,
  providerErrorForUi,
} from "../../src/agent/fallback_notice.ts";

const rdown = { provider: "fake", model: "rdown" };
const rback = { provider: "fake", model: "rback" };
const failed503 = { ...rdown, error: "503 Service Unavailable", reason: "overloaded", status: 503 };

Deno.test("providerErrorForUi(): a leading status reads as HTTP, a CDN's page as unavailable, the rest as it is", () => {
  assert.equal(providerErrorForUi("503 Service Unavailable"), "HTTP 503: Service Unavailable");
  assert.equal(
    providerErrorForUi("429 Rate limit reached; Retry-After: 1 seconds"),
    "HTTP 429: Rate limit reached; Retry-After: 1 seconds",
  );
  assert.equal(
    providerErrorForUi("522 <html>timeout</html>"),
    "The AI service is temporarily unavailable (HTTP 522). Please try again in a moment.",
  );
  assert.equal(providerErrorForUi("terminated"), "terminated");
  assert.equal(providerErrorForUi("  "), "LLM request failed with an unknown error.");
  assert.equal(providerErrorForUi("x".repeat(700)), `${"x".repeat(600)}…`);
});

Deno.test("fallback reasons: the provider's words for a transient failure, else the reason, else the status", () => {
  // As the reference's recorded notices (tests/fixtures/run_retries/ref.json).
  assert.equal(fallbackReasonSummary([failed503]), "HTTP 503: Service Unavailable");
  // A failure that is not transient says its reason; one without words or reason its status.
  assert.equal(fallbackReasonSummary([{ ...rdown, error: "401 bad key", reason: "auth", status: 401 }]), "auth");
  assert.equal(fallbackReasonSummary([{ ...rdown, status: 500 }]), "HTTP 500");
  assert.equal(
    fallbackReasonSummary([failed503, { ...rback, reason: "rate_limit" }]),
    "HTTP 503: Service Unavailable (+1 more attempts)",
  );
  assert.equal(fallbackReasonSummary([]), "selected model unavailable");
  const long = { ...rdown, error: `503 ${"busy ".repeat(40)}`, reason: "overloaded" };
  const [summary] = fallbackAttemptSummaries([long]);
  assert.equal(summary!.length, 80);
  assert.ok(summary!.startsWith("fake/rdown HTTP 503: busy") && summary!.endsWith("…"));
});

Deno.test("fallbackTransition(): moving onto a fallback is told once, with the reference's event and notice", () => {
  const first = fallbackTransition({ selected: rdown, active: rback, attempts: [failed503], state: undefined });
  assert.equal(first.notice, "↪️ Model Fallback: fake/rback (selected fake/rdown; HTTP 503: Service Unavailable)");
  assert.deepEqual(first.event, {
    phase: "fallback",
    selectedProvider: "fake",
    selectedModel: "rdown",
    activeProvider: "fake",
    activeModel: "rback",
    reasonSummary: "HTTP 503: Service Unavailable",
    attemptSummaries: ["fake/rdown HTTP 503: Service Unavailable"],
    attempts: [failed503],
  });
  const state = first.next!.state;
  assert.deepEqual(state, {
    kind: "active",
    selectedModel: "fake/rdown",
    activeModel: "fake/rback",
    reason: "HTTP 503: Service Unavailable",
  });
  // The same fallback on the next run: nothing told, nothing written.
  assert.deepEqual(fallbackTransition({ selected: rdown, active: rback, attempts: [failed503], state }), {});
  // The same fallback for another reason: the state's words change, nothing is told.
  const other = fallbackTransition({
    selected: rdown,
    active: rback,
    attempts: [{ ...rdown, reason: "auth" }],
    state,
  });
  assert.equal(other.event, undefined);
  assert.equal(other.next?.state?.reason, "auth");
});

Deno.test("fallbackTransition(): the selected model answering again clears the fallback, once", () => {
  const state = { kind: "active" as const, selectedModel: "fake/rdown", activeModel: "fake/rback", reason: "x" };
  const cleared = fallbackTransition({ selected: rdown, active: rdown, attempts: [], state });
  assert.equal(cleared.notice, "↪️ Model Fallback cleared: fake/rdown (was fake/rback)");
  assert.equal(cleared.event?.phase, "fallback_cleared");
  assert.equal(cleared.event?.previousActiveModel, "fake/rback");
  assert.deepEqual(cleared.next, { state: undefined });
  assert.deepEqual(fallbackTransition({ selected: rdown, active: rdown, attempts: [], state: undefined }), {});
  // A session whose selected model changed meanwhile (`/model`) while on a fallback: moving again is told.
  const moved = fallbackTransition({ selected: rback, active: rdown, attempts: [], state });
  assert.equal(moved.notice, "↪️ Model Fallback: fake/rdown (selected fake/rback; selected model unavailable)");
});
