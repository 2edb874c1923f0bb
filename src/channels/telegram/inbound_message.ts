import type { Context } from "grammy/web";
import type { InboundMessage } from "../types.ts";
import { telegramFileOf } from "./inbound_media.ts";
import { telegramTopicOf, telegramTopicTarget } from "./topics.ts";

/** A Telegram update as the Bot API sends it. */
export type TelegramUpdate = Context["update"];

/** The bot an update was sent to: its id (replies to it address it) and its @username (mentions). */
export interface TelegramBotIdentity {
  id: number;
  username: string;
}

/**
 * The message an update carries, normalized: a text message from a person, or a file with its caption (bots,
 * and anything else, are not conversation here), with a leading @mention of the bot removed. The file itself
 * is fetched by the account (inbound_media.ts).
 */
export function telegramInbound(
  update: TelegramUpdate,
  bot: TelegramBotIdentity,
  accountId: string,
): InboundMessage | undefined {
  const message = update.message;
  const from = message?.from;
  if (!message || !from || from.is_bot) return undefined;
  const written = typeof message.text === "string"
    ? message.text
    : telegramFileOf(message)
    ? message.caption ?? ""
    : undefined;
  if (written === undefined) return undefined;
  const chat = message.chat;
  const direct = chat.type === "private";
  const handle = new RegExp(`@${bot.username.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\b`, "i");
  // A forum topic is its own conversation: its session and replies stay in the topic.
  const topic = telegramTopicOf(message);
  // In a topic every message "replies" to the topic's creation message: that is no reply to the bot.
  const reply = message.reply_to_message;
  const topicRoot = topic !== undefined && reply?.message_id === message.message_thread_id;
  const repliedToBot = !topicRoot && reply?.from?.id === bot.id;
  return {
    channel: "telegram",
    accountId,
    messageId: `${chat.id}:${message.message_id}`,
    peerKind: direct ? "direct" : "group",
    senderId: String(from.id),
    senderAliases: [],
    senderName: from.username ?? from.first_name,
    ...(from.username ? { senderUsername: from.username } : {}),
    groupId: direct ? undefined : String(chat.id),
    replyTo: telegramTopicTarget(chat.id, topic),
    text: written.replace(handle, "").trim(),
    mentioned: direct || handle.test(written) || repliedToBot,
    ...(topic !== undefined ? { threadId: String(topic) } : {}),
  };
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * The message of an update kept in the reference's spooled envelope (`{version, updateId, receivedAt, update}`),
 * when it has the shape a text message needs; anything else is not read.
 */
export function keptTelegramInbound(
  payload: Record<string, unknown>,
  bot: TelegramBotIdentity,
  accountId: string,
): InboundMessage | undefined {
  const update = payload.update;
  if (!isObject(update) || typeof update.update_id !== "number" || !isObject(update.message)) return undefined;
  const message = update.message;
  if (!isObject(message.from) || typeof message.from.id !== "number" || !isObject(message.chat)) return undefined;
  if (typeof message.chat.id !== "number" || typeof message.chat.type !== "string") return undefined;
  // Checked above for every field telegramInbound reads; the rest of the Bot API's shape is not needed.
  return telegramInbound(update as unknown as TelegramUpdate, bot, accountId);
}
