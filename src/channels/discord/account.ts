import { REST } from "@discordjs/rest";
import { type SessionInfo, WebSocketManager, WebSocketShardEvents } from "@discordjs/ws";
import {
  GatewayDispatchEvents,
  type GatewayDispatchPayload,
  GatewayIntentBits,
  type GatewayMessageCreateDispatchData,
  MessageFlags,
  Routes,
} from "discord-api-types/v10";
import type { DiscordAccountConfig } from "../../config/resolve.ts";
import { getLogger } from "../../log/logger.ts";
import type { AccountEntry } from "../accounts.ts";
import type { AccountContext } from "../catalog.ts";
import { ChannelError, messageOf } from "../errors.ts";
import { freshStatus, type KeptStatus, Reconnector } from "../reconnect.ts";
import type {
  AccountHost,
  ChannelAccount,
  ConnectionStatus,
  InboundMessage,
  ProbeResult,
  ReplayRules,
} from "../types.ts";
import { ChannelDirectory } from "./directory.ts";
import { fatalCloseMessage, isFatalClose } from "./gateway_close.ts";
import { decideGuildMessage } from "./guild_access.ts";
import { discordAttachmentsOf, fetchDiscordAttachments, unavailableNotice } from "./inbound_media.ts";
import { discordInbound, discordReceipt, keptDiscordMessage, mentionsBot } from "./inbound_message.ts";
import { splitByLines } from "./lines.ts";
import { unansweredDiscordType } from "./message_types.ts";
import { type BotUser, botUserOf, idOf, isChannel } from "./rest_shapes.ts";
import { type DiscordSettings, discordSettings } from "./settings.ts";
import type { OutboundMedia } from "../../media/media_types.ts";

/** Builds a Discord account from its raw settings (the catalog calls this). */
export function createDiscordAccount(
  account: AccountEntry<DiscordAccountConfig>,
  context: AccountContext,
): ChannelAccount {
  return new DiscordAccount(discordSettings(account, context.env), context.host);
}

/**
 * One Discord bot: REST (`@discordjs/rest`: per-route and global rate limits, 429 retries) and one
 * gateway shard (`@discordjs/ws`: HELLO/IDENTIFY, heartbeats, zombie detection, RESUME after a
 * dropped connection, re-IDENTIFY when the session is gone). Failures the library does not recover
 * from (a rejected token, disallowed intents) are retried with backoff and shown in status.
 */
class DiscordAccount implements ChannelAccount {
  readonly channel = "discord" as const;
  readonly accountId: string;
  readonly textChunkLimit: number;
  readonly streamBreak = "paragraph" as const;
  #settings: DiscordSettings;
  #host: AccountHost;
  #rest: REST;
  #log = getLogger("channels/discord");
  #label: string;
  #me: BotUser | undefined;
  #manager: WebSocketManager | undefined;
  /** This account's gateway session, for RESUME (the library's default store is one per process). */
  #session: SessionInfo | null = null;
  #connected = false;
  #directory: ChannelDirectory;
  /** DM channel ids by user id, so `user:<id>` opens a DM once. */
  #dmChannels = new Map<string, string>();
  #status: KeptStatus;
  #reconnector: Reconnector;
  #ended: { resolve: () => void; reject: (error: Error) => void } | undefined;
  /** The code the gateway connection last closed with, in this attempt. */
  #closeCode: number | undefined;
  /** A fatal close code stopped the account (no more attempts until it is rebuilt). */
  #halted = false;

