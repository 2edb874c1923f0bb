// Every family of tools the gateway offers its agents. A new family is one line here; the loop
// and `/tools/invoke` see the union, filtered by tool policy.
import { messagingTools } from "./message_tool.ts";
import { memoryTools } from "./memory/memory_tools.ts";
import { mcpToolFamily } from "./mcp_tools.ts";
import { sessionTools } from "./session_tools.ts";
import { execTools } from "./exec_tools.ts";
import { fileToolsFamily } from "./tools_files.ts";
import { patchToolsFamily } from "./tools_patch.ts";
import { webFetchToolsFamily } from "./tools_web_fetch.ts";
import { sessionsSendTools } from "./sessions_send_tool.ts";
import { automationsTools } from "./cron_tool.ts";
import type { AgentSpec } from "./agents_config.ts";
import type { ResolvedConfig } from "../config/resolved.ts";
import type { AgentTool, ToolFamily, ToolHost } from "./tool.ts";
import { allowedTools } from "./tool_policy.ts";

/** The tool families, in the order their tools are offered. */
export const TOOL_FAMILIES: readonly ToolFamily[] = [
  sessionTools,
  execTools,
  fileToolsFamily,
  patchToolsFamily,
  webFetchToolsFamily,
  sessionsSendTools,
  messagingTools,
  memoryTools,
  mcpToolFamily,
  automationsTools,
];

/**
 * The tools of every family for one agent. A name two families both give is offered once, the
 * first family's: the model cannot tell two tools of one name apart.
 */
export async function catalogTools(
  host: ToolHost,
  agent: AgentSpec,
  families: readonly ToolFamily[] = TOOL_FAMILIES,
): Promise<AgentTool[]> {
  return firstOfEachName(await Promise.all(families.map((family) => family(host, agent))));
}

/** The families' tools in order, a name two of them give only once: the first's. */
export function firstOfEachName(lists: readonly AgentTool[][]): AgentTool[] {
  const byName = new Map<string, AgentTool>();
  for (const tool of lists.flat()) if (!byName.has(tool.name)) byName.set(tool.name, tool);
  return [...byName.values()];
}

/** The tools the tool policy of `config` lets agent `agentId` use, in order. */
export function policyAllowedTools(tools: AgentTool[], config: ResolvedConfig, agentId: string): AgentTool[] {
  // A host lent by a test or a partial config may carry no policy: then nothing is filtered.
  return allowedTools(tools, config.toolPolicy ?? { global: {}, agents: {} }, agentId);
}

/** The tools an agent's runs are offered: the catalog's, filtered by the tool policy in force. */
export async function agentTools(
  host: ToolHost,
  agent: AgentSpec,
  families: readonly ToolFamily[] = TOOL_FAMILIES,
): Promise<AgentTool[]> {
  return policyAllowedTools(await catalogTools(host, agent, families), host.config(), agent.id);
}
