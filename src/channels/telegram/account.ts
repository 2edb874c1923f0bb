import { isJsonObject } from "../../log/json_object.ts";
import { Bot, type Context, webhookCallback } from "grammy/web";
import type { TelegramAccountConfig } from "../../config/resolve.ts";
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
import { keptTelegramInbound, telegramInbound } from "./inbound_message.ts";
import { fetchTelegramFile, telegramFileOf } from "./inbound_media.ts";
import { type TelegramSettings, telegramSettings } from "./settings.ts";
import { parseTelegramTarget, telegramThreadParams } from "./topics.ts";

/** The queue's event id of an update, as the reference keys it: the update_id padded to 16 digits. */
export const telegramEventId = (updateId: number): string => String(updateId).padStart(16, "0");

/** A received update could not be stored in the inbound queue: it must not be acknowledged to Telegram. */
class UpdateNotStoredError extends Error {
  constructor(readonly updateId: number, cause: unknown) {
    super(
      `Cannot store Telegram update ${updateId} in the inbound queue: ${messageOf(cause)}; it stays unacknowledged`,
      {
        cause,
      },
    );
  }
}

/** Largest webhook body accepted. */
const WEBHOOK_MAX_BYTES = 1024 * 1024;

/** The request body, or undefined once it passes `max` bytes (read no further). */
async function readCapped(request: Request, max: number): Promise<Uint8Array<ArrayBuffer> | undefined> {
  if (Number(request.headers.get("content-length") ?? 0) > max) return undefined;
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of request.body ?? new ReadableStream<Uint8Array>()) {
    size += chunk.length;
    if (size > max) return undefined;
    chunks.push(chunk);
  }
  const body = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.length;
  }
  return body;
}

/** Builds a Telegram account from its raw settings (the catalog calls this). */
export function createTelegramAccount(
  account: AccountEntry<TelegramAccountConfig>,
  context: AccountContext,
): ChannelAccount {
  return new TelegramAccount(telegramSettings(account, context.env, context.readStoreValue), context.host);
}

/**
 * One Telegram bot through grammY: long polling by default, or a webhook served on the
 * gateway's own port (`webhookUrl` + `webhookSecret`, at `webhookPath`). Startup failures (a
 * rejected token, an unreachable API) are retried with exponential backoff and shown in status.
 */
class TelegramAccount implements ChannelAccount {
  readonly channel = "telegram" as const;
  readonly accountId: string;
  readonly textChunkLimit: number;
  readonly streamBreak = "paragraph" as const;
  #settings: TelegramSettings;
  #host: AccountHost;
  #bot: Bot;
  #log = getLogger("channels/telegram");
  #connected = false;
  #unmount: (() => void) | undefined;
  #status: KeptStatus;
  #reconnector: Reconnector;

