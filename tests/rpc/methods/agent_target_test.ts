import assert from "node:assert/strict";
import { agentsFromConfig } from "../../../src/agent/agents_config.ts";
import { RpcError } from "../../../src/rpc/errors.ts";
import { modelRunDiscardsSession, targetOf } from "../../../src/rpc/methods/agent.ts";

const agents = agentsFromConfig(
  { agents: { list: [{ id: "main", default: true }, { id: "ops" }] } },
  "/tmp/oc-agent-target-unused",
  "/home/test",
);

Deno.test("targetOf() qualifies a bare key with the agent named, else the default agent", () => {
  assert.deepEqual(targetOf(agents, { sessionKey: "main" }), { agentId: "main", sessionKey: "agent:main:main" });
  assert.deepEqual(targetOf(agents, { sessionKey: "Work" }), { agentId: "main", sessionKey: "agent:main:work" });
  assert.deepEqual(targetOf(agents, { sessionKey: "main", agentId: "ops" }), {
    agentId: "ops",
    sessionKey: "agent:ops:main",
  });
});

Deno.test("targetOf() takes an agent-scoped key's own agent, and the agent's main session without a key", () => {
  assert.deepEqual(targetOf(agents, { sessionKey: "agent:ops:work" }), {
    agentId: "ops",
    sessionKey: "agent:ops:work",
  });
  assert.deepEqual(targetOf(agents, { agentId: "ops" }), { agentId: "ops", sessionKey: "agent:ops:main" });
  assert.deepEqual(targetOf(agents, {}), { agentId: "main", sessionKey: "agent:main:main" });
});

Deno.test("targetOf() refuses an agentId that is not the agent-scoped key's, in the reference's words", () => {
  assert.throws(
    () => targetOf(agents, { sessionKey: "agent:main:work", agentId: "ops" }),
    (e: unknown) =>
      e instanceof RpcError && e.code === "INVALID_REQUEST" &&
      e.message === "Multiple agents are configured, but session agent resolution has no explicit owner. " +
          'The agent-scoped session key belongs to "main", not "ops".',
  );
});

Deno.test("targetOf() refuses an unknown agent", () => {
  assert.throws(
    () => targetOf(agents, { sessionKey: "main", agentId: "ghost" }),
    (e: unknown) => e instanceof RpcError && e.message === "Unknown agent 'ghost'.",
  );
});

Deno.test("an agent request's session goes at its run's end only for a model run on a one-shot model-run key", () => {
  const oneShot = "agent:main:explicit:model-run-3f1c2a";
  assert.equal(modelRunDiscardsSession({ modelRun: true }, oneShot), true);
  assert.equal(modelRunDiscardsSession({ modelRun: false }, oneShot), false);
  assert.equal(modelRunDiscardsSession({}, oneShot), false);
  // A model run asked on a session the user keeps never removes it.
  assert.equal(modelRunDiscardsSession({ modelRun: true }, "agent:main:main"), false);
  assert.equal(modelRunDiscardsSession({ modelRun: true }, "agent:main:explicit:notes"), false);
  assert.equal(modelRunDiscardsSession({ modelRun: true }, "agent:main:telegram:direct:42"), false);
});
