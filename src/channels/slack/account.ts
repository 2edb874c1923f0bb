import type { SocketModeClient } from "@slack/socket-mode";
import type { WebClient } from "@slack/web-api";
import type { SlackAccountConfig } from "../../config/resolve.ts";
import { isJsonObject } from "../../log/json_object.ts";
import { getLogger } from "../../log/logger.ts";
import type { OutboundMedia } from "../../media/media_types.ts";
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
import { keptSlackBody, type SlackIdentity, slackMessageEvent, slackReceipt } from "./events.ts";
import { keepSlackFiles, uploadSlackFile } from "./files.ts";
import { slackHttpEvents } from "./http_events.ts";
import { toSlackMrkdwn } from "./mrkdwn.ts";
import { SlackGate } from "./gate.ts";
import { type SlackSettings, slackSettings } from "./settings.ts";
import { parseSlackTarget } from "./targets.ts";
import {
  conversationType,
  PERMANENT_ERRORS,
  probeSlack,
  slackErrorCode,
  slackSocketClient,
  slackWebClient,
  UserNames,
} from "./web_client.ts";

/** Builds a Slack account from its raw settings (the catalog calls this). */
export function createSlackAccount(account: AccountEntry<SlackAccountConfig>, context: AccountContext): ChannelAccount {
  return new SlackAccount(slackSettings(account, context.env), context.host);
}

/**
 * One Slack app: the Web API (`@slack/web-api`) for identity, sends and uploads, and events either over Socket Mode
 * (`@slack/socket-mode`: `apps.connections.open`, the WebSocket, acks) or as HTTP requests Slack signs, served on
 * the gateway's port. A dropped socket ends the attempt and the account reconnects with backoff (the library's own
 * reconnect waits 15 s × failures); a rejected token stops the account and says why, as the reference fails fast.
 */
class SlackAccount implements ChannelAccount {
  readonly channel = "slack" as const;
  readonly accountId: string;
  readonly textChunkLimit: number;
  readonly streamBreak = "paragraph" as const;
  #settings: SlackSettings;
  #host: AccountHost;
  #web: WebClient;
  #log = getLogger("channels/slack");
  #label: string;
  #me: SlackIdentity | undefined;
  #gate: SlackGate;
  #socket: SocketModeClient | undefined;
  #unmount: (() => void) | undefined;
  #connected = false;
  #halted = false;
  #status: KeptStatus;
  #reconnector: Reconnector;
  #ended: PromiseWithResolvers<void> | undefined;
  /** Resolved by {@link stop}: what an attempt still waits for (Slack's answers) is no longer awaited. */
  #halt = Promise.withResolvers<void>();
  /** DM channel ids by user id, so `user:<id>` opens a DM once. */
  #dmChannels = new Map<string, string>();
  #names: UserNames;

  constructor(settings: SlackSettings, host: AccountHost) {
    this.#settings = settings;
    this.#host = host;
    this.accountId = settings.accountId;
    this.textChunkLimit = settings.textChunkLimit;
    this.#label = `slack/${settings.accountId}`;
    this.#web = slackWebClient(settings, this.#log);
    this.#names = new UserNames(this.#web, this.#log);
    this.#gate = new SlackGate(settings, this.#log, (channel) => conversationType(this.#web, channel, this.#log));
    this.#status = freshStatus(settings.accountId, {
      mode: settings.mode,
      baseUrl: settings.apiUrl,
      ...(settings.mode === "http" ? { webhookPath: settings.webhookPath } : {}),
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
      ...(this.#me ? { bot: { username: this.#me.name } } : {}),
    };
  }

