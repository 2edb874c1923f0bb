import assert from "node:assert/strict";
import { agentsFromConfig } from "../../src/agent/agents_config.ts";
import type { HeartbeatOutcome } from "../../src/automation/heartbeat_control.ts";
import { HeartbeatState } from "../../src/server/heartbeat.ts";

function heartbeatWith(config: Record<string, unknown>): HeartbeatOutcome {
  const emitted: HeartbeatOutcome[] = [];
  const agents = agentsFromConfig(config as never, "/s");
  new HeartbeatState({ emit: (o) => emitted.push(o), agents: () => agents }).run();
  assert.equal(emitted.length, 1);
  return emitted[0]!;
}

Deno.test("a heartbeat with a configured agent never says no agent is configured", () => {
  const outcome = heartbeatWith({
    models: { providers: { local: { baseUrl: "http://127.0.0.1:1/v1" } } },
    agents: { defaults: { model: { primary: "local/llama3" } } },
  });
  assert.equal(outcome.status, "skipped");
  assert.equal(outcome.reason, "not-supported");
  assert.doesNotMatch(outcome.message ?? "", /no agent/i);
  assert.match(outcome.message ?? "", /Agent main is configured \(local\/llama3\)/);
});

Deno.test("a heartbeat without a model names the missing setting", () => {
  const outcome = heartbeatWith({});
  assert.equal(outcome.reason, "no-model");
  assert.match(outcome.message ?? "", /agents\.defaults\.model\.primary/);
});
