// How a `send` with a thread (`threadId`) names its place, per channel. Kept apart from the channels'
// own modules because the channel catalog (on `gateway run`'s start path) holds these rules, and a
// channel's implementation loads only when an account of it is configured.
import { ChannelError } from "./errors.ts";

/** A Telegram `send` target with a thread: the topic (`<chat>:topic:<id>`) replaces any the target names; a prefix stays. */
export function telegramThreadTarget(to: string, thread: string): string {
  if (!/^\d+$/.test(thread)) {
    throw new ChannelError("invalid", `threadId "${thread}" is not a Telegram topic id (a whole number)`);
  }
  const bare = stripTelegramPrefix(to);
  const prefix = to.trim().slice(0, to.trim().length - bare.length);
  return `${prefix}${bare.replace(/:(?:topic:)?\d+$/, "")}:topic:${Number(thread)}`;
}

/**
 * A Telegram target without the channel prefix the reference records routes with (`telegram:` or `tg:`, then an
 * optional `group:`), as its stripTelegramInternalPrefixes reads one.
 */
export function stripTelegramPrefix(target: string): string {
  const trimmed = target.trim();
  const prefixed = /^(?:telegram|tg):/i.exec(trimmed);
  if (!prefixed) return trimmed;
  return trimmed.slice(prefixed[0].length).trim().replace(/^(?:(?:telegram|tg|group):)+/i, "").trim();
}

/** A Slack `send` target with a thread: its `thread_ts` (`<channel>:thread:<ts>`) replaces any the target names. */
export function slackThreadTarget(to: string, threadTs: string): string {
  return `${to.replace(/:thread:[^:]+$/, "")}:thread:${threadTs}`;
}
