import assert from "node:assert/strict";
import { effectivePolicy, type Snapshot } from "../../../src/cli/commands/approvals_report.ts";
import { SAFE_DEFAULT_SOURCE } from "../../../src/config/exec_policy_config.ts";

function snapshot(defaults: Record<string, unknown> = {}): Snapshot {
  return {
    path: "/s/state/openclaw.sqlite#exec_approvals_config",
    exists: true,
    hash: "h",
    file: { version: 1, defaults, agents: {} },
    resolvedDefaults: { security: "full", ask: "off", askFallback: "deny", autoAllowSkills: false },
  };
}

Deno.test("openclaw approvals get reports what authorize() enforces, the safer default included", () => {
  const bare = effectivePolicy(snapshot(), {}).scopes[0]!;
  assert.equal(bare.security.effective, "allowlist");
  assert.equal(bare.ask.effective, "on-miss");
  assert.equal(bare.security.requestedSource, SAFE_DEFAULT_SOURCE);
  assert.equal(bare.askFallback.effective, "deny");
  // The reference's behaviour, from tools.exec or from the policy row.
  const config = { tools: { exec: { security: "full", ask: "off" } } };
  const fromConfig = effectivePolicy(snapshot(), config).scopes[0]!;
  assert.deepEqual([fromConfig.security.effective, fromConfig.ask.effective], ["full", "off"]);
  assert.equal(fromConfig.security.requestedSource, "tools.exec.security");
  const fromRow = effectivePolicy(snapshot({ security: "full", ask: "off" }), {}).scopes[0]!;
  assert.deepEqual([fromRow.security.effective, fromRow.ask.effective], ["full", "off"]);
  // An agent's own tools.exec is read too.
  const perAgent = effectivePolicy(snapshot(), {
    ...config,
    agents: { list: [{ id: "main", tools: { exec: { ask: "always" } } }] },
  }).scopes[0]!;
  assert.equal(perAgent.ask.effective, "always");
});
