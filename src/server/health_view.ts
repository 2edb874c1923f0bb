import type { AgentsConfig } from "../agent/agents_config.ts";
import type { ChannelsSummary } from "../channels/status_summary.ts";
import type { HeartbeatSettings } from "../config/heartbeat_settings.ts";
import { buildHealthSnapshot, type ConfigReloadStatus, type EventLoopStats } from "../rpc/methods/health.ts";
import type { SessionStore } from "../sessions/store.ts";

/** What a running gateway knows that `health` reports; services not built yet are absent. */
export interface HealthSources {
  agents: AgentsConfig;
  sessions: SessionStore | undefined;
  channels: ChannelsSummary | undefined;
  stateDir: string;
  eventLoop: EventLoopStats;
  configReload: ConfigReloadStatus;
  /** An agent's heartbeat settings under the config in force. */
  heartbeat(agentId: string): HeartbeatSettings;
}

/**
 * The gateway's `health` snapshot: every agent of the config in force with its sessions (an
 * empty summary at its transcript folder until the store has read it), storage, channels.
 */
export function gatewayHealth(input: HealthSources) {
  const { agents, sessions, channels } = input;
  return buildHealthSnapshot({
    defaultAgentId: agents.defaultAgentId,
    agents: agents.agents.map((agent) => ({
      agentId: agent.id,
      name: agent.name,
      isDefault: agent.isDefault,
      heartbeat: input.heartbeat(agent.id),
      sessions: sessions?.summary(agent.id) ??
        { path: `${input.stateDir}/agents/${agent.id}/sessions`, count: 0, recent: [] },
    })),
    storage: sessions?.storage ?? { ok: true, writeFailures: 0, lastWriteError: null },
    stateDir: input.stateDir,
    eventLoop: input.eventLoop,
    configReload: input.configReload,
    channels: channels?.channels ?? {},
    channelOrder: channels?.channelOrder ?? [],
    channelLabels: channels?.channelLabels ?? {},
  });
}
