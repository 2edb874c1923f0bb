import assert from "node:assert/strict";
import { agentsFromConfig } from "../../src/agent/agents_config.ts";
import { heartbeatContextFilter, heartbeatModelRef } from "../../src/server/heartbeat_wiring.ts";
import type { ConfigSnapshot } from "../../src/config/load.ts";
import type { TranscriptMessage } from "../../src/sessions/transcript.ts";

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

Deno.test("the context filter drops an agent's quiet heartbeat turns, and reads no config for a turn with no history", () => {
  const prompt = "Check the queue. If nothing needs attention, reply NO_REPLY.";
  let reads = 0;
  const filter = heartbeatContextFilter(() => {
    reads += 1;
    return { config: { agents: { defaults: { heartbeat: { every: "30m", prompt } } } } } as unknown as ConfigSnapshot;
  });
  const none: TranscriptMessage[] = [];
  assert.equal(filter("main", none), none);
  assert.equal(reads, 0, "an empty history is returned as it is, before the heartbeat's settings are resolved");
  const text = (role: "user" | "assistant", value: string) =>
    ({ role, content: [{ type: "text", text: value }], timestamp: 1 }) as TranscriptMessage;
  const chat = [text("user", "hello"), text("assistant", "hi")];
  assert.deepEqual(filter("main", [text("user", prompt), text("assistant", "NO_REPLY"), ...chat]), chat);
  assert.equal(reads, 1);
});
