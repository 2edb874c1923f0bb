// Where a `wake` goes, checked as the reference 2026.9.6 checks it (its replies measured word for
// word): the session key must name a configured agent (a bare key belongs to the default agent),
// never a subagent's session, and an explicit agentId must be configured and agree with the key.
// Without these checks a `wake` to `foo` ran a turn in a session named `foo`, and one to an unknown
// agent queued text no turn would ever read.
import { RpcError } from "../errors.ts";
import { foreignKeyAgent } from "./session_request_agent.ts";

/** The agents a wake may target. */
export interface WakeAgents {
  defaultAgentId: string;
  ids: readonly string[];
}

/** The resolved target: the agent, and its agent-qualified session when one was named. */
export interface WakeTarget {
  agentId?: string | undefined;
  sessionKey?: string | undefined;
}

/** `agent:<id>:<rest>` split as the reference splits it, or null when the key is not agent-qualified. */
function parseAgentKey(key: string): { agentId: string; rest: string } | null {
  if (key.slice(0, 6).toLowerCase() !== "agent:") return null;
  const end = key.indexOf(":", 6);
  if (end === -1) return null;
  const agentId = key.slice(6, end).trim();
  const rest = key.slice(end + 1);
  return agentId && rest && !rest.startsWith(":") ? { agentId: agentId.toLowerCase(), rest } : null;
}

/** An agent no config names: the reference's reply (its cron wake throws, the gateway reports it). */
function unavailable(agentId: string): RpcError {
  return new RpcError("UNAVAILABLE", `Error: cron job agent is unavailable: ${agentId}`);
}

/** Resolves and checks a `wake` target; throws the reference's RpcError when it names no usable session. */
export function resolveWakeTarget(
  agents: WakeAgents,
  input: { agentId?: string | undefined; sessionKey?: string | undefined },
): WakeTarget {
  const rawAgent = input.agentId?.trim() || undefined;
  const agentId = rawAgent?.toLowerCase();
  const known = (id: string) => id === agents.defaultAgentId || agents.ids.includes(id);
  const sessionKey = input.sessionKey?.trim() || undefined;
  if (!sessionKey) {
    if (agentId && !known(agentId)) throw unavailable(agentId);
    return { agentId };
  }
  const parsed = parseAgentKey(sessionKey);
  if (!parsed && sessionKey.toLowerCase().startsWith("agent:")) {
    throw new RpcError("INVALID_REQUEST", `malformed session key "${sessionKey}"`);
  }
  if (agentId && !known(agentId)) throw new RpcError("INVALID_REQUEST", `Unknown agent id "${rawAgent}"`);
  if (parsed && agentId && parsed.agentId !== agentId) throw foreignKeyAgent(parsed.agentId, agentId);
  if (parsed && /^subagent:/i.test(parsed.rest)) {
    throw new RpcError("INVALID_REQUEST", "wake sessionKey cannot target a subagent session");
  }
  if (parsed) {
    if (!known(parsed.agentId)) throw unavailable(parsed.agentId);
    return { agentId: parsed.agentId, sessionKey: `agent:${parsed.agentId}:${parsed.rest}` };
  }
  // A bare key belongs to the agent named, else the default one, as the reference qualifies it.
  const owner = agentId ?? agents.defaultAgentId;
  return { agentId: owner, sessionKey: `agent:${owner}:${sessionKey.toLowerCase()}` };
}
