// Telegram forum topics as the reference treats them: a topic of a forum supergroup is its own
// conversation (`<chatId>:topic:<id>`), replies carry its `message_thread_id`, except the General
// topic (id 1), which Telegram refuses by id for sends ("thread not found").
import { ChannelError } from "../errors.ts";
import { stripTelegramPrefix } from "../thread_targets.ts";

/** The General topic of a forum: messages in it carry no thread id, and sends to it must not name one. */
export const GENERAL_TOPIC_ID = 1;

/** The chat fields a topic rule reads. */
interface TopicMessage {
  chat: { type: string; "is_forum"?: boolean | undefined };
  "message_thread_id"?: number | undefined;
  "is_topic_message"?: boolean | undefined;
}

/**
 * The forum topic a group message belongs to, as the reference resolves it: only in a forum (`is_forum`, or a
 * supergroup's topic message), where a message without a thread id is in the General topic; a reply thread in a
 * plain group is no conversation of its own.
 */
export function telegramTopicOf(message: TopicMessage): number | undefined {
  const { chat } = message;
  if (chat.type !== "group" && chat.type !== "supergroup") return undefined;
  const forum = chat.type === "supergroup" && message.is_topic_message === true ? true : chat.is_forum === true;
  if (!forum) return undefined;
  return message.message_thread_id ?? GENERAL_TOPIC_ID;
}

/** Where a reply to a topic goes: `<chatId>:topic:<id>`, or the bare chat for the General topic. */
export function telegramTopicTarget(chatId: number | string, topic: number | undefined): string {
  return topic === undefined || topic === GENERAL_TOPIC_ID ? String(chatId) : `${chatId}:topic:${topic}`;
}

/** A parsed send target: the chat and, when it names one, the topic. */
export interface TelegramTarget {
  chatId: number | string;
  topic: number | undefined;
}

/** Reads a send target: a chat id or @channelusername, optionally with `:topic:<id>` (or `:<id>`, as the reference's parseTelegramTarget accepts), after an optional `telegram:` prefix. */
export function parseTelegramTarget(target: string): TelegramTarget {
  const match = /^(-?\d+|@\w+)(?::(?:topic:)?(\d+))?$/.exec(stripTelegramPrefix(target));
  if (!match) {
    throw new ChannelError("invalid", `"${target}" is not a Telegram chat id (a number) or @channelusername`);
  }
  const chat = match[1]!;
  const topic = match[2] === undefined ? undefined : Number(match[2]);
  return { chatId: /^-?\d+$/.test(chat) ? Number(chat) : chat, topic };
}

/**
 * The thread parameter of a message or file send: the topic's id, none for the General topic (Telegram
 * refuses `message_thread_id=1` for sends) or for a DM topic id that is not positive.
 */
export function telegramThreadParams(target: TelegramTarget): { message_thread_id?: number } {
  const { topic } = target;
  if (topic === undefined || topic === GENERAL_TOPIC_ID || topic <= 0) return {};
  return { message_thread_id: topic };
}
