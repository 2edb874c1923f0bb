// Whether a session tool call may reach a target session: `tools.sessions.visibility` (self, tree,
// agent, all) and, across agents, `tools.agentToAgent` — the reference's rules and its refusal words.
import type { ResolvedSessionTools } from "../config/resolve_session_tools.ts";

/** What a session tool does to the target, as the reference words its refusals. */
export type SessionAction = "send" | "history" | "list";

/** A session tool call's requester and target. */
export interface SessionReach {
  action: SessionAction;
  requesterAgentId: string;
  requesterKey: string;
  targetAgentId: string;
  targetKey: string;
}

/** Allowed, or refused with the reference's `forbidden` text. */
export type SessionAccess = { allowed: true } | { allowed: false; error: string };

function prefix(action: SessionAction): string {
  return action === "list" ? "Session list" : `Session ${action}`;
}

function matches(pattern: string, id: string): boolean {
  const entry = pattern.trim();
  if (!entry) return false;
  if (!entry.includes("*")) return entry === id;
  // Wildcard patterns match case-insensitively, exact ids case-sensitively (the reference's rule).
  const escaped = entry.toLowerCase().split("*").map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"));
  return new RegExp(`^${escaped.join(".*")}$`).test(id.toLowerCase());
}

/** Decides one reach; same-agent calls never consult `tools.agentToAgent`. */
export function sessionAccess(policy: ResolvedSessionTools, reach: SessionReach): SessionAccess {
  const { action } = reach;
  const sameAgent = reach.requesterAgentId === reach.targetAgentId;
  if (policy.visibility === "self" && reach.targetKey !== reach.requesterKey) {
    return {
      allowed: false,
      error: `${prefix(action)} visibility is restricted to the current session (tools.sessions.visibility=self).`,
    };
  }
  if (policy.visibility === "tree") {
    // Without spawned sessions the tree is the session itself, or its agent's sessions from the main one.
    const isMain = reach.requesterKey === `agent:${reach.requesterAgentId}:main`;
    if (reach.targetKey !== reach.requesterKey && !(isMain && sameAgent)) {
      return {
        allowed: false,
        error: `${
          prefix(action)
        } visibility is restricted to the current session tree (tools.sessions.visibility=tree).`,
      };
    }
  }
  if (sameAgent) return { allowed: true };
  if (policy.visibility === "agent") {
    return {
      allowed: false,
      error: `${prefix(action)} visibility is restricted. Set tools.sessions.visibility=all to allow cross-agent ` +
        "access; use tools.agentToAgent to restrict permitted agent pairs.",
    };
  }
  if (!policy.agentToAgent.enabled) {
    return {
      allowed: false,
      error: action === "send"
        ? "Agent-to-agent messaging is disabled. Set tools.agentToAgent.enabled=true to allow cross-agent sends."
        : action === "list"
        ? "Agent-to-agent listing is disabled. Set tools.agentToAgent.enabled=true to allow cross-agent visibility."
        : `Agent-to-agent ${action} is disabled. Set tools.agentToAgent.enabled=true to allow cross-agent access.`,
    };
  }
  const allow = policy.agentToAgent.allow;
  if (
    allow &&
    !(allow.some((p) => matches(p, reach.requesterAgentId)) && allow.some((p) => matches(p, reach.targetAgentId)))
  ) {
    const what = action === "send" ? "messaging" : action === "list" ? "listing" : action;
    return { allowed: false, error: `Agent-to-agent ${what} denied by tools.agentToAgent.allow.` };
  }
  return { allowed: true };
}