  constructor(settings: DiscordSettings, host: AccountHost) {
    this.#settings = settings;
    this.#host = host;
    this.accountId = settings.accountId;
    this.textChunkLimit = settings.textChunkLimit;
    this.#label = `discord/${settings.accountId}`;
    this.#rest = new REST({ api: settings.api, version: settings.apiVersion }).setToken(settings.token);
    this.#directory = new ChannelDirectory(async (id) => {
      const channel = await this.#rest.get(Routes.channel(id));
      if (!isChannel(channel)) throw new ChannelError("unavailable", `Discord answered GET /channels/${id} oddly`);
      return channel;
    });
    this.#status = freshStatus(settings.accountId, {
      mode: "gateway",
      baseUrl: `${settings.api}/v${settings.apiVersion}`,
    });
    this.#reconnector = new Reconnector({
      status: this.#status,
      log: this.#log,
      label: this.#label,
      attempt: () => this.#attempt(),
    });
  }

  status(): ConnectionStatus {
    return {
      ...this.#status,
      running: this.#reconnector.running && !this.#halted,
      connected: this.#connected,
      ...(this.#me ? { bot: { username: this.#me.username } } : {}),
    };
  }

  start(): void {
    this.#reconnector.start();
  }

  stop(): Promise<void> {
    // The REST client's sweep intervals would otherwise keep it (and its caches) alive for good.
    this.#rest.clearHashSweeper();
    this.#rest.clearHandlerSweeper();
    return this.#reconnector.stop(async () => {
      this.#connected = false;
      await Promise.resolve(this.#manager?.destroy()).catch(() => {});
      this.#manager = undefined;
      this.#ended?.resolve();
    });
  }

  /** One run: the bot user, then the gateway until the account stops or the library gives up. */
  async #attempt(): Promise<"done" | "again"> {
    const ended = Promise.withResolvers<void>();
    // The library's Error event may reject it while `connect()` is still pending (and rejects too).
    ended.promise.catch(() => {});
    this.#ended = ended;
    this.#closeCode = undefined;
    const stopped = () => !this.#reconnector.running;
    try {
      const me = botUserOf(await this.#rest.get(Routes.user()));
      if (stopped()) return "done";
      this.#me = me;
      const manager = this.#gateway();
      this.#manager = manager;
      // The last network wait before a shard connects (cached for `connect()`): stop() may land here.
      await manager.fetchGatewayInformation();
      if (stopped()) return "done";
      const connecting = manager.connect();
      connecting.catch(() => {});
      // stop() ends the wait even if the shard it destroyed never becomes ready.
      await Promise.race([connecting, ended.promise]);
      await ended.promise;
      return "done";
    } catch (error) {
      this.#connected = false;
      await Promise.resolve(this.#manager?.destroy()).catch(() => {});
      this.#manager = undefined;
      const code = this.#closeCode;
      if (isFatalClose(code)) {
        // Retrying cannot help, and every retry spends an IDENTIFY (Discord resets a bot's token
        // after 1000 a day): stop here and say why, as the reference does.
        this.#halted = true;
        this.#status.lastError = fatalCloseMessage(code, messageOf(error));
        this.#log.error(`${this.#label}: ${this.#status.lastError}`);
        return "done";
      }
      throw error;
    }
  }

  #gateway(): WebSocketManager {
    const s = this.#settings;
    const intents = GatewayIntentBits.Guilds | GatewayIntentBits.GuildMessages | GatewayIntentBits.DirectMessages |
      (s.messageContent ? GatewayIntentBits.MessageContent : 0);
    const manager = new WebSocketManager({
      token: s.token,
      intents,
      rest: this.#rest,
      retrieveSessionInfo: () => this.#session,
      updateSessionInfo: (_shard, info) => {
        this.#session = info;
      },
    });
    manager.on(WebSocketShardEvents.Ready, (data) => {
      this.#connected = true;
      this.#reconnector.connected();
      this.#log.info(`${this.#label}: connected as ${data.user.username} (session ${data.session_id})`);
      // What the queue kept across a stop or crash is answered now, as the reference drains on READY.
      this.#host.ready(this.#replayRules());
    });
    manager.on(WebSocketShardEvents.Resumed, () => {
      this.#connected = true;
      this.#reconnector.connected();
      this.#log.info(`${this.#label}: resumed gateway session`);
      this.#host.ready(this.#replayRules());
    });
    manager.on(WebSocketShardEvents.Closed, (code) => {
      this.#connected = false;
      this.#closeCode = code;
      if (this.#reconnector.running && !isFatalClose(code)) {
        this.#log.info(`${this.#label}: gateway closed (${code}); reconnecting`);
      }
    });
    manager.on(WebSocketShardEvents.Error, (error) => {
      // Emitted for what the library does not recover from itself: retry from scratch with backoff.
      this.#ended?.reject(error);
    });
    manager.on(WebSocketShardEvents.Debug, (message) => this.#log.debug(`${this.#label}: ${message}`));
    manager.on(WebSocketShardEvents.Dispatch, (payload) => this.#dispatch(payload));
    return manager;
  }

  #dispatch(payload: GatewayDispatchPayload): void {
    switch (payload.t) {
      case GatewayDispatchEvents.GuildCreate:
        if ("name" in payload.d) this.#directory.guild(payload.d);
        return;
      case GatewayDispatchEvents.ChannelCreate:
      case GatewayDispatchEvents.ChannelUpdate:
      case GatewayDispatchEvents.ThreadCreate:
      case GatewayDispatchEvents.ThreadUpdate:
        this.#directory.channel(payload.d);
        return;
      case GatewayDispatchEvents.MessageCreate:
        void this.#receive(payload.d).catch((error) =>
          this.#log.error(
            `${this.#label}: message ${payload.d.id} could not be stored, so it is lost: ${messageOf(error)}`,
          )
        );
        return;
    }
  }

  /**
   * A MESSAGE_CREATE: stored in the durable inbound queue before anything else, as the reference does (Discord
   * never sends it again, bar a RESUME's replay, which the queue turns away); answered once stored, and after a
   * restart if a stop or crash cut the answer off. The checks run on the stored message, in {@link admit}.
   */
  async #receive(raw: GatewayMessageCreateDispatchData): Promise<void> {
    const receipt = discordReceipt(raw, Date.now());
    const me = this.#me;
    if (!receipt || !me || typeof raw.content !== "string") return;
    const message = discordInbound(raw, me, this.accountId, this.#settings.guildRules.nameMatching);
    await this.#host.inbound(message, receipt);
  }

  /** The account's gate on a stored message: its own, bots (per `allowBots`), DMs off, the guild rules. */
  async admit(
    message: InboundMessage,
    stored: Record<string, unknown> | undefined,
  ): Promise<InboundMessage | undefined> {
    const me = this.#me;
    const m = stored ? keptDiscordMessage(stored) : undefined;
    if (!me || !m) {
      this.#log.warn(`${this.#label}: message ${message.messageId} not answered (its stored event is unreadable)`);
      return undefined;
    }
    const unanswered = unansweredDiscordType(m.type, m.guild_id !== undefined);
    if (unanswered) {
      this.#log.info(`discord: drop message ${m.id} (${unanswered})`);
      return undefined;
    }
    // A message with files and no words (an image, a voice message) is conversation too.
    if (m.author.id === me.id || (!m.content.trim() && discordAttachmentsOf(m).length === 0)) return undefined;
    const mentioned = mentionsBot(m, me);
    if (m.author.bot || m.webhook_id) {
      if (this.#settings.allowBots === false || (this.#settings.allowBots === "mentions" && !mentioned)) {
        return undefined;
      }
    }
    if (m.guild_id === undefined) {
      if (!this.#settings.dmEnabled) {
        this.#log.info(`discord: drop dm sender ${m.author.id} (dm-disabled)`);
        return undefined;
      }
      this.#status.lastInboundAt = Date.now();
      return message;
    }
    const where = await this.#directory.place(m.guild_id, m.channel_id);
    const decision = decideGuildMessage(this.#settings.guildRules, {
      guildId: m.guild_id,
      guildName: where.guildName,
      channelId: m.channel_id,
      channelName: where.channelName,
      parentId: where.parentId,
      parentName: where.parentName,
      senderId: m.author.id,
      senderNames: [m.author.username, ...(m.author.global_name ? [m.author.global_name] : [])],
      roleIds: m.member?.roles ?? [],
      mentioned,
      mentionsOthers: m.mentions.some((user) => user.id !== me.id) || (m.mention_roles ?? []).length > 0,
    });
    if (decision.action === "drop") {
      this.#log.info(`discord: drop channel ${m.channel_id} sender ${m.author.id} (${decision.reason})`);
      return undefined;
    }
    this.#status.lastInboundAt = Date.now();
    return message;
  }

  /**
   * An admitted message with its attachments kept in the media store (inbound_media.ts); those that could not be
   * kept are named after its text, as the reference does. Read from the stored event, so a replay fetches them too.
   */
  async hydrate(message: InboundMessage, stored: Record<string, unknown> | undefined): Promise<InboundMessage> {
    const store = this.#host.media;
    const refs = discordAttachmentsOf(stored ? keptDiscordMessage(stored) : undefined);
    if (!store || refs.length === 0 || message.media?.length) return message;
    const fetched = await fetchDiscordAttachments(refs, {
      store,
      maxBytes: this.#settings.mediaMaxBytes,
      extraOrigin: this.#settings.fileOrigin,
    });
    for (const failure of fetched.failures) {
      this.#log.warn(`discord: failed to download attachment ${failure.replace(/^attachment /, "")}`);
    }
    return {
      ...message,
      text: unavailableNotice(message.text, fetched.failures.length),
      ...(fetched.media.length ? { media: fetched.media } : {}),
    };
  }

  /** How the queue reads what it kept for this account: a row the reference wrote holds only the raw event. */
  #replayRules(): ReplayRules {
    return {
      decode: (payload) => {
        const m = keptDiscordMessage(payload);
        const me = this.#me;
        return m && me ? discordInbound(m, me, this.accountId, this.#settings.guildRules.nameMatching) : undefined;
      },
    };
  }

  /** The channel a target names: `channel:<id>`, or a DM opened for `user:<id>` / `<@id>`. */
  async #channelFor(target: string): Promise<string> {
    const trimmed = target.trim();
    const channel = /^channel:(\d+)$/i.exec(trimmed)?.[1] ?? /^<#(\d+)>$/.exec(trimmed)?.[1];
    if (channel) return channel;
    const user = /^user:(\d+)$/i.exec(trimmed)?.[1] ?? /^<@!?(\d+)>$/.exec(trimmed)?.[1];
    if (!user) {
      throw new ChannelError(
        "invalid",
        /^\d+$/.test(trimmed)
          ? `Ambiguous Discord recipient "${trimmed}". For DMs use "user:${trimmed}" or "<@${trimmed}>"; for channels use "channel:${trimmed}".`
          : `"${trimmed}" is not a Discord target: use user:<id> for a DM or channel:<id> for a channel`,
      );
    }
    const known = this.#dmChannels.get(user);
    if (known) return known;
    const dm = idOf(await this.#rest.post(Routes.userChannels(), { body: { recipient_id: user } }), "a DM opening");
    this.#dmChannels.set(user, dm);
    return dm;
  }

  async send(target: string, text: string): Promise<{ messageId?: string }> {
    const channelId = await this.#channelFor(target);
    let last: string | undefined;
    try {
      for (const piece of splitByLines(text, this.#settings.maxLinesPerMessage)) {
        const sent = await this.#rest.post(Routes.channelMessages(channelId), {
          body: {
            content: piece,
            ...(this.#settings.suppressEmbeds ? { flags: MessageFlags.SuppressEmbeds } : {}),
          },
        });
        last = idOf(sent, "a message post");
      }
      this.#status.lastOutboundAt = Date.now();
      return last ? { messageId: last } : {};
    } catch (error) {
      throw new ChannelError("unavailable", `Discord send to ${target} failed: ${messageOf(error)}`, { cause: error });
    }
  }

  /** Posts a file as an attachment (send_media.ts), with its text as the message content. */
  async sendMedia(target: string, media: OutboundMedia): Promise<{ messageId?: string }> {
    const channelId = await this.#channelFor(target);
    const { sendDiscordMedia } = await import("./send_media.ts");
    try {
      const sent = await sendDiscordMedia(this.#rest, channelId, media, {
        textChunkLimit: this.textChunkLimit,
        maxLinesPerMessage: this.#settings.maxLinesPerMessage,
        flags: this.#settings.suppressEmbeds ? MessageFlags.SuppressEmbeds : undefined,
      });
      this.#status.lastOutboundAt = Date.now();
      return sent;
    } catch (error) {
      throw new ChannelError("unavailable", `Discord media send to ${target} failed: ${messageOf(error)}`, {
        cause: error,
      });
    }
  }

  async probe(timeoutMs: number): Promise<ProbeResult> {
    const started = performance.now();
    const elapsedMs = () => Math.round(performance.now() - started);
    try {
      const me = botUserOf(await this.#rest.get(Routes.user(), { signal: AbortSignal.timeout(timeoutMs) }));
      return { ok: true, elapsedMs: elapsedMs(), details: { username: me.username } };
    } catch (error) {
      const message = error instanceof DOMException && error.name === "TimeoutError"
        ? `no answer from ${this.#settings.api} within ${timeoutMs} ms`
        : messageOf(error);
      return { ok: false, error: message, elapsedMs: elapsedMs() };
    }
  }
}
