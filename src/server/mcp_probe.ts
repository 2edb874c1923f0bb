// One live connection to one MCP server for `openclaw mcp add`, `mcp probe` and `mcp doctor --probe`:
// connect, list the tools, close (a stdio child is stopped before this returns).
import { McpConnection, type McpListedTool } from "../agent/mcp_connection.ts";
import { assignSafeServerNames, mcpToolAllowed, mcpToolName } from "../agent/mcp_names.ts";
import type { McpServerSpec } from "../config/resolve_mcp.ts";

/** What a probe found: the tool names, or why it failed. */
export type McpProbeResult = { ok: true; tools: string[] } | { ok: false; tools: string[]; error: string };

/** What a probe found in full: every listed tool (before the server's filter), or why it failed. */
export type McpProbeListing = { ok: true; tools: McpListedTool[] } | { ok: false; error: string };

/** Connects to `spec`, lists its tools within its timeouts, and closes. */
export async function listMcpServerTools(spec: McpServerSpec): Promise<McpProbeListing> {
  let connection: McpConnection | undefined;
  try {
    connection = await McpConnection.open(spec, { onClosed: () => {}, onToolsChanged: () => {}, onStderr: () => {} });
    return { ok: true, tools: await connection.listTools(spec.requestTimeoutMs) };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  } finally {
    await connection?.close();
  }
}

/** Connects to `spec`, lists its tool names within its timeouts, and closes. */
export async function probeMcpServer(spec: McpServerSpec): Promise<McpProbeResult> {
  const listing = await listMcpServerTools(spec);
  return listing.ok
    ? { ok: true, tools: listing.tools.map((tool) => tool.name) }
    : { ok: false, tools: [], error: listing.error };
}

/** The tools of a listing the server's `toolFilter` lets through, as an agent would be offered them. */
export function filteredMcpTools(spec: McpServerSpec, tools: readonly McpListedTool[]): McpListedTool[] {
  return tools.filter((tool) => tool.name.trim() && mcpToolAllowed(spec.toolFilter, tool.name));
}

/** The provider-safe name the runtime gives a server in its tools' names. */
export function mcpSafeServerName(spec: McpServerSpec): string {
  return assignSafeServerNames([spec.name]).get(spec.name) ?? spec.name;
}

/**
 * The tools of `spec` an agent would be offered, each with the name it is offered under
 * (`<server>__<tool>`, made provider-safe as the runtime makes it), in tool-name order.
 */
export function mcpOfferedTools(
  spec: McpServerSpec,
  tools: readonly McpListedTool[],
): { tool: McpListedTool; name: string; safeServer: string }[] {
  const safeServer = mcpSafeServerName(spec);
  const reserved = new Set<string>();
  return filteredMcpTools(spec, tools).toSorted((a, b) => a.name.localeCompare(b.name)).map((tool) => {
    const name = mcpToolName(safeServer, tool.name.trim(), reserved);
    reserved.add(name.toLowerCase());
    return { tool, name, safeServer };
  });
}

/**
 * The reference's notes for the tools of `spec` an agent would be offered under another name than
 * `<server>__<tool>` (their names are not provider-safe), as its probe logs them.
 */
export function mcpToolRenameNotes(spec: McpServerSpec, tools: readonly McpListedTool[]): string[] {
  return mcpOfferedTools(spec, tools)
    .filter(({ tool, name, safeServer }) => name !== `${safeServer}__${tool.name.trim()}`)
    .map(({ tool, name }) =>
      `tool "${tool.name}" from server "${spec.name}" registered as "${name}" to keep the tool name provider-safe.`
    );
}
