import assert from "node:assert/strict";
import type { ExecAsk, ExecSecurity } from "../../src/agent/exec_approvals_file.ts";
import { askVerdict, hostPolicy, policyVerdict, requestedPolicy } from "../../src/agent/exec_policy.ts";

const hit = { analysisOk: true, satisfied: true };
const miss = { analysisOk: true, satisfied: false };
const unparsable = { analysisOk: false, satisfied: false };

// security × ask × allowlist → verdict, as the reference's requiresExecApproval and its allowlist gate decide.
const TABLE: [ExecSecurity, ExecAsk, typeof hit, "allowed" | "ask" | "refused"][] = [
  ["deny", "off", hit, "refused"],
  ["deny", "on-miss", miss, "refused"],
  ["deny", "always", hit, "refused"],
  ["allowlist", "off", hit, "allowed"],
  ["allowlist", "off", miss, "refused"],
  ["allowlist", "off", unparsable, "refused"],
  ["allowlist", "on-miss", hit, "allowed"],
  ["allowlist", "on-miss", miss, "ask"],
  ["allowlist", "on-miss", unparsable, "ask"],
  ["allowlist", "always", hit, "ask"],
  ["allowlist", "always", miss, "ask"],
  ["full", "off", miss, "allowed"],
  ["full", "off", unparsable, "allowed"],
  ["full", "on-miss", miss, "allowed"],
  ["full", "always", hit, "ask"],
];

Deno.test("policy verdicts: security × ask × allowlist hit/miss", () => {
  for (const [security, ask, allowlist, expected] of TABLE) {
    const verdict = policyVerdict({ security, ask, askFallback: "deny" }, allowlist);
    assert.equal(verdict.kind, expected, `${security}/${ask}/${JSON.stringify(allowlist)}`);
  }
});

Deno.test("refusals carry the reference's failure signatures", () => {
  assert.deepEqual(policyVerdict({ security: "deny", ask: "off", askFallback: "deny" }, hit), {
    kind: "refused",
    reason: "exec denied: host=gateway security=deny",
  });
  assert.deepEqual(policyVerdict({ security: "allowlist", ask: "off", askFallback: "deny" }, miss), {
    kind: "refused",
    reason: "exec denied: allowlist miss",
  });
});

Deno.test("ask=always offers no allow-always; on-miss offers all three", () => {
  const always = policyVerdict({ security: "full", ask: "always", askFallback: "deny" }, hit);
  assert.deepEqual(always.kind === "ask" && always.allowedDecisions, ["allow-once", "deny"]);
  const onMiss = policyVerdict({ security: "allowlist", ask: "on-miss", askFallback: "deny" }, miss);
  assert.deepEqual(onMiss.kind === "ask" && onMiss.allowedDecisions, ["allow-once", "allow-always", "deny"]);
});

Deno.test("the stricter of requested tools.exec and the host document wins", () => {
  const host = { security: "full", ask: "off", askFallback: "full", autoAllowSkills: false } as const;
  assert.deepEqual(hostPolicy(undefined, host), { security: "full", ask: "off", askFallback: "full" });
  assert.deepEqual(hostPolicy({ mode: "ask" }, host), {
    security: "allowlist",
    ask: "on-miss",
    askFallback: "allowlist",
  });
  assert.deepEqual(hostPolicy({ security: "deny" }, host).security, "deny");
  const strictHost = { security: "allowlist", ask: "always", askFallback: "deny", autoAllowSkills: false } as const;
  assert.deepEqual(hostPolicy({ mode: "full" }, strictHost), {
    security: "allowlist",
    ask: "always",
    askFallback: "deny",
  });
  assert.deepEqual(requestedPolicy({ mode: "deny" }), { security: "deny", ask: "off" });
  // Nothing configured anywhere: this gateway's safer default (the reference runs full/off).
  assert.deepEqual(requestedPolicy(undefined), { security: "allowlist", ask: "on-miss" });
  // A host document that sets a knob decides it alone (the requested side inherits, as the reference).
  assert.deepEqual(requestedPolicy(undefined, { security: true, ask: true }), { security: "full", ask: "off" });
  assert.deepEqual(requestedPolicy({ security: "full", ask: "off" }), { security: "full", ask: "off" });
  // A call's own ask only hardens.
  assert.equal(hostPolicy({ mode: "full" }, host, undefined, "always").ask, "always");
  assert.equal(hostPolicy({ mode: "ask" }, host, undefined, "off").ask, "on-miss");
});

Deno.test("after an ask: the decision, else askFallback (deny, allowlist, full)", () => {
  const policy = (askFallback: ExecSecurity) => ({
    security: "allowlist" as const,
    ask: "on-miss" as const,
    askFallback,
  });
  assert.deepEqual(askVerdict("deny", policy("full"), hit), { allowed: false, deniedReason: "user-denied" });
  assert.deepEqual(askVerdict("allow-once", policy("deny"), miss), { allowed: true, decision: "allow-once" });
  assert.deepEqual(askVerdict(undefined, policy("deny"), hit), { allowed: false, deniedReason: "approval-timeout" });
  assert.deepEqual(askVerdict(undefined, policy("full"), miss), { allowed: true, decision: "ask-fallback:full" });
  assert.deepEqual(askVerdict(undefined, policy("allowlist"), hit), {
    allowed: true,
    decision: "ask-fallback:allowlist",
  });
  assert.deepEqual(askVerdict(undefined, policy("allowlist"), miss), {
    allowed: false,
    deniedReason: "approval-timeout: allowlist-miss",
  });
});
