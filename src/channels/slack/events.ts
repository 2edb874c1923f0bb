// A Slack Events API callback as the durable inbound queue keeps it, keyed and enveloped as the reference's Slack
// monitor writes it (OpenClaw 2026.9.6, @openclaw/slack monitor/durable-ingress): event id = the callback's
// `event_id` (Slack's retries carry the same one, so the queue turns them away), lane
// `team:<team>:conversation:<channel>`, payload `{version: 1, kind: "events-api", receivedAt, body, retryNum?,
// retryReason?}`; and the message a kept or live `message` / `app_mention` event carries, normalized.
import { isJsonObject } from "../../log/json_object.ts";
import type { InboundMessage, InboundReceipt, PeerKind } from "../types.ts";

/** The version of the reference's Slack ingress envelope; a row of another version is not read. */
export const SLACK_INGRESS_VERSION = 1;

/** A Slack file attached to a message, as the event lists it. */
export interface SlackFile {
  id: string;
  name: string | undefined;
  mimetype: string | undefined;
  size: number | undefined;
  /** The private download URL, fetched with the bot token. */
  url: string | undefined;
}

/** The fields of a `message` or `app_mention` event the account reads, narrowed. */
export interface SlackMessageEvent {
  type: "message" | "app_mention";
  channel: string;
  /** The sender's user id; a bot's messages may carry only `botId`. */
  user: string | undefined;
  botId: string | undefined;
  text: string;
  ts: string;
  threadTs: string | undefined;
  parentUserId: string | undefined;
  channelType: string | undefined;
  subtype: string | undefined;
  files: SlackFile[];
}

/** Who the bot is, as `auth.test` tells it. */
export interface SlackIdentity {
  userId: string;
  botId: string | undefined;
  team: string | undefined;
  name: string;
}

const text = (value: unknown): string | undefined =>
  typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;

/** Subtypes that are someone saying something; edits, deletions, joins and the like are not answered. */
const SPOKEN_SUBTYPES = new Set([undefined, "file_share", "thread_broadcast", "bot_message", "me_message"]);

function fileOf(value: unknown): SlackFile | undefined {
  if (!isJsonObject(value) || !text(value.id)) return undefined;
  return {
    id: String(value.id),
    name: text(value.name),
    mimetype: text(value.mimetype),
    size: typeof value.size === "number" ? value.size : undefined,
    url: text(value.url_private_download) ?? text(value.url_private),
  };
}

/** The message event an Events API body carries, or undefined for any other event. */
export function slackMessageEvent(body: unknown): SlackMessageEvent | undefined {
  if (!isJsonObject(body) || !isJsonObject(body.event)) return undefined;
  const e = body.event;
  if (e.type !== "message" && e.type !== "app_mention") return undefined;
  const channel = text(e.channel);
  const ts = text(e.ts);
  const subtype = text(e.subtype);
  if (!channel || !ts || !SPOKEN_SUBTYPES.has(subtype)) return undefined;
  return {
    type: e.type,
    channel,
    user: text(e.user),
    botId: text(e.bot_id),
    text: typeof e.text === "string" ? e.text : "",
    ts,
    threadTs: text(e.thread_ts),
    parentUserId: text(e.parent_user_id),
    channelType: text(e.channel_type),
    subtype,
    files: Array.isArray(e.files) ? e.files.map(fileOf).filter((f): f is SlackFile => f !== undefined) : [],
  };
}

/** The team an Events API body belongs to (`workspace` when it names none, as the reference writes it). */
function teamOf(body: Record<string, unknown>): string {
  const event = isJsonObject(body.event) ? body.event : {};
  const team = isJsonObject(body.team) ? body.team.id : undefined;
  return text(body.team_id) ?? text(team) ?? text(event.team) ?? "workspace";
}

