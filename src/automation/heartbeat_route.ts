// Where a heartbeat's alert goes, decided from `heartbeat.target` before the turn runs: `owner`
// (the default: the first `channel:id` of `commands.ownerAllowFrom`), `last` (the chat the session
// last talked on, resolved at delivery), `none` (internal only), or a channel id with `to`.
import type { DeliveryTarget } from "./delivery.ts";

/** A heartbeat's delivery route, or why it has none. */
export type HeartbeatRoute =
  | { kind: "deliver"; target: DeliveryTarget }
  | { kind: "none"; reason: "target-none" | "no-route" | "no-target" | "dm-blocked"; channel?: string | undefined };

/** The reference's words for the two routeless reasons, which its `heartbeat` event carries as `message`. */
export const ROUTE_MESSAGES: Record<string, string> = {
  "target-none": "Heartbeat delivery is disabled by configuration (target: none).",
  "no-route": "Heartbeat has no delivery route yet. Message your bot once, or set agents.defaults.heartbeat.target.",
};

/** The owner's direct chat: the first `channel:id` entry of `commands.ownerAllowFrom` (`*` and bare ids name no chat). */
function ownerTarget(ownerAllowFrom: readonly string[]): DeliveryTarget | undefined {
  for (const entry of ownerAllowFrom) {
    const colon = entry.indexOf(":");
    if (colon <= 0 || colon === entry.length - 1) continue;
    const to = entry.slice(colon + 1).trim();
    if (!to || to === "*") continue;
    return { channel: entry.slice(0, colon).trim().toLowerCase(), to };
  }
  return undefined;
}

/**
 * Whether `to` on `channel` is a direct (one-person) chat, as its address shows: an IRC nick (not a
 * `#channel`), a Telegram user id (positive; groups are negative, channels `@name`). Unknown: no.
 */
export function isDirectChat(channel: string, to: string): boolean {
  const id = to.trim();
  if (channel === "irc") return id !== "" && !/^[#&+!]/.test(id);
  // A route the reference recorded names the chat with its prefix (`telegram:4242`).
  if (channel === "telegram") return /^(?:(?:telegram|tg):)?\d+$/i.test(id);
  return false;
}

/** The route `heartbeat.target`/`to`/`accountId` name. */
export function heartbeatRoute(
  settings: { target: string; to?: string | undefined; accountId?: string | undefined; directPolicy: string },
  ownerAllowFrom: readonly string[],
): HeartbeatRoute {
  const target = settings.target.trim().toLowerCase();
  if (target === "none") return { kind: "none", reason: "target-none" };
  if (target === "owner") {
    const owner = ownerTarget(ownerAllowFrom);
    if (!owner) return { kind: "none", reason: "no-route" };
    // The owner route is always a direct chat: `directPolicy: block` suppresses it.
    if (settings.directPolicy === "block") return { kind: "none", reason: "dm-blocked", channel: owner.channel };
    return { kind: "deliver", target: { ...owner, accountId: settings.accountId } };
  }
  if (target === "last") return { kind: "deliver", target: { channel: "last", accountId: settings.accountId } };
  if (!settings.to) return { kind: "none", reason: "no-target", channel: target };
  // `directPolicy: block` keeps every direct chat silent, a named one as much as the owner's.
  if (settings.directPolicy === "block" && isDirectChat(target, settings.to)) {
    return { kind: "none", reason: "dm-blocked", channel: target };
  }
  return { kind: "deliver", target: { channel: target, to: settings.to, accountId: settings.accountId } };
}
