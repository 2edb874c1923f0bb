import assert from "node:assert/strict";
import { agentsFromConfig } from "../../src/agent/agents_config.ts";
import { configuredRunTimeoutSeconds, DEFAULT_RUN_TIMEOUT_SECONDS } from "../../src/config/run_timeout.ts";

Deno.test("agents.defaults.timeoutSeconds: whole seconds ≥ 0 as written, else 48 hours", () => {
  assert.equal(DEFAULT_RUN_TIMEOUT_SECONDS, 172_800);
  const cases: [unknown, number][] = [[undefined, 172_800], [0, 0], [90, 90], [90.7, 90], [-1, 172_800], [
    "90",
    172_800,
  ]];
  for (const [written, expected] of cases) {
    assert.equal(configuredRunTimeoutSeconds(written), expected, String(written));
  }
  const agents = agentsFromConfig({ agents: { defaults: { timeoutSeconds: 45 } } } as never, "/state", "/home/u");
  assert.equal(agents.runTimeoutSeconds, 45);
});
