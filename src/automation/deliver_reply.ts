// The one DeliverReply of the gateway: resolves `last` from the chat the session last talked on
// (the session entry's `delivery`, recorded when a channel message ran it) and sends through the
// channel manager, which the server lends as a function (automation/ never imports channels/).
import type { DeliverReply, DeliveryReport, DeliveryTarget } from "./delivery.ts";

/** A route as the session entry records it (sessions/session_delivery.ts). */
export interface LastRoute {
  channel: string;
  to: string;
  accountId?: string | undefined;
  threadId?: string | number | undefined;
}

/** What DeliverReply needs of the gateway. */
export interface DeliverReplyDeps {
  /**
   * Sends text through the channel manager; without `channel` it picks the channel from a
   * provider-prefixed `to` or the only one configured. Throws with the reason when it cannot.
   */
  send(request: {
    channel?: string | undefined;
    to: string;
    accountId?: string | undefined;
    text: string;
    idempotencyKey: string;
    /** The agent whose reply this is: local files its `MEDIA:` lines name come from its workspace. */
    agentId?: string | undefined;
    /** The session whose answer this is: the delivery's outcome is its `message:sent` hook event. */
    sessionKey?: string | undefined;
  }): Promise<{ channel: string; to: string; accountId: string }>;
  /** The account a send on `channel` without one uses (its section's default); reported when a send fails too. */
  defaultAccountOf?: ((channel: string) => string | undefined) | undefined;
  /** The chat a session last talked on, if any. */
  lastRoute(sessionKey: string, agentId: string): Promise<LastRoute | undefined>;
}

/** The reference's words when `last` has nothing to resolve to. */
export const NO_PREVIOUS_CHANNEL = "Channel is required when delivery.channel=last has no previous channel.";

/** A target after `last` is resolved: the channel may still be open (the outbound side picks it). */
export interface ResolvedTarget {
  channel?: string | undefined;
  to?: string | undefined;
  accountId?: string | undefined;
}

/** Resolves a target against the session's last route, as the reference's delivery-target does. */
export function resolveTarget(target: DeliveryTarget, last: LastRoute | undefined): ResolvedTarget {
  const explicit = target.channel && target.channel !== "last" ? target.channel : undefined;
  const to = target.to?.trim() || undefined;
  const channel = explicit ?? (to && /^[a-z]+:/i.test(to) ? undefined : last?.channel);
  // The last chat is used only on the channel it was on; a `to` of one channel is never sent on another.
  const sameChannel = last !== undefined && (channel === undefined ? !to : channel === last.channel);
  return {
    channel,
    to: to ?? (sameChannel ? last.to : undefined),
    accountId: target.accountId ?? (sameChannel ? last.accountId : undefined),
  };
}

/** Builds the gateway's DeliverReply. */
export function createDeliverReply(deps: DeliverReplyDeps): DeliverReply {
  return async ({ target, text, agentId, sessionKey }): Promise<DeliveryReport> => {
    let resolved: ResolvedTarget = { channel: target.channel, to: target.to, accountId: target.accountId };
    try {
      resolved = resolveTarget(target, await deps.lastRoute(sessionKey, agentId));
      if (!resolved.to) {
        const error = resolved.channel ? `Delivering to ${resolved.channel} requires target` : NO_PREVIOUS_CHANNEL;
        return { status: "not-delivered", error, ...defined(resolved) };
      }
      if (!text.trim()) return { status: "not-delivered", error: "nothing to deliver", ...defined(resolved) };
      if (!resolved.accountId && resolved.channel) resolved.accountId = deps.defaultAccountOf?.(resolved.channel);
      const sent = await deps.send({
        channel: resolved.channel,
        to: resolved.to,
        accountId: resolved.accountId,
        text,
        idempotencyKey: crypto.randomUUID(),
        agentId,
        sessionKey,
      });
      return { status: "delivered", channel: sent.channel, to: sent.to, accountId: sent.accountId };
    } catch (error) {
      return { status: "not-delivered", error: messageOf(error), ...defined(resolved) };
    }
  };
}

function defined(target: ResolvedTarget): ResolvedTarget {
  const out: ResolvedTarget = {};
  if (target.channel && target.channel !== "last") out.channel = target.channel;
  if (target.to) out.to = target.to;
  if (target.accountId) out.accountId = target.accountId;
  return out;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
