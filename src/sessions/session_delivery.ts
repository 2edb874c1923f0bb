// The chat a session last talked on, kept where the reference keeps it: the session entry's
// canonical `delivery` record (`{kind: "external", route, context, origin}`), written when a
// channel message runs the session. Delivery to `last` (cron announce, heartbeat target, hook
// `deliver`) reads it back; the reference's own gateway reads the same field from our entries.
import { isJsonObject } from "../log/json_object.ts";

/** A route a reply can go to: a channel, a chat in it, the account and (Telegram topics) a thread. */
export interface SessionRoute {
  channel: string;
  to: string;
  accountId?: string | undefined;
  threadId?: string | number | undefined;
  /** `direct` for a private chat, `group`/`channel` for rooms, when the run that recorded the route said. */
  chatType?: "direct" | "group" | "channel" | undefined;
}

/** Where a channel run came from, as the inbound side knows it. */
export interface RouteOrigin extends SessionRoute {
  /** The sender, as the channel names them. */
  from?: string | undefined;
}

/** The reference's canonical `delivery` entry field for an external route, in its key order. */
export function deliveryRecord(origin: RouteOrigin): Record<string, unknown> {
  const account = origin.accountId ? { accountId: origin.accountId } : {};
  const thread = origin.threadId !== undefined ? { threadId: origin.threadId } : {};
  const target: Record<string, unknown> = { to: origin.to };
  if (origin.chatType) target.chatType = origin.chatType;
  const route: Record<string, unknown> = { channel: origin.channel, ...account, target };
  if (origin.threadId !== undefined) route.thread = { id: origin.threadId };
  const from: Record<string, unknown> = { provider: origin.channel, surface: origin.channel };
  if (origin.chatType) from.chatType = origin.chatType;
  if (origin.from) from.from = origin.from;
  Object.assign(from, { to: origin.to, ...account, ...thread });
  return {
    kind: "external",
    route,
    context: { channel: origin.channel, to: origin.to, ...account, ...thread },
    origin: from,
  };
}

/**
 * The route of a stored `delivery` field (ours or the reference's), or of the older flat fields
 * (`lastChannel`, `lastTo`, `lastAccountId`, `lastThreadId`) that entries from earlier versions carry.
 */
export function routeOfEntry(entry: Record<string, unknown>): SessionRoute | undefined {
  const delivery = entry.delivery;
  if (isJsonObject(delivery)) {
    if (delivery.kind !== "external" || !isJsonObject(delivery.context)) return undefined;
    const target = isJsonObject(delivery.route) && isJsonObject(delivery.route.target) ? delivery.route.target : {};
    const origin = isJsonObject(delivery.origin) ? delivery.origin : {};
    return routeOf(
      delivery.context.channel,
      delivery.context.to,
      delivery.context.accountId,
      delivery.context.threadId,
      target.chatType ?? origin.chatType ?? entry.chatType,
    );
  }
  const legacy = isJsonObject(entry.deliveryContext) ? entry.deliveryContext : undefined;
  return routeOf(
    legacy?.channel ?? entry.lastChannel,
    legacy?.to ?? entry.lastTo,
    legacy?.accountId ?? entry.lastAccountId,
    legacy?.threadId ?? entry.lastThreadId,
    entry.chatType,
  );
}

function routeOf(
  channel: unknown,
  to: unknown,
  accountId: unknown,
  threadId: unknown,
  chatType: unknown,
): SessionRoute | undefined {
  if (typeof channel !== "string" || !channel || typeof to !== "string" || !to) return undefined;
  const route: SessionRoute = { channel, to };
  if (typeof accountId === "string" && accountId) route.accountId = accountId;
  if (typeof threadId === "string" || typeof threadId === "number") route.threadId = threadId;
  if (chatType === "direct" || chatType === "group" || chatType === "channel") route.chatType = chatType;
  return route;
}
