import type { BindingConfig } from "../config/resolve.ts";
import type { InboundMessage } from "./types.ts";

/** Where an inbound message goes: which agent, and which session of it. */
export interface Route {
  agentId: string;
  sessionKey: string;
}

/** Session settings routing reads (`session.*`). */
export interface SessionScopes {
  dmScope?: "main" | "per-peer" | "per-channel-peer" | "per-account-channel-peer" | undefined;
  groupScope?: "per-group" | "main" | undefined;
}

/** How specific a binding's match is; the most specific matching binding wins (the reference's order). */
function specificity(binding: BindingConfig, message: InboundMessage): number {
  const match = binding.match;
  if (match.channel !== message.channel) return -1;
  if (match.accountId !== undefined && match.accountId !== "*" && match.accountId !== message.accountId) return -1;
  if (match.peer) {
    const peerId = message.peerKind === "direct" ? message.senderId : message.groupId;
    if (match.peer.kind !== message.peerKind) return -1;
    if (match.peer.id === "*") return 3;
    // A Telegram topic's own peer (`<chatId>:topic:<id>`) beats its group's, which still matches (the parent peer).
    const topicPeer = message.channel === "telegram" && message.threadId && peerId
      ? `${peerId}:topic:${message.threadId}`
      : undefined;
    if (topicPeer && match.peer.id.toLowerCase() === topicPeer.toLowerCase()) return 5;
    return match.peer.id.toLowerCase() === peerId?.toLowerCase() ? 4 : -1;
  }
  if (match.accountId !== undefined && match.accountId !== "*") return 2;
  return 1;
}

/** Session keys are lower case: IRC nicks and channels are case-insensitive. */
function keyPart(value: string): string {
  return value.toLowerCase();
}

/**
 * Picks the agent (most specific binding, else the default agent) and the session key in the
 * reference's shapes: DMs share `agent:<id>:main` unless `session.dmScope` splits them, groups
 * and channels get `agent:<id>:<channel>:<group|channel>:<id>` (a thread or forum topic its own, under it)
 * unless `groupScope` is `main`.
 */
export function routeInbound(
  message: InboundMessage,
  config: { bindings: readonly BindingConfig[]; session: SessionScopes; defaultAgentId: string },
): Route {
  let best: { binding: BindingConfig; score: number } | undefined;
  for (const binding of config.bindings) {
    const score = specificity(binding, message);
    if (score > (best?.score ?? 0)) best = { binding, score };
  }
  const agentId = best?.binding.agentId ?? config.defaultAgentId;
  const scopes = { ...config.session, ...best?.binding.session };
  const base = `agent:${agentId}`;
  if (message.peerKind === "direct") {
    const peer = keyPart(message.senderId);
    switch (scopes.dmScope ?? "main") {
      case "main":
        return { agentId, sessionKey: `${base}:main` };
      case "per-peer":
        return { agentId, sessionKey: `${base}:direct:${peer}` };
      case "per-channel-peer":
        return { agentId, sessionKey: `${base}:${message.channel}:direct:${peer}` };
      case "per-account-channel-peer":
        return { agentId, sessionKey: `${base}:${message.channel}:${keyPart(message.accountId)}:direct:${peer}` };
    }
  }
  if (scopes.groupScope === "main") return { agentId, sessionKey: `${base}:main` };
  // A thread in a group has its own session under the group's, as the reference keys Slack threads
  // (`:thread:<ts>`) and Telegram forum topics (`:topic:<id>`).
  const marker = message.channel === "telegram" ? "topic" : "thread";
  const thread = message.threadId ? `:${marker}:${keyPart(message.threadId)}` : "";
  return {
    agentId,
    sessionKey: `${base}:${message.channel}:${message.peerKind}:${
      keyPart(message.groupId ?? message.replyTo)
    }${thread}`,
  };
}
