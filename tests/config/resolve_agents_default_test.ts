import assert from "node:assert/strict";
import { resolveAgents } from "../../src/config/resolve_agents.ts";

Deno.test("resolveAgents(): an explicitly owned roster's default agent is agents.defaults.systemAgent.agentId", () => {
  const entries = { main: {}, work: {} };
  const explicit = { ownership: "explicit", defaults: { systemAgent: { agentId: "work" } }, entries };
  assert.equal(resolveAgents({ agents: explicit }, "/state", "/home/test").defaultAgentId, "work");
  // Without explicit ownership the recorded system agent does not pick the default (as before).
  const { ownership: _, ...implicit } = explicit;
  assert.equal(resolveAgents({ agents: implicit }, "/state", "/home/test").defaultAgentId, "main");
});
