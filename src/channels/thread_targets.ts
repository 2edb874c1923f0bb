// How a `send` with a thread (`threadId`) names its place, per channel. Kept apart from the channels'
// own modules because the channel catalog (on `gateway run`'s start path) holds these rules, and a
// channel's implementation loads only when an account of it is configured.
import { ChannelError } from "./errors.ts";

/** A Telegram `send` target with a thread: the topic (`<chat>:topic:<id>`) replaces any the target names. */
export function telegramThreadTarget(to: string, thread: string): string {
  if (!/^\d+$/.test(thread)) {
    throw new ChannelError("invalid", `threadId "${thread}" is not a Telegram topic id (a whole number)`);
  }
  const chat = to.replace(/:(?:topic:)?\d+$/, "");
  return `${chat}:topic:${Number(thread)}`;
}

/** A Slack `send` target with a thread: its `thread_ts` (`<channel>:thread:<ts>`) replaces any the target names. */
export function slackThreadTarget(to: string, threadTs: string): string {
  return `${to.replace(/:thread:[^:]+$/, "")}:thread:${threadTs}`;
}
