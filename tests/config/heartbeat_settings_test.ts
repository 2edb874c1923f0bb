import assert from "node:assert/strict";
import {
  DEFAULT_HEARTBEAT_PROMPT,
  heartbeatAgentIds,
  heartbeatSettings,
  resolveHeartbeat,
} from "../../src/config/heartbeat_settings.ts";
import { parseDurationMs } from "../../src/config/duration_text.ts";

Deno.test("heartbeatSettings() without config: the reference's default heartbeat, every 30m to the owner", () => {
  assert.deepEqual(heartbeatSettings({}, "main"), {
    enabled: true,
    every: "30m",
    everyMs: 1_800_000,
    prompt: DEFAULT_HEARTBEAT_PROMPT,
    target: "owner",
    model: undefined,
    session: undefined,
    ackMaxChars: 300,
  });
});

Deno.test("heartbeatSettings() overlays the agent's own heartbeat on agents.defaults, from entries or list", () => {
  const config = {
    agents: {
      defaults: { heartbeat: { every: "15m", prompt: "Check in", target: "last", model: "fake/m1" } },
      entries: { ops: { heartbeat: { target: "none", session: "agent:ops:main" } }, main: {} },
    },
  } as Record<string, unknown>;
  const ops = heartbeatSettings(config, "ops");
  assert.deepEqual([ops.prompt, ops.target, ops.model, ops.session], ["Check in", "none", "fake/m1", "agent:ops:main"]);
  assert.deepEqual([ops.enabled, ops.every, ops.everyMs], [true, "15m", 900_000]);
  // An agent with a heartbeat block of its own makes it the only one that runs.
  assert.deepEqual([heartbeatSettings(config, "main").enabled, heartbeatSettings(config, "main").every], [
    false,
    "disabled",
  ]);
  const list = { agents: { list: [{ id: "dev", heartbeat: { prompt: "Dev check" } }] } } as Record<string, unknown>;
  assert.equal(heartbeatSettings(list, "dev").prompt, "Dev check");
});

Deno.test("heartbeat enrollment: own blocks, then defaults.agentId, then all agents with defaults, then the owner", () => {
  const two = { main: { default: true }, ops: {} };
  assert.deepEqual(heartbeatAgentIds({ agents: { entries: two } } as never), ["main"]);
  assert.deepEqual(heartbeatAgentIds({ agents: { entries: { a: {}, b: {} } } } as never), []);
  assert.deepEqual(heartbeatAgentIds({ agents: { defaults: { heartbeat: {} }, entries: two } } as never), [
    "main",
    "ops",
  ]);
  assert.deepEqual(
    heartbeatAgentIds({ agents: { defaults: { heartbeat: { agentId: "ops" } }, entries: two } } as never),
    ["ops"],
  );
});

Deno.test("every: 0m disables the cadence; a bare number is minutes; timeouts follow the interval", () => {
  const off = resolveHeartbeat({ agents: { defaults: { heartbeat: { every: "0m" } } } } as never, "main");
  assert.deepEqual([off.enabled, off.every, off.everyMs], [false, "disabled", null]);
  const bare = resolveHeartbeat({ agents: { defaults: { heartbeat: { every: "5" } } } } as never, "main");
  assert.equal(bare.everyMs, 300_000);
  assert.equal(bare.timeoutSeconds, 300);
  assert.equal(resolveHeartbeat({}, "main").timeoutSeconds, 600);
  assert.equal(parseDurationMs("1h30m", "m"), 5_400_000);
  assert.equal(parseDurationMs("1h x", "m"), undefined);
});
