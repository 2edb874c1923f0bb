// What the gateway lends the tools its agents call: its stores and the config in force. Exec
// approvals and channel sends are wired by their own parts; absent here, those tools refuse.
import type { AgentsConfig } from "../agent/agents_config.ts";
import type { McpClientManager } from "../agent/mcp_manager.ts";
import type { ToolHost } from "../agent/tool.ts";
import type { ResolvedConfig } from "../config/resolved.ts";
import type { SessionStore } from "../sessions/store.ts";

/** The gateway's {@link ToolHost}: live views, so a config reload reaches the next tool call. */
export function gatewayToolHost(from: {
  sessions: SessionStore;
  agents(): AgentsConfig;
  config(): ResolvedConfig;
  stateDir: string;
  mcp?: McpClientManager | undefined;
}): ToolHost {
  return {
    sessions: from.sessions,
    agents: () => from.agents(),
    config: () => from.config(),
    stateDir: from.stateDir,
    mcp: from.mcp,
  };
}
