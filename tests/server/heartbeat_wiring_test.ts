import assert from "node:assert/strict";
import { agentsFromConfig } from "../../src/agent/agents_config.ts";
import { heartbeatModelRef } from "../../src/server/heartbeat_wiring.ts";

Deno.test("a heartbeat model the agent's model policy forbids is passed over for the agent's own, not refused", () => {
  const providers = { fake: { baseUrl: "http://127.0.0.1:9/v1", api: "openai-completions", models: ["a", "cheap"] } };
  // The legacy model map restricts (no marker): a heartbeat on fake/cheap ran into the run's override refusal
  // ('Model override "fake/cheap" is not allowed …') on every beat.
  const legacy = agentsFromConfig(
    {
      models: { providers },
      agents: { defaults: { model: { primary: "fake/a" }, models: { "fake/a": { alias: "main" } } } },
    } as never,
    "/nonexistent",
    "/home/test",
  );
  assert.equal(heartbeatModelRef(legacy, "main", "fake/cheap"), undefined);
  assert.deepEqual(heartbeatModelRef(legacy, "main", "fake/a"), { provider: "fake", model: "a" });
  const open = agentsFromConfig(
    {
      models: { providers },
      agents: { defaults: { model: { primary: "fake/a" } } },
    } as never,
    "/nonexistent",
    "/home/test",
  );
  assert.deepEqual(heartbeatModelRef(open, "main", "fake/cheap"), { provider: "fake", model: "cheap" });
  assert.equal(heartbeatModelRef(open, "main", undefined), undefined);
});
