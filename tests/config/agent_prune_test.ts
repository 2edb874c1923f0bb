import assert from "node:assert/strict";
import { pruneAgent } from "../../src/config/agent_prune.ts";

const paths = { stateDir: "/h/.openclaw", home: "/h" };

Deno.test("delete prunes the agent, its bindings, allowlists and owner references; the survivor keeps its workspace", () => {
  const tree = {
    gateway: { mode: "local" },
    agents: {
      ownership: "explicit",
      defaults: { systemAgent: { agentId: "work" }, heartbeat: { agentId: "work", every: "1h" } },
      entries: { main: { subagents: { allowAgents: ["work", "x"] } }, work: { workspace: "/ws" } },
    },
    bindings: [{ agentId: "work", match: { channel: "irc" } }, { agentId: "main", match: { channel: "slack" } }],
    tools: { agentToAgent: { allow: ["work"] } },
    talk: { agentId: "work" },
    hooks: { allowedAgentIds: ["work", "main"], mappings: [{ agentId: "work" }, { path: "/x" }] },
  };
  const result = pruneAgent(tree, "work", paths);
  assert.deepEqual(result.tree, {
    gateway: { mode: "local" },
    agents: {
      defaults: { heartbeat: { every: "1h" } },
      entries: { main: { subagents: { allowAgents: ["x"] }, workspace: "/h/.openclaw/workspace-main" } },
    },
    bindings: [{ agentId: "main", match: { channel: "slack" } }],
    tools: { agentToAgent: {} },
    hooks: { allowedAgentIds: ["main"], mappings: [{ path: "/x" }] },
  });
  assert.deepEqual(
    [result.removedBindings, result.removedAllow, result.clearedOwnerRefs],
    [1, 1, ["agents.defaults.heartbeat.agentId", "agents.defaults.systemAgent.agentId", "talk.agentId"]],
  );
});
