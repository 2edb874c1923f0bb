// The MCP tool family: the tools of the configured MCP servers, named and shaped as the
// reference's embedded runtime offers them to the model (`<server>__<tool>`).
import { assignSafeServerNames, mcpToolAllowed, mcpToolName } from "./mcp_names.ts";
import type { McpServerTools } from "./mcp_manager.ts";
import { projectMcpCallResult } from "./mcp_result.ts";
import type { AgentTool, ToolFamily } from "./tool.ts";
import { toolMatcher } from "./tool_policy.ts";
import type { McpServerSpec } from "../config/resolve_mcp.ts";

/** The tool group the reference files MCP tools under (`tools.deny: ["bundle-mcp"]` turns them all off). */
export const MCP_TOOL_GROUP = "bundle-mcp";

/** An input schema as the providers accept it: always an `object` schema with `properties`. */
function objectSchema(schema: Record<string, unknown>): Record<string, unknown> {
  const properties = typeof schema.properties === "object" && schema.properties !== null ? schema.properties : {};
  return { ...schema, type: "object", properties };
}

/**
 * Projects listed MCP tools into `AgentTool`s: filtered by each server's `toolFilter`, sorted by
 * server then tool, named `<safeServer>__<safeTool>` (unique, case-insensitively), labelled with
 * the tool's title, described by the server or by the reference's fallback sentence.
 */
export function projectMcpTools(
  servers: readonly McpServerTools[],
  declaredServerNames: readonly string[],
  warn: (message: string) => void = () => {},
): AgentTool[] {
  const safeNames = assignSafeServerNames(declaredServerNames);
  const entries = servers.flatMap((server) =>
    server.tools.filter((tool) => tool.name.trim() && mcpToolAllowed(server.spec.toolFilter, tool.name))
      .map((tool) => ({ server, tool, safeServer: safeNames.get(server.spec.name) ?? server.spec.name }))
  ).sort((a, b) =>
    a.safeServer.localeCompare(b.safeServer) || a.tool.name.localeCompare(b.tool.name) ||
    a.server.spec.name.localeCompare(b.server.spec.name)
  );
  const reserved = new Set<string>();
  const tools: AgentTool[] = [];
  for (const { server, tool, safeServer } of entries) {
    const name = mcpToolName(safeServer, tool.name.trim(), reserved);
    reserved.add(name.toLowerCase());
    const serverName = server.spec.name;
    if (name !== `${safeServer}__${tool.name.trim()}`) {
      warn(
        `bundle-mcp: tool "${tool.name}" from server "${serverName}" registered as "${name}" to keep the tool name provider-safe.`,
      );
    }
    tools.push({
      name,
      label: tool.title ?? tool.name,
      description: tool.description ||
        `Provided by bundle MCP server "${serverName}" (${server.spec.description}).`,
      parameters: objectSchema(tool.inputSchema),
      catalogOrigin: { mcp: { serverName, safeServerName: safeServer, toolName: tool.name } },
      execute: async (args, call) =>
        projectMcpCallResult(await server.call(tool.name, args, call.signal), {
          mcpServer: serverName,
          mcpTool: tool.name,
        }),
    });
  }
  return tools.sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * Whether a deny list turns a whole server off, as the reference decides it before connecting:
 * `bundle-mcp` or `group:plugins`, or a `*` pattern matching `<safeServer>__`.
 */
export function mcpServerDenied(deny: readonly string[], safeServerName: string): boolean {
  const wholeServer = deny.filter((entry) => {
    const lower = entry.trim().toLowerCase();
    return lower === MCP_TOOL_GROUP || lower === "group:plugins" || lower.endsWith("*");
  });
  return wholeServer.length > 0 && toolMatcher(wholeServer)(`${safeServerName}__`);
}

/** The configured MCP servers' tools, connecting each server on first need; none without `host.mcp`. */
export const mcpToolFamily: ToolFamily = async (host, agent) => {
  const config = host.config();
  const specs = config.mcp.servers;
  if (!host.mcp || !specs.some((spec) => spec.enabled && spec.launch)) return [];
  const declared = specs.filter((spec) => spec.enabled).map((spec) => spec.name);
  const safeNames = assignSafeServerNames(declared);
  const deny = [...(config.toolPolicy.global.deny ?? []), ...(config.toolPolicy.agents[agent.id]?.deny ?? [])];
  const skip = (spec: McpServerSpec) => mcpServerDenied(deny, safeNames.get(spec.name) ?? spec.name);
  const mcp = host.mcp;
  return projectMcpTools(await mcp.serverTools(specs, { skip }), declared, (message) => mcp.warnOnce(message));
};
