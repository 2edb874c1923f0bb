// A Discord MESSAGE_CREATE as the durable inbound queue keeps it, keyed and enveloped as the reference's
// Discord monitor writes it (OpenClaw 2026.9.6, @openclaw/discord monitor/ingress.ts): event id = the message
// snowflake, lane `channel:<channel_id>`, payload `{version: 1, receivedAt, rawMessage}`; and the message a
// kept or live event carries, normalized.
import type { GatewayMessageCreateDispatchData } from "discord-api-types/v10";
import type { InboundMessage, InboundReceipt } from "../types.ts";
import type { BotUser } from "./rest_shapes.ts";

/** The version of the reference's Discord ingress envelope; a row of another version is not read. */
export const DISCORD_INGRESS_VERSION = 1;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const nonEmpty = (value: unknown): value is string => typeof value === "string" && value.trim() !== "";

/**
 * How the queue keys a MESSAGE_CREATE, as the reference does: undefined when the event lacks its snowflake or
 * channel (the reference refuses those before storing anything).
 */
export function discordReceipt(raw: unknown, receivedAt: number): InboundReceipt | undefined {
  if (!isRecord(raw) || !nonEmpty(raw.id) || !nonEmpty(raw.channel_id)) return undefined;
  return {
    eventId: raw.id.trim(),
    laneKey: `channel:${raw.channel_id.trim()}`,
    raw: { version: DISCORD_INGRESS_VERSION, receivedAt, rawMessage: raw },
  };
}

/**
 * The MESSAGE_CREATE a kept envelope holds, when it has every field reading it needs (its author, text,
 * mentions); anything else is not read.
 */
export function keptDiscordMessage(payload: Record<string, unknown>): GatewayMessageCreateDispatchData | undefined {
  const raw = payload.rawMessage;
  if (payload.version !== DISCORD_INGRESS_VERSION || !isRecord(raw)) return undefined;
  if (!nonEmpty(raw.id) || !nonEmpty(raw.channel_id) || typeof raw.content !== "string") return undefined;
  const author = raw.author;
  if (!isRecord(author) || typeof author.id !== "string" || typeof author.username !== "string") return undefined;
  if (!Array.isArray(raw.mentions) || !raw.mentions.every((u) => isRecord(u) && typeof u.id === "string")) {
    return undefined;
  }
  if (raw.mention_roles !== undefined && !Array.isArray(raw.mention_roles)) return undefined;
  if (raw.guild_id !== undefined && typeof raw.guild_id !== "string") return undefined;
  const member = raw.member;
  if (member !== undefined && (!isRecord(member) || (member.roles !== undefined && !Array.isArray(member.roles)))) {
    return undefined;
  }
  const referenced = raw.referenced_message;
  if (referenced !== undefined && referenced !== null && (!isRecord(referenced) || !isRecord(referenced.author))) {
    return undefined;
  }
  // Checked above for every field discordInbound and the account's gate read; the rest is not needed.
  return raw as unknown as GatewayMessageCreateDispatchData;
}

/** `<@id>` or `<@!id>`: how Discord writes a user mention in message text. */
export const mentionOf = (id: string): RegExp => new RegExp(`<@!?${id}>`, "g");

/**
 * Whether a message addresses the bot: a mention, a reply to it, or (as in the reference) @everyone/@here from
 * a person (Discord sets the flag only when the author may ping everyone); from a bot it does not.
 */
export function mentionsBot(m: GatewayMessageCreateDispatchData, me: BotUser): boolean {
  return m.mentions.some((user) => user.id === me.id) || mentionOf(me.id).test(m.content) ||
    m.referenced_message?.author.id === me.id || (m.mention_everyone === true && !m.author.bot);
}

/**
 * The message a MESSAGE_CREATE carries, normalized and not yet checked (the account's gate decides after the
 * queue stored it): the bot's mention removed from the text; DMs address the bot.
 */
export function discordInbound(
  m: GatewayMessageCreateDispatchData,
  me: BotUser,
  accountId: string,
  nameMatching: boolean,
): InboundMessage {
  const direct = m.guild_id === undefined;
  return {
    channel: "discord",
    accountId,
    messageId: m.id,
    peerKind: direct ? "direct" : "channel",
    senderId: m.author.id,
    senderAliases: nameMatching ? [m.author.username] : [],
    senderName: m.member?.nick ?? m.author.global_name ?? m.author.username,
    senderUsername: m.author.username,
    groupId: direct ? undefined : m.channel_id,
    replyTo: `channel:${m.channel_id}`,
    text: m.content.replace(mentionOf(me.id), "").trim(),
    mentioned: direct || mentionsBot(m, me),
  };
}