/** How the queue keys an Events API callback, as the reference does: undefined without an `event_id`. */
export function slackReceipt(
  body: Record<string, unknown>,
  receivedAt: number,
  retry: { num?: number | undefined; reason?: string | undefined } = {},
): InboundReceipt | undefined {
  const eventId = text(body.event_id);
  if (!eventId) return undefined;
  const event = isJsonObject(body.event) ? body.event : {};
  const channel = text(event.channel);
  const user = text(event.user);
  const lane = channel
    ? `team:${teamOf(body)}:conversation:${channel}`
    : user
    ? `team:${teamOf(body)}:user:${user}`
    : `event:${eventId}`;
  return {
    eventId,
    laneKey: lane,
    raw: {
      version: SLACK_INGRESS_VERSION,
      kind: "events-api",
      receivedAt,
      body,
      ...(retry.num ? { retryNum: retry.num } : {}),
      ...(retry.reason ? { retryReason: retry.reason } : {}),
    },
  };
}

/** The Events API body a kept envelope holds (ours and the reference's rows alike), if it is one. */
export function keptSlackBody(payload: Record<string, unknown>): Record<string, unknown> | undefined {
  if (payload.version !== SLACK_INGRESS_VERSION || payload.kind !== "events-api") return undefined;
  return isJsonObject(payload.body) ? payload.body : undefined;
}

/** The kind of conversation: `im` is a DM, `mpim` a group DM, anything else a channel. */
export function peerKindOf(event: Pick<SlackMessageEvent, "channelType" | "channel">): PeerKind {
  const type = event.channelType ?? (event.channel.startsWith("D") ? "im" : undefined);
  return type === "im" ? "direct" : type === "mpim" ? "group" : "channel";
}

/** `<@U…>` (optionally `<@U…|name>`): how Slack writes a user mention in message text. */
const mentionOf = (userId: string): RegExp => new RegExp(`<@${userId}(\\|[^>]*)?>`, "g");

/** Whether the text names the bot. */
export function textMentions(event: Pick<SlackMessageEvent, "text">, me: SlackIdentity): boolean {
  return mentionOf(me.userId).test(event.text);
}

/**
 * Where a reply goes: into the thread the message is in; otherwise into a new thread under it unless
 * `replyToMode` is `off` (the reference's thread targets). The target is `channel:<id>`, with `:thread:<ts>`.
 */
export function replyTarget(event: Pick<SlackMessageEvent, "channel" | "ts" | "threadTs">, mode: string): string {
  const inThread = event.threadTs !== undefined && event.threadTs !== event.ts;
  const thread = inThread ? event.threadTs : mode === "off" ? undefined : event.ts;
  return `channel:${event.channel}${thread ? `:thread:${thread}` : ""}`;
}

/**
 * The message an event carries, normalized and not yet checked (the account's gate decides after the queue stored
 * it): the bot's mention removed from the text; DMs address the bot; `mentioned` also counts an `app_mention`
 * and the implicit mentions the caller worked out (a reply to the bot, a thread it answered in).
 */
export function slackInbound(
  event: SlackMessageEvent,
  me: SlackIdentity,
  options: { accountId: string; replyToMode: string; implicitMention: boolean },
): InboundMessage {
  const peerKind = peerKindOf(event);
  const sender = event.user ?? event.botId ?? "unknown";
  const replyTo = replyTarget(event, options.replyToMode);
  // A thread (the one the message is in, or the one the answer starts) is its own session, except in DMs.
  const thread = peerKind === "direct" ? undefined : /:thread:(.+)$/.exec(replyTo)?.[1];
  return {
    channel: "slack",
    accountId: options.accountId,
    messageId: `${event.channel}:${event.ts}`,
    peerKind,
    senderId: sender,
    senderAliases: [],
    senderName: sender,
    groupId: peerKind === "direct" ? undefined : event.channel,
    replyTo,
    text: event.text.replace(mentionOf(me.userId), "").trim(),
    // A DM and a group DM address the bot (the reference asks for a mention only in channels).
    mentioned: peerKind !== "channel" || event.type === "app_mention" || textMentions(event, me) ||
      options.implicitMention,
    ...(thread ? { threadId: thread } : {}),
  };
}
