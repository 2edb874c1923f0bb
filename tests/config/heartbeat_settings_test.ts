import assert from "node:assert/strict";
import { heartbeatSettings } from "../../src/config/heartbeat_settings.ts";

Deno.test("heartbeatSettings() without config: the reference's values for a heartbeat that does not run", () => {
  assert.deepEqual(heartbeatSettings({}, "main"), {
    enabled: false,
    every: "disabled",
    everyMs: null,
    prompt: "",
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
      entries: { ops: { heartbeat: { target: "none", session: "agent:ops:main" } } },
      list: [{ id: "dev", heartbeat: { prompt: "Dev check" } }],
    },
  } as Record<string, unknown>;
  const ops = heartbeatSettings(config, "ops");
  assert.deepEqual([ops.prompt, ops.target, ops.model, ops.session], ["Check in", "none", "fake/m1", "agent:ops:main"]);
  const dev = heartbeatSettings(config, "dev");
  assert.deepEqual([dev.prompt, dev.target], ["Dev check", "last"]);
  // Configured or not, no heartbeat runs here: the interval is never reported as active.
  assert.deepEqual([ops.enabled, ops.every, ops.everyMs], [false, "disabled", null]);
});
