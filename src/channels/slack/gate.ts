// The Slack account's own gate, before the shared one (DM pairing/allowlist, channel allowlist, mentions): its own
// messages, other bots (`allowBots`), DMs switched off (`dm.enabled`), group DMs (`dm.groupEnabled`,
// `dm.groupChannels`), and the second event Slack sends for one message (`message` and `app_mention`). It also
// remembers the threads the bot answered in, which count as a mention (`implicitMentions.threadParticipation`), and
// the kind of each conversation a message event named, which an `app_mention` (that names none) is answered by.
import type { Logger } from "../../log/logger.ts";
import type { InboundMessage } from "../types.ts";
import {
  peerKindOf,
  type SlackFile,
  type SlackIdentity,
  slackInbound,
  type SlackMessageEvent,
  slackMessageEvent,
  textMentions,
} from "./events.ts";
import type { SlackSettings } from "./settings.ts";

/** How many threads and answered messages are remembered (oldest forgotten first). */
const REMEMBERED = 5000;

/** A set that forgets its oldest entries past a bound. */
class BoundedSet {
  #items = new Set<string>();
  constructor(readonly max: number) {}
  has(key: string): boolean {
    return this.#items.has(key);
  }
  add(key: string): void {
    this.#items.delete(key);
    this.#items.add(key);
    if (this.#items.size > this.max) {
      const oldest = this.#items.values().next();
      if (!oldest.done) this.#items.delete(oldest.value);
    }
  }
}

/** Asks Slack what kind a conversation is (`im`, `mpim`, `channel`, `group`), or undefined when it cannot tell. */
export type ConversationTypeLookup = (channel: string) => Promise<string | undefined>;

/** A message the gate admitted, with the files it carried (kept by the account). */
export interface AdmittedSlackMessage {
  message: InboundMessage;
  files: SlackFile[];
}

/** The account's gate and its memory of threads and answered messages. */
export class SlackGate {
  #settings: SlackSettings;
  #log: Logger;
  #threads = new BoundedSet(REMEMBERED);
  #answered = new BoundedSet(REMEMBERED);
  /** Conversation kinds message events named (`channel_type`), oldest forgotten first. */
  #kinds = new Map<string, string>();
  #lookup: ConversationTypeLookup;

  constructor(settings: SlackSettings, log: Logger, lookup: ConversationTypeLookup) {
    this.#settings = settings;
    this.#log = log;
    this.#lookup = lookup;
  }

  #remember(channel: string, kind: string): void {
    this.#kinds.delete(channel);
    this.#kinds.set(channel, kind);
    if (this.#kinds.size > REMEMBERED) this.#kinds.delete(this.#kinds.keys().next().value ?? channel);
  }

  /**
   * Whether an `app_mention` is in a channel, as the reference decides before answering one: its kind is not in the
   * event, so it is the kind a message event there named, else what `conversations.info` says. In a DM or group DM
   * the `message` event is the one answered (through the DM and group-DM gates), and a mention in a conversation
   * whose kind cannot be told is dropped.
   */
  async #mentionInRoom(event: SlackMessageEvent): Promise<boolean> {
    let kind = event.channelType ?? (event.channel.startsWith("D") ? "im" : this.#kinds.get(event.channel));
    if (kind === undefined) {
      kind = await this.#lookup(event.channel);
      if (kind !== undefined) this.#remember(event.channel, kind);
    }
    if (kind === "channel" || kind === "group") return true;
    this.#log.info(`slack: drop app_mention in ${event.channel} (${kind ?? "conversation type unresolved"})`);
    return false;
  }

  /** The bot posted in a thread: follow-ups there address it. */
  participated(channel: string, threadTs: string): void {
    this.#threads.add(`${channel}:${threadTs}`);
  }

  #replyToMode(event: SlackMessageEvent): string {
    const kind = peerKindOf(event);
    const own = kind === "channel" ? this.#settings.channelRules[event.channel]?.replyToMode : undefined;
    return own ?? this.#settings.replyToMode[kind === "direct" ? "direct" : kind === "group" ? "group" : "channel"];
  }

  /** The message an Events API body carries, normalized (not checked), or undefined when it carries none. */
  inbound(body: Record<string, unknown>, me: SlackIdentity, accountId: string): InboundMessage | undefined {
    const event = slackMessageEvent(body);
    if (!event) return undefined;
    if (event.type === "message" && event.channelType) this.#remember(event.channel, event.channelType);
    const s = this.#settings;
    const inThread = event.threadTs !== undefined && event.threadTs !== event.ts;
    const implicit = inThread &&
      ((s.replyToBotIsMention && event.parentUserId === me.userId) ||
        (s.threadParticipationIsMention && this.#threads.has(`${event.channel}:${event.threadTs}`)));
    return slackInbound(event, me, { accountId, replyToMode: this.#replyToMode(event), implicitMention: implicit });
  }

  /** The checks on a stored event; the message to answer and its files, or undefined to drop it. */
  async admit(
    body: Record<string, unknown>,
    me: SlackIdentity,
    message: InboundMessage,
  ): Promise<AdmittedSlackMessage | undefined> {
    const event = slackMessageEvent(body);
    if (!event) return undefined;
    if (event.type === "app_mention" && !(await this.#mentionInRoom(event))) return undefined;
    const s = this.#settings;
    if (event.user === me.userId || (event.botId !== undefined && event.botId === me.botId)) return undefined;
    if (!event.text.trim() && event.files.length === 0) return undefined;
    const kind = peerKindOf(event);
    const fromBot = event.botId !== undefined || event.subtype === "bot_message";
    if (fromBot) {
      const allow = (kind === "channel" ? s.channelRules[event.channel]?.allowBots : undefined) ?? s.allowBots;
      if (allow === false || (allow === "mentions" && !textMentions(event, me))) {
        this.#log.info(`slack: drop bot message ${event.botId ?? event.user} in ${event.channel} (allowBots)`);
        return undefined;
      }
    }
    if (kind === "direct" && !s.dmEnabled) {
      this.#log.info(`slack: drop dm sender ${message.senderId} (dm-disabled)`);
      return undefined;
    }
    if (kind === "group") {
      const listed = s.groupDmChannels === undefined || s.groupDmChannels.includes(event.channel);
      if (!s.groupDmEnabled || !listed) {
        this.#log.info(
          `slack: drop group dm ${event.channel} (${
            s.groupDmEnabled ? "not in dm.groupChannels" : "group-dm-disabled"
          })`,
        );
        return undefined;
      }
      // As the reference: only the owners (allowFrom, never the pairing store) talk in a group DM, whatever
      // groupPolicy says about channels.
      const senders = s.groupDmSenders.map((entry) => entry.toLowerCase());
      if (!senders.includes("*") && !senders.includes(message.senderId.toLowerCase())) {
        this.#log.info(`slack: drop group dm ${event.channel} sender ${message.senderId} (not in allowFrom)`);
        return undefined;
      }
    }
    // Slack sends a mention twice when the app subscribes to both `message.*` and `app_mention`: answer it once.
    const key = `${event.channel}:${event.ts}`;
    if (this.#answered.has(key)) return undefined;
    this.#answered.add(key);
    return { message, files: event.files };
  }
}
