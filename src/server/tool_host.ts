// What the gateway lends the tools its agents call: its stores and the config in force. Exec
// approvals and channel sends are wired by their own parts; absent here, those tools refuse.
import type { AgentsConfig } from "../agent/agents_config.ts";
import type { CronControl } from "../agent/cron_control.ts";
import type { ExecApprovals, ToolHost } from "../agent/tool.ts";
import type { ProcessRegistry } from "../agent/process_registry.ts";
import type { McpClientManager } from "../agent/mcp_manager.ts";
import type { ResolvedConfig } from "../config/resolved.ts";
import type { SessionStore } from "../sessions/store.ts";
import type { MediaStore } from "../media/media_types.ts";

/** The gateway's {@link ToolHost}: live views, so a config reload reaches the next tool call. */
export function gatewayToolHost(from: {
  sessions: SessionStore;
  agents(): AgentsConfig;
  config(): ResolvedConfig;
  stateDir: string;
  /** The home directory `~` means in a tool's path argument. */
  home?: string | undefined;
  processes?: ProcessRegistry | undefined;
  /** Sends through the channel manager (the `message` tool); absent: that tool refuses. */
  send?: ToolHost["send"];
  /** The run engine, once built (`sessions_send`); read per call because it is built after the host. */
  runs?: () => NonNullable<ToolHost["runs"]>;
  approvals?: ExecApprovals | undefined;
  mcp?: McpClientManager | undefined;
  /** The scheduler (the `automations` tool), read per use because it starts after the gateway is ready. */
  cron?: () => CronControl | undefined;
  /** The media store (the `message` tool keeps a `buffer` there), read per use: it is built after the host. */
  media?: () => MediaStore | undefined;
}): ToolHost {
  const runs = from.runs;
  return {
    sessions: from.sessions,
    agents: () => from.agents(),
    config: () => from.config(),
    stateDir: from.stateDir,
    home: from.home,
    stateAccess: from.sessions.stateAccess,
    processes: from.processes,
    ...(from.send ? { send: from.send } : {}),
    ...(runs ? { runs: { start: (request) => runs().start(request) } } : {}),
    approvals: from.approvals,
    mcp: from.mcp,
    get cron() {
      return from.cron?.();
    },
    get media() {
      return from.media?.();
    },
  };
}
