import assert from "node:assert/strict";
import { agentsFromConfig } from "../../../src/agent/agents_config.ts";
import type { AgentTool } from "../../../src/agent/tool.ts";
import { toolsMethods } from "../../../src/rpc/methods/tools.ts";
import { payloadOf } from "../../support/method_call.ts";

const tool = (name: string, description = `${name}. More words.`, label?: string): AgentTool => ({
  name,
  ...(label ? { label } : {}),
  description,
  parameters: { type: "object", properties: {} },
  execute: () => Promise.resolve({ content: [] }),
});

function table() {
  const agents = agentsFromConfig({ agents: { list: [{ id: "main" }, { id: "ops" }] } } as never, "/s", "/home/test");
  const all = [
    tool("read"),
    tool("sessions_list", "List sessions.", "Sessions"),
    tool("docs__search", "Search docs.\nMore."),
  ];
  return toolsMethods({
    agent: (id) => agents.agents.find((a) => a.id === (id ?? agents.defaultAgentId)),
    catalog: () => Promise.resolve(all),
    effective: (agent) => Promise.resolve(agent.id === "ops" ? all.slice(1) : all),
    profile: (id) => id === "ops" ? "messaging" : undefined,
  });
}

Deno.test("tools.catalog: the agent's tools by the reference's sections, MCP tools as the bundle-mcp plugin group", async () => {
  const catalog = await payloadOf(table(), "tools.catalog", {}) as {
    agentId: string;
    profiles: { id: string; label: string }[];
    groups: { id: string; source: string; tools: { id: string; description: string; defaultProfiles: string[] }[] }[];
  };
  assert.equal(catalog.agentId, "main");
  assert.deepEqual(catalog.profiles.map((p) => p.label), ["Minimal", "Coding", "Messaging", "Full"]);
  assert.deepEqual(catalog.groups.map((g) => [g.id, g.source, g.tools.map((t) => t.id)]), [
    ["fs", "core", ["read"]],
    ["sessions", "core", ["sessions_list"]],
    ["plugin:bundle-mcp", "plugin", ["docs__search"]],
  ]);
  assert.deepEqual(catalog.groups[0]!.tools[0]!.defaultProfiles, ["coding"]);
  assert.equal(catalog.groups[0]!.tools[0]!.description, "Read file contents");
  const core = await payloadOf(table(), "tools.catalog", { agentId: "main", includePlugins: false }) as {
    groups: { id: string }[];
  };
  assert.deepEqual(core.groups.map((g) => g.id), ["fs", "sessions"]);
});

Deno.test("tools.effective: the session's agent, its profile (full when none), tools by source, sorted by label", async () => {
  const main = await payloadOf(table(), "tools.effective", { sessionKey: "agent:main:main" }) as {
    profile: string;
    groups: { id: string; label: string; tools: Record<string, unknown>[] }[];
  };
  assert.equal(main.profile, "full");
  assert.deepEqual(main.groups.map((g) => [g.id, g.label, g.tools.map((t) => [t.id, t.label])]), [
    ["core", "Built-in tools", [["read", "Read"], ["sessions_list", "Sessions"]]],
    ["mcp", "MCP server tools", [["docs__search", "Docs Search"]]],
  ]);
  assert.deepEqual(main.groups[1]!.tools[0], {
    id: "docs__search",
    label: "Docs Search",
    description: "Search docs.",
    rawDescription: "Search docs.\nMore.",
    source: "mcp",
    mcpServer: "docs",
    mcpToolName: "search",
  });
  const ops = await payloadOf(table(), "tools.effective", { sessionKey: "agent:ops:main" }) as {
    agentId: string;
    profile: string;
  };
  assert.deepEqual([ops.agentId, ops.profile], ["ops", "messaging"]);
  await assert.rejects(payloadOf(table(), "tools.effective", { sessionKey: "agent:nobody:main" }), /unknown agent id/);
});
