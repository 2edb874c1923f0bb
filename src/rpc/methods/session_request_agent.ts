// The agent a session request names with its newer `agentId` field (the reference 2026.9.6's
// `sessions.describe`, sent by its Control UI): checked against the configured agents and against the
// agent a prefixed key already names, with the reference's refusals.
import type { AgentsConfig } from "../../agent/agents_config.ts";
import { agentOfKey } from "../../sessions/store.ts";
import { RpcError } from "../errors.ts";

/**
 * The reference's refusal (its session agent resolution) when a request's `agentId` is not the agent its
 * agent-scoped session key names.
 */
export function foreignKeyAgent(keyAgent: string, agentId: string): RpcError {
  return new RpcError(
    "INVALID_REQUEST",
    "Multiple agents are configured, but session agent resolution has no explicit owner. " +
      `The agent-scoped session key belongs to "${keyAgent}", not "${agentId}".`,
  );
}

/**
 * The agent owning session `key` when the request also names `agentId`: that agent, refused as the
 * reference refuses when it is not configured or the key's own agent differs. Without `agentId`,
 * the key's agent, else the default agent.
 */
export function requestedSessionAgent(agents: AgentsConfig, key: string, agentId: string | undefined): string {
  const keyAgent = agentOfKey(key.trim());
  if (agentId === undefined) return keyAgent ?? agents.defaultAgentId;
  const requested = agentId.trim().toLowerCase();
  if (!agents.agents.some((agent) => agent.id === requested)) {
    throw new RpcError("INVALID_REQUEST", `Unknown agent id "${agentId}"`);
  }
  if (keyAgent !== undefined && keyAgent !== requested) {
    throw new RpcError("INVALID_REQUEST", `agent "${agentId}" does not match session key agent "${keyAgent}"`);
  }
  return requested;
}
