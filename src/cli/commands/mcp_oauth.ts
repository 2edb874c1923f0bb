// `openclaw mcp login|logout <name>`: the reference's OAuth commands for a saved HTTP server. This
// gateway stores no MCP OAuth credentials (docs/mcp.md), so `login` refuses after the reference's own
// checks and `logout` has nothing to clear.
import { authoredMcpServers, resolveAuthoredMcpServer } from "../../config/mcp_edit.ts";
import { isJsonObject } from "../../log/json_object.ts";
import type { GlobalOptions } from "../main.ts";
import { printLine } from "../output.ts";
import { loadValidMcpConfig, mcpFail, mcpNotFound, runMcpCommand } from "./mcp_common.ts";

async function savedServer(name: string, options: GlobalOptions): Promise<Record<string, unknown>> {
  const snapshot = await loadValidMcpConfig(options);
  const server = authoredMcpServers(snapshot.authored)[name];
  if (!isJsonObject(server)) throw mcpNotFound(name, snapshot.path);
  return server;
}

function perRequester(server: Record<string, unknown>): boolean {
  return isJsonObject(server.oauth) && server.oauth.identity === "per-requester";
}

/** `openclaw mcp login <name> [--code <code>]`: the reference's refusals, then ours (no OAuth flow here). */
export function mcpLogin(name: string, options: GlobalOptions & { code?: string }): Promise<number> {
  return runMcpCommand(async () => {
    const server = await savedServer(name, options);
    if (perRequester(server)) {
      throw mcpFail(
        `MCP server "${name}" uses per-requester OAuth. Senders connect from the channel via the MCP connect flow.`,
      );
    }
    if (server.auth !== "oauth") throw mcpFail(`MCP server "${name}" is not configured with auth: "oauth".`);
    if (typeof server.url !== "string" || server.url.trim().length === 0) {
      throw mcpFail(`MCP server "${name}" needs a URL for OAuth login.`);
    }
    if (resolveAuthoredMcpServer(name, server).launch?.kind !== "http") {
      throw mcpFail(`MCP server "${name}" needs a valid HTTP transport for OAuth login.`);
    }
    throw mcpFail(
      `MCP OAuth login for "${name}" is not available: this gateway does not run the MCP OAuth flow or store its credentials. Give the server a static Authorization header in its "headers" instead.`,
    );
  });
}

/** `openclaw mcp logout <name>`: clears the server's stored OAuth credentials (none are stored here). */
export function mcpLogout(name: string, options: GlobalOptions): Promise<number> {
  return runMcpCommand(async () => {
    const server = await savedServer(name, options);
    if (perRequester(server)) {
      throw mcpFail(
        `MCP server "${name}" uses per-requester OAuth. Remove or replace the server to clear requester credentials.`,
      );
    }
    if (resolveAuthoredMcpServer(name, server).launch?.kind !== "http") {
      throw mcpFail(`MCP server "${name}" needs a valid HTTP transport for OAuth logout.`);
    }
    printLine(`MCP OAuth credentials cleared for "${name}".`);
    return 0;
  });
}