  constructor(settings: TelegramSettings, host: AccountHost) {
    this.#settings = settings;
    this.#host = host;
    this.accountId = settings.accountId;
    this.textChunkLimit = settings.textChunkLimit;
    this.#bot = new Bot(settings.token, { client: { apiRoot: settings.apiRoot } });
    // grammY awaits this before it asks for the next updates, whose offset acknowledges this one.
    this.#bot.on("message", (ctx) => this.#message(ctx));
    this.#bot.catch((error) => {
      if (error.error instanceof UpdateNotStoredError) {
        // Stop polling without acknowledging it: the next start asks for this update again.
        Reflect.set(this.#bot, "lastTriedUpdateId", error.error.updateId - 1);
        throw error.error;
      }
      this.#log.warn(`telegram/${this.accountId}: update failed: ${error.message}`);
    });
    this.#status = freshStatus(settings.accountId, {
      mode: settings.webhook ? "webhook" : "polling",
      baseUrl: settings.apiRoot,
      ...(settings.webhook ? { webhookPath: settings.webhook.path } : {}),
      tokenSource: settings.tokenSource === "file" ? "tokenFile" : settings.tokenSource,
      tokenStatus: "available",
      lastEventAt: null,
      lastTransportActivityAt: null,
    });
    // The reference's transport clock: every successful long poll, so a stale transport shows in `channels status`.
    this.#bot.api.config.use(async (prev, method, payload, signal) => {
      const result = await prev(method, payload, signal);
      if (method === "getUpdates" && result.ok) this.#noteTransport();
      return result;
    });
    this.#reconnector = new Reconnector({
      status: this.#status,
      log: this.#log,
      label: `telegram/${this.accountId}`,
      attempt: () => this.#attempt(),
    });
  }

  status(): ConnectionStatus {
    const username = this.#bot.isInited() ? this.#bot.botInfo.username : undefined;
    return {
      ...this.#status,
      running: this.#reconnector.running,
      connected: this.#connected,
      ...(username ? { bot: { username } } : {}),
    };
  }

  start(): void {
    this.#reconnector.start();
  }

  stop(): Promise<void> {
    return this.#reconnector.stop(async () => {
      this.#unmount?.();
      this.#connected = false;
      if (!this.#bot.isRunning()) return;
      // grammY's stop confirms every update up to the one it is handling; one whose store has not committed yet
      // must stay unconfirmed (stored meanwhile, Telegram's redelivery after the restart is a duplicate).
      if (this.#storing.size > 0) Reflect.set(this.#bot, "lastTriedUpdateId", Math.min(...this.#storing) - 1);
      await this.#bot.stop().catch(() => {});
    });
  }

  /** One start: the webhook registered (done), or a long-polling run that ended (again). */
  async #attempt(): Promise<"done" | "again"> {
    try {
      await this.#bot.init();
      if (this.#settings.webhook) {
        await this.#serveWebhook(this.#settings.webhook);
        return "done";
      }
      // A new polling run has not polled yet, as the reference resets its clocks at each start.
      this.#status.lastEventAt = null;
      this.#status.lastTransportActivityAt = null;
      await this.#bot.start({
        "drop_pending_updates": false,
        onStart: () => {
          this.#connected = true;
          this.#reconnector.connected();
          this.#host.ready(this.#replayRules());
          this.#log.info(`telegram/${this.accountId}: polling as @${this.#bot.botInfo.username}`);
        },
      });
      if (!this.#reconnector.running) return "done";
      throw new Error("long polling ended unexpectedly");
    } catch (error) {
      this.#connected = false;
      throw error;
    }
  }

  async #serveWebhook(webhook: { url: string; secret: string; path: string }): Promise<void> {
    // A store slower than grammY's timeout must not be answered 200: Telegram would never send the update again.
    const handle = webhookCallback(this.#bot, "std/http", { secretToken: webhook.secret, onTimeout: "throw" });
    this.#unmount = this.#host.mountWebhook(webhook.path, async (request) => {
      if (request.method !== "POST") {
        return new Response("Method Not Allowed", { status: 405, headers: { allow: "POST" } });
      }
      // An update is a few KiB; anything near the cap is not Telegram's.
      const body = await readCapped(request, WEBHOOK_MAX_BYTES);
      if (body === undefined) return new Response("Payload Too Large", { status: 413 });
      let response: Response;
      try {
        response = await handle(new Request(request.url, { method: "POST", headers: request.headers, body }));
        // An update heard on the webhook is an event; the transport clock is the long poll's (as the reference).
        if (response.ok) this.#status.lastEventAt = Date.now();
      } catch (error) {
        // Not stored (or not yet): an error status leaves the update with Telegram, which sends it again. An empty
        // 500, as the reference answers a failed admission.
        this.#log.warn(`telegram/${this.accountId}: webhook request failed: ${messageOf(error)}`);
        return new Response("", { status: 500, headers: { "content-type": "text/plain; charset=utf-8" } });
      }
      return this.#markDurable(body, response);
    });
    await this.#bot.api.setWebhook(webhook.url, { secret_token: webhook.secret });
    this.#connected = true;
    this.#reconnector.connected();
    this.#host.ready(this.#replayRules());
    this.#log.info(`telegram/${this.accountId}: webhook ${webhook.url} → ${webhook.path}`);
  }

  /** Kept rows the reference wrote hold only its update envelope: read the message from the update. */
  #replayRules(): ReplayRules {
    return { decode: (payload) => keptTelegramInbound(payload, this.#bot.botInfo, this.accountId) };
  }

  /** Update ids stored during the webhook request being answered (for its acceptance header). */
  #stored = new Set<number>();
  /** Update ids being stored now (not yet committed): never confirmed to Telegram by a stop. */
  #storing = new Set<number>();

  /**
   * A successful webhook answer for an update the queue stored says so, as the reference's does
   * (`x-openclaw-delivery-accepted: durable`), so a proxy can tell adoption from a bare 200.
   */
  #markDurable(body: Uint8Array, response: Response): Response {
    let updateId: unknown;
    try {
      const update: unknown = JSON.parse(new TextDecoder().decode(body));
      updateId = isJsonObject(update) ? update.update_id : undefined;
    } catch {
      return response;
    }
    if (typeof updateId !== "number" || !this.#stored.delete(updateId) || !response.ok) return response;
    const headers = new Headers(response.headers);
    headers.set("x-openclaw-delivery-accepted", "durable");
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
  }

  /** The network was heard from now (a successful poll, an update on the webhook). */
  #noteTransport(): void {
    const now = Date.now();
    this.#status.lastTransportActivityAt = now;
    this.#status.lastEventAt = now;
  }

  async #message(ctx: Context): Promise<void> {
    const message = telegramInbound(ctx.update, this.#bot.botInfo, this.accountId);
    if (!message) return;
    this.#status.lastInboundAt = Date.now();
    const updateId = ctx.update.update_id;
    const inbound = this.#host.inbound(message, {
      eventId: telegramEventId(updateId),
      // The reference's spooled-update envelope, so either gateway can read what the other kept.
      raw: { version: 1, updateId, receivedAt: Date.now(), update: ctx.update },
    });
    this.#storing.add(updateId);
    try {
      await inbound;
    } catch (error) {
      throw new UpdateNotStoredError(updateId, error);
    } finally {
      this.#storing.delete(updateId);
    }
    if (this.#settings.webhook) this.#stored.add(updateId);
  }

  /**
   * An admitted message with its file kept in the media store, or with the reply saying why it was not. The file is
   * read from the stored update (`{…, update}`, ours or the reference's), so a replay after a restart fetches it too.
   */
  async hydrate(message: InboundMessage, stored: Record<string, unknown> | undefined): Promise<InboundMessage> {
    const store = this.#host.media;
    const update = isJsonObject(stored?.update) ? stored.update : undefined;
    const ref = telegramFileOf(update?.message ?? update?.channel_post);
    if (!ref || !store || message.media?.length) return message;
    const kept = await fetchTelegramFile(ref, {
      getFile: (fileId) => this.#bot.api.getFile(fileId),
      apiRoot: this.#settings.apiRoot,
      token: this.#settings.token,
      store,
      maxBytes: this.#settings.mediaMaxBytes,
    });
    if ("media" in kept) return { ...message, media: [kept.media] };
    this.#log.warn(`telegram/${this.accountId}: media from chat ${message.replyTo} not kept: ${kept.reason}`);
    return { ...message, mediaRefused: kept.refused };
  }

  /** Sends to a chat, or into a forum topic when the target names one (`<chatId>:topic:<id>`). */
  async send(target: string, text: string): Promise<{ messageId?: string }> {
    const where = parseTelegramTarget(target);
    try {
      const sent = await this.#bot.api.sendMessage(where.chatId, text, telegramThreadParams(where));
      this.#status.lastOutboundAt = Date.now();
      return { messageId: String(sent.message_id) };
    } catch (error) {
      throw new ChannelError("unavailable", `Telegram sendMessage to ${target} failed: ${messageOf(error)}`, {
        cause: error,
      });
    }
  }

  /**
   * "typing…" in a chat: into the topic the message came from, the General topic's too (`message_thread_id`
   * 1, which Telegram accepts for chat actions though it refuses it for sends), as the reference sends it.
   */
  async sendTyping(target: string, threadId?: string): Promise<void> {
    const where = parseTelegramTarget(target);
    const topic = where.topic ?? (threadId !== undefined && /^\d+$/.test(threadId) ? Number(threadId) : undefined);
    await this.#bot.api.sendChatAction(where.chatId, "typing", topic ? { message_thread_id: topic } : {});
  }

  /** Uploads a file (send_media.ts picks sendPhoto, sendVoice, sendDocument, ...). */
  async sendMedia(target: string, media: OutboundMedia): Promise<{ messageId?: string }> {
    const where = parseTelegramTarget(target);
    const { sendTelegramMedia } = await import("./send_media.ts");
    try {
      const sent = await sendTelegramMedia(this.#bot.api, where.chatId, media, {
        textChunkLimit: this.textChunkLimit,
        thread: telegramThreadParams(where),
      });
      this.#status.lastOutboundAt = Date.now();
      return sent;
    } catch (error) {
      throw new ChannelError("unavailable", `Telegram media send to ${target} failed: ${messageOf(error)}`, {
        cause: error,
      });
    }
  }

  async probe(timeoutMs: number): Promise<ProbeResult> {
    const started = performance.now();
    const elapsedMs = () => Math.round(performance.now() - started);
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    try {
      // grammY types the signal with its own AbortSignal shim; the runtime takes the platform's.
      const me = await this.#bot.api.getMe(controller.signal as Parameters<Bot["api"]["getMe"]>[0]);
      return { ok: true, elapsedMs: elapsedMs(), details: { username: me.username } };
    } catch (error) {
      const message = controller.signal.aborted
        ? `no answer from ${this.#settings.apiRoot} within ${timeoutMs} ms`
        : messageOf(error);
      return { ok: false, error: message, elapsedMs: elapsedMs() };
    } finally {
      clearTimeout(timer);
    }
  }
}
