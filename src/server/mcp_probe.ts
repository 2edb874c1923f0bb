// One live connection to one MCP server for `openclaw mcp add` and `mcp probe`: connect, list
// the tools, close (a stdio child is stopped before this returns).
import { McpConnection } from "../agent/mcp_connection.ts";
import type { McpServerSpec } from "../config/resolve_mcp.ts";

/** What a probe found: the tool names, or why it failed. */
export type McpProbeResult = { ok: true; tools: string[] } | { ok: false; tools: string[]; error: string };

/** Connects to `spec`, lists its tools within its timeouts, and closes. */
export async function probeMcpServer(spec: McpServerSpec): Promise<McpProbeResult> {
  let connection: McpConnection | undefined;
  try {
    connection = await McpConnection.open(spec, { onClosed: () => {}, onToolsChanged: () => {}, onStderr: () => {} });
    const tools = await connection.listTools(spec.requestTimeoutMs);
    return { ok: true, tools: tools.map((tool) => tool.name) };
  } catch (error) {
    return { ok: false, tools: [], error: error instanceof Error ? error.message : String(error) };
  } finally {
    await connection?.close();
  }
}