  start(): void {
    if (!this.#reconnector.running) this.#halt = Promise.withResolvers<void>();
    this.#reconnector.start();
  }

  stop(): Promise<void> {
    return this.#reconnector.stop(async () => {
      this.#connected = false;
      this.#unmount?.();
      this.#unmount = undefined;
      const socket = this.#socket;
      this.#socket = undefined;
      this.#halt.resolve();
      await socket?.disconnect().catch(() => {});
      this.#ended?.resolve();
    });
  }

  /**
   * The value `work` resolves with, or `"stopped"` as soon as the account stops: a stop never waits for Slack's
   * answer (the Web API retries and has no timeout of its own). `work` is left to settle on its own then.
   */
  #unlessStopped<T>(work: Promise<T>): Promise<T | "stopped"> {
    work.catch(() => {});
    return Promise.race([work, this.#halt.promise.then(() => "stopped" as const)]);
  }

  /** One run: who the bot is (`auth.test`), then events until the socket drops or the account stops. */
  async #attempt(): Promise<"done" | "again"> {
    const ended = Promise.withResolvers<void>();
    this.#ended = ended;
    const stopped = () => !this.#reconnector.running;
    // Which token a rejection is about: the bot token until auth.test passed, then the app token.
    let token = "bot";
    try {
      const auth = await this.#unlessStopped(this.#web.auth.test());
      if (auth === "stopped") return "done";
      if (!auth.user_id) throw new ChannelError("unavailable", "Slack auth.test returned no user_id");
      this.#me = { userId: auth.user_id, botId: auth.bot_id, team: auth.team_id, name: auth.user ?? auth.user_id };
      if (stopped()) return "done";
      if (this.#settings.mode === "http") return this.#serveHttp();
      token = "app";
      await this.#runSocket(ended);
      return stopped() ? "done" : "again";
    } catch (error) {
      this.#connected = false;
      const code = slackErrorCode(error);
      if (code && PERMANENT_ERRORS.has(code)) {
        this.#halted = true;
        this.#status.lastError = `Slack rejected the ${token} token (${code}); fix the token and restart the channel`;
        this.#log.error(`${this.#label}: ${this.#status.lastError}`);
        return "done";
      }
      throw error;
    }
  }

  /** HTTP mode: the events path is served on the gateway's port from now on; the attempt is done. */
  #serveHttp(): "done" {
    const secret = this.#settings.signingSecret;
    if (!secret) throw new ChannelError("invalid", `Slack account ${this.accountId} has no signing secret`);
    this.#unmount = this.#host.mountWebhook(
      this.#settings.webhookPath,
      slackHttpEvents({
        signingSecret: secret,
        log: this.#log,
        label: this.#label,
        onEvent: (body, retry) => this.#receive(body, retry),
      }),
    );
    this.#connected = true;
    this.#reconnector.connected();
    this.#log.info(`${this.#label}: HTTP events at ${this.#settings.webhookPath} as ${this.#me?.name}`);
    this.#host.ready(this.#replayRules());
    return "done";
  }

  /** Socket Mode until the connection ends: the library's reconnect is off, so every drop comes back here. */
  async #runSocket(ended: PromiseWithResolvers<void>): Promise<void> {
    const socket = slackSocketClient(this.#settings, this.#log);
    this.#socket = socket;
    socket.on("connected", () => {
      // Stopped while apps.connections.open was answered: the library still opens the socket it named; close it.
      if (!this.#reconnector.running) return void socket.disconnect().catch(() => {});
      this.#connected = true;
      this.#reconnector.connected();
      this.#log.info(`${this.#label}: socket mode connected as ${this.#me?.name}`);
      this.#host.ready(this.#replayRules());
    });
    socket.on("disconnected", () => {
      this.#connected = false;
      ended.resolve();
    });
    socket.on("slack_event", (envelope: unknown) => void this.#envelope(envelope));
    try {
      // Until Slack answers apps.connections.open and says hello, a stop ends the wait; the "connected" handler
      // closes a socket that opens after it.
      if (await this.#unlessStopped(socket.start()) !== "stopped") await ended.promise;
      if (this.#reconnector.running) this.#log.info(`${this.#label}: socket closed; reconnecting`);
    } finally {
      this.#connected = false;
      if (this.#socket === socket) this.#socket = undefined;
      await socket.disconnect().catch(() => {});
    }
  }

  /** A Socket Mode envelope: an event callback is acknowledged only once the queue stored it. */
  async #envelope(envelope: unknown): Promise<void> {
    if (!isJsonObject(envelope)) return;
    const { ack, type, body, retry_num: num, retry_reason: reason } = envelope;
    if (typeof ack !== "function") return;
    try {
      if (type === "events_api" && isJsonObject(body)) {
        await this.#receive(body, {
          num: typeof num === "number" ? num : undefined,
          reason: typeof reason === "string" ? reason : undefined,
        });
      }
      await ack();
    } catch (error) {
      // Not acknowledged: Slack sends the envelope again.
      this.#log.error(`${this.#label}: event not stored, so not acknowledged: ${messageOf(error)}`);
    }
  }

  /**
   * An event callback: a message is stored in the durable inbound queue before anything else, as the reference
   * does, and answered once stored; the checks run on the stored event, in {@link admit}.
   */
  async #receive(body: Record<string, unknown>, retry: { num?: number | undefined; reason?: string | undefined }) {
    const me = this.#me;
    if (!me) throw new ChannelError("unavailable", "Slack event before the bot's identity is known");
    const message = this.#gate.inbound(body, me, this.accountId);
    if (!message) return;
    const receipt = slackReceipt(body, Date.now(), retry);
    if (!receipt) return;
    await this.#host.inbound(message, receipt);
  }

  /** The account's gate on a stored message (its own, bots, DMs off, group DMs); its files wait for `hydrate`. */
  async admit(
    message: InboundMessage,
    stored: Record<string, unknown> | undefined,
  ): Promise<InboundMessage | undefined> {
    const me = this.#me;
    const body = stored ? keptSlackBody(stored) : undefined;
    if (!me || !body) {
      this.#log.warn(`${this.#label}: message ${message.messageId} not answered (its stored event is unreadable)`);
      return undefined;
    }
    const admitted = await this.#gate.admit(body, me, message);
    if (!admitted) return undefined;
    this.#status.lastInboundAt = Date.now();
    return { ...admitted.message, senderName: await this.#names.of(admitted.message.senderId) };
  }

  /**
   * Downloads the files of a message the access gate admitted, from the event kept in its queue row (so a replay
   * fetches them too): a sender the pairing or allowlist gate refuses never gets a file fetched.
   */
  async hydrate(message: InboundMessage, stored: Record<string, unknown> | undefined): Promise<InboundMessage> {
    const body = stored ? keptSlackBody(stored) : undefined;
    const files = body ? slackMessageEvent(body)?.files ?? [] : [];
    if (files.length === 0 || !this.#host.media || message.media?.length) return message;
    const media = await keepSlackFiles(files, {
      botToken: this.#settings.botToken,
      apiUrl: this.#settings.apiUrl,
      store: this.#host.media,
      maxBytes: this.#settings.mediaMaxBytes,
    }, (line) => this.#log.warn(`${this.#label}: ${line}`));
    return media.length > 0 ? { ...message, media } : message;
  }

  /** How the queue reads what it kept for this account: a row the reference wrote holds only the raw event. */
  #replayRules(): ReplayRules {
    return {
      decode: (payload) => {
        const body = keptSlackBody(payload);
        return body && this.#me ? this.#gate.inbound(body, this.#me, this.accountId) : undefined;
      },
    };
  }

  /** The conversation a target names, opening a DM for `user:<id>`. */
  async #place(target: string): Promise<{ channel: string; threadTs: string | undefined }> {
    const parsed = parseSlackTarget(target);
    if (parsed.kind === "channel") return { channel: parsed.id, threadTs: parsed.threadTs };
    const known = this.#dmChannels.get(parsed.id);
    if (known) return { channel: known, threadTs: parsed.threadTs };
    const opened = await this.#web.conversations.open({ users: parsed.id });
    const id = opened.channel?.id;
    if (!id) throw new ChannelError("unavailable", `Slack conversations.open for ${parsed.id} returned no channel`);
    this.#dmChannels.set(parsed.id, id);
    return { channel: id, threadTs: parsed.threadTs };
  }

  async send(target: string, text: string): Promise<{ messageId?: string }> {
    const place = await this.#place(target);
    // The model writes Markdown; Slack shows mrkdwn (the reference converts every reply).
    const mrkdwn = toSlackMrkdwn(text);
    if (!mrkdwn.trim()) return {};
    try {
      const sent = await this.#web.chat.postMessage({
        channel: place.channel,
        text: mrkdwn,
        ...(place.threadTs ? { thread_ts: place.threadTs } : {}),
        unfurl_links: this.#settings.unfurlLinks,
        ...(this.#settings.unfurlMedia ? { unfurl_media: true } : {}),
      });
      this.#status.lastOutboundAt = Date.now();
      if (place.threadTs) this.#gate.participated(place.channel, place.threadTs);
      return sent.ts ? { messageId: sent.ts } : {};
    } catch (error) {
      throw new ChannelError("unavailable", `Slack send to ${target} failed: ${messageOf(error)}`, { cause: error });
    }
  }

  async sendMedia(target: string, media: OutboundMedia): Promise<{ messageId?: string }> {
    const store = this.#host.media;
    if (!store) throw new ChannelError("unavailable", "Slack cannot send files: the gateway has no media store");
    const place = await this.#place(target);
    const { bytes } = await store.read(media.path, this.#settings.mediaMaxBytes);
    try {
      const caption = media.caption ? toSlackMrkdwn(media.caption) : undefined;
      const fileId = await uploadSlackFile(this.#web, place, { ...media, caption }, bytes, this.#settings.apiUrl);
      this.#status.lastOutboundAt = Date.now();
      return { messageId: fileId };
    } catch (error) {
      throw new ChannelError("unavailable", `Slack upload to ${target} failed: ${messageOf(error)}`, { cause: error });
    }
  }

  probe(timeoutMs: number): Promise<ProbeResult> {
    return probeSlack(this.#settings, this.#log, timeoutMs);
  }
}
