// `tools.catalog` and `tools.effective`: the tools this gateway's agents have, in the reference's
// shapes. The catalog lists every tool the families give an agent, by the reference's sections;
// the effective list is what a run of that agent is offered after tool policy.
import type { AgentSpec } from "../../agent/agents_config.ts";
import type { AgentTool } from "../../agent/tool.ts";
import { CORE_TOOL_SECTIONS, coreTool, TOOL_PROFILES } from "../../agent/tool_groups.ts";
import { toolLabel } from "../../agent/tool_display.ts";
import { toolSummary } from "../../agent/tool_summary.ts";
import { agentOfKey } from "../../sessions/store.ts";
import { RpcError } from "../errors.ts";
import { type MethodTable, validated } from "../registry.ts";

/** What the tools methods read: the agents, an agent's tools before and after policy, and its profile. */
export interface ToolsMethodsDeps {
  agent(agentId: string | undefined): AgentSpec | undefined;
  /** Every tool the catalog's families give the agent. */
  catalog(agent: AgentSpec): Promise<AgentTool[]>;
  /** The tools its runs are offered (tool policy applied). */
  effective(agent: AgentSpec): Promise<AgentTool[]>;
  /** The `tools.profile` in force for the agent; undefined when none is set. */
  profile(agentId: string): string | undefined;
}

/** A configured MCP server's tool is `<server>__<tool>`. */
function mcpParts(name: string): { server: string; tool: string } | undefined {
  const at = name.indexOf("__");
  return at > 0 ? { server: name.slice(0, at), tool: name.slice(at + 2) } : undefined;
}

/** The first line of a description, as the lists summarize a tool. */
function summary(tool: AgentTool): string {
  return coreTool(tool.name)?.summary ?? tool.description.split("\n")[0]!.trim();
}

function label(tool: AgentTool): string {
  return tool.label && tool.label.toLowerCase() !== tool.name.toLowerCase() ? tool.label : toolLabel(tool.name);
}

function catalogGroups(tools: readonly AgentTool[]): Record<string, unknown>[] {
  const groups: Record<string, unknown>[] = [];
  for (const section of CORE_TOOL_SECTIONS) {
    const own = tools.filter((tool) => coreTool(tool.name)?.section === section);
    if (own.length === 0) continue;
    groups.push({
      id: section.id,
      label: section.label,
      source: "core",
      tools: own.map((tool) => ({
        id: tool.name,
        label: tool.name,
        description: summary(tool),
        source: "core",
        defaultProfiles: [...coreTool(tool.name)!.profiles],
      })),
    });
  }
  // Tools outside the reference's table (configured MCP servers): the plugin group it shows them in.
  const others = tools.filter((tool) => !coreTool(tool.name)).sort((a, b) => a.name.localeCompare(b.name));
  if (others.length > 0) {
    groups.push({
      id: "plugin:bundle-mcp",
      label: "bundle-mcp",
      source: "plugin",
      pluginId: "bundle-mcp",
      tools: others.map((tool) => ({
        id: tool.name,
        label: tool.label ?? tool.name,
        description: summary(tool),
        fullDescription: tool.description,
        source: "plugin",
        pluginId: "bundle-mcp",
        defaultProfiles: [],
      })),
    });
  }
  return groups;
}

/** Tools the reference's `tools.effective` lists as a plugin's: its memory tools come from its memory-core plugin. */
const PLUGIN_OF: Readonly<Record<string, string>> = { "memory_search": "memory-core", "memory_get": "memory-core" };

function effectiveEntry(tool: AgentTool): Record<string, unknown> {
  const mcp = mcpParts(tool.name);
  const pluginId = PLUGIN_OF[tool.name];
  return {
    id: tool.name,
    label: label(tool),
    description: toolSummary(tool),
    rawDescription: tool.description,
    source: mcp ? "mcp" : pluginId ? "plugin" : "core",
    ...(mcp ? { mcpServer: mcp.server, mcpToolName: mcp.tool } : {}),
    ...(pluginId ? { pluginId } : {}),
  };
}

const EFFECTIVE_GROUPS = [
  ["core", "Built-in tools"],
  ["plugin", "Connected tools"],
  ["mcp", "MCP server tools"],
] as const;

function effectiveGroups(tools: readonly AgentTool[]): Record<string, unknown>[] {
  const entries = tools.map(effectiveEntry).sort((a, b) => String(a.label).localeCompare(String(b.label)));
  const groups: Record<string, unknown>[] = [];
  for (const [source, groupLabel] of EFFECTIVE_GROUPS) {
    const own = entries.filter((entry) => entry.source === source);
    if (own.length > 0) groups.push({ id: source, label: groupLabel, source, tools: own });
  }
  return groups;
}

/** `tools.catalog` and `tools.effective`. */
export function toolsMethods(deps: ToolsMethodsDeps): MethodTable {
  const agentOf = (agentId: string | undefined) => {
    const agent = deps.agent(agentId);
    if (!agent) throw new RpcError("INVALID_REQUEST", `unknown agent id "${agentId}"`);
    return agent;
  };
  return {
    "tools.catalog": validated("operator.read", "validateToolsCatalogParams", async ({ params }) => {
      const agent = agentOf(params.agentId);
      const tools = await deps.catalog(agent);
      const shown = params.includePlugins === false ? tools.filter((tool) => coreTool(tool.name)) : tools;
      return { agentId: agent.id, profiles: TOOL_PROFILES.map((p) => ({ ...p })), groups: catalogGroups(shown) };
    }),
    "tools.effective": validated("operator.read", "validateToolsEffectiveParams", async ({ params }) => {
      const keyAgent = params.sessionKey.startsWith("agent:") ? agentOfKey(params.sessionKey) : undefined;
      const agent = agentOf(params.agentId ?? keyAgent);
      const tools = await deps.effective(agent);
      return { agentId: agent.id, profile: deps.profile(agent.id) ?? "full", groups: effectiveGroups(tools) };
    }),
  };
}
