import type { WhatsAppAccountConfig } from "../../config/resolve.ts";
import { within } from "../../async/within.ts";
import { getLogger } from "../../log/logger.ts";
import type { OutboundMedia } from "../../media/media_types.ts";
import type { AccountEntry } from "../accounts.ts";
import type { AccountContext } from "../catalog.ts";
import { ChannelError, messageOf } from "../errors.ts";
import { freshStatus, type KeptStatus } from "../reconnect.ts";
import type {
  AccountHost,
  ChannelAccount,
  ConnectionStatus,
  InboundMessage,
  ProbeResult,
  ReplayRules,
} from "../types.ts";
import { isLinked } from "./auth_dir.ts";
import {
  jidToE164,
  keptWaMessage,
  mediaOf,
  readWaMessage,
  type SelfIdentity,
  targetJid,
  unwrapContent,
  userJid,
  waReceipt,
} from "./inbound_message.ts";
import { MEDIA_UNAVAILABLE_NOTICE, saveInboundMedia } from "./media.ts";
import {
  closeStatusOf,
  WA_CLOSE,
  type WaContent,
  type WaMessage,
  type WaSocket,
  type WaSocketFactory,
} from "./socket.ts";
import { type WhatsAppSettings, whatsAppSettings } from "./settings.ts";

/** The reference's reconnect policy: 2 s, ×1.8, at most 30 s, ±25 % jitter, 12 attempts. */
const RECONNECT = { initialMs: 2000, factor: 1.8, maxMs: 30_000, jitter: 0.25, maxAttempts: 12 };

/** How long a stop waits for the credential writes in flight (the reference's save-queue barrier). */
const CREDS_FLUSH_TIMEOUT_MS = 15_000;

/** How often a restart WhatsApp asks for (515) is made at once, without backoff. */
const RESTART_AT_ONCE_EVERY_MS = 60_000;

/** The wait before reconnect attempt `n` (1-based). */
export function reconnectDelayMs(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(RECONNECT.maxMs, RECONNECT.initialMs * RECONNECT.factor ** Math.max(0, attempt - 1));
  return Math.round(base * (1 + RECONNECT.jitter * (random() * 2 - 1)));
}

/** The reference's words for an account with no linked session. */
export const NOT_LINKED_MESSAGE =
  "Not linked (no WhatsApp Web session). Run: openclaw channels login --channel whatsapp (scan QR on the gateway host).";
/** The reference's words for a session the phone unlinked. */
export const LOGGED_OUT_MESSAGE =
  "WhatsApp session logged out. Run `openclaw channels login --channel whatsapp` to relink.";

/** Builds a WhatsApp account (the catalog calls this); `socketFactory` replaces Baileys in tests. */
export async function createWhatsAppAccount(
  account: AccountEntry<WhatsAppAccountConfig>,
  context: AccountContext,
  socketFactory?: WaSocketFactory,
): Promise<ChannelAccount> {
  const settings = whatsAppSettings(account, { env: context.env, stateDir: context.stateDir ?? "." });
  const factory = socketFactory ?? (await import("./socket_baileys.ts")).createBaileysSocket;
  return new WhatsAppAccount(settings, context.host, factory);
}

/**
 * One linked WhatsApp device (WhatsApp Web through Baileys). Connects with the saved credentials,
 * reconnects with the reference's backoff, stops and says so when the phone unlinks the device (401)
 * or another session takes over (440). Every received message is stored in the durable inbound
 * queue before it is answered; its file is downloaded only once the access gate admits it (`hydrate`).
 */
export class WhatsAppAccount implements ChannelAccount {
  readonly channel = "whatsapp" as const;
  readonly accountId: string;
  readonly textChunkLimit: number;
  readonly streamBreak = "paragraph" as const;
  #settings: WhatsAppSettings;
  #host: AccountHost;
  #factory: WaSocketFactory;
  #log = getLogger("channels/whatsapp");
  #label: string;
  #status: KeptStatus;
  #socket: WaSocket | undefined;
  #self: SelfIdentity | undefined;
  #connected = false;
  #running = false;
  #loop: Promise<void> | undefined;
  #wake: (() => void) | undefined;
  /** Each chat's last message still being received (stored in the queue in the order it came). */
  #chats = new Map<string, Promise<void>>();
  /** Settles the current connection's wait with how it closed. */
  #closed: ((error: unknown) => void) | undefined;

  constructor(settings: WhatsAppSettings, host: AccountHost, factory: WaSocketFactory) {
    this.#settings = settings;
    this.#host = host;
    this.#factory = factory;
    this.accountId = settings.accountId;
    this.textChunkLimit = settings.textChunkLimit;
    this.#label = `whatsapp/${settings.accountId}`;
    this.#status = freshStatus(settings.accountId, { mode: "web" });
  }

  status(): ConnectionStatus {
    return { ...this.#status, running: this.#running, connected: this.#connected };
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#status.lastStartAt = Date.now();
    this.#loop = this.#run();
  }

  async stop(): Promise<void> {
    if (!this.#running) return await this.#loop;
    this.#running = false;
    this.#status.lastStopAt = Date.now();
    this.#wake?.();
    this.#socket?.end(new Error("OpenClaw WhatsApp socket close"));
    this.#closed?.(undefined);
    await this.#loop;
  }

  /** Connects until stopped, or until a close that retrying cannot mend. */
  async #run(): Promise<void> {
    let attempts = 0;
    let restartedAt = -Infinity;
    while (this.#running) {
      if (!(await isLinked(this.#settings.authDir))) return this.#halt(NOT_LINKED_MESSAGE);
      let error: unknown;
      try {
        error = await this.#connectOnce();
      } catch (thrown) {
        error = thrown;
      }
      this.#connected = false;
      // A stop (then a logout clearing the credentials) waits for the writes still in flight, as the reference's
      // logout waits for its save queue: one landing after the clear would bring the session back.
      const flushed = this.#socket?.flushed?.();
      if (flushed) await within(flushed, CREDS_FLUSH_TIMEOUT_MS);
      this.#socket = undefined;
      if (!this.#running) return;
      const code = closeStatusOf(error);
      const text = error === undefined ? "connection closed" : messageOf(error);
      if (code === WA_CLOSE.loggedOut) return this.#halt(LOGGED_OUT_MESSAGE);
      if (code === WA_CLOSE.connectionReplaced) {
        return this.#halt(
          `WhatsApp Web connection closed (status ${code}: session conflict). Resolve conflicting WhatsApp Web sessions, then restart the channel.`,
        );
      }
      this.#status.lastError = code === undefined ? text : `status=${code} ${text}`;
      // After pairing WhatsApp asks for a fresh socket at once (515): not a failure. Only once a minute, though: a
      // server asking again and again gets the backoff, not a reconnect loop at network speed.
      if (code === WA_CLOSE.restartRequired && Date.now() - restartedAt >= RESTART_AT_ONCE_EVERY_MS) {
        restartedAt = Date.now();
        continue;
      }
      attempts++;
      this.#status.reconnectAttempts = attempts;
      if (attempts >= RECONNECT.maxAttempts) {
        return this.#halt(`${this.#status.lastError} (gave up after ${attempts} reconnect attempts)`);
      }
      const delay = reconnectDelayMs(attempts);
      this.#log.warn(`${this.#label}: ${this.#status.lastError}; reconnecting in ${delay} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delay);
        this.#wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  /** Stops for good (until restarted), keeping why in the status. */
  #halt(reason: string): void {
    this.#running = false;
    this.#connected = false;
    this.#status.lastError = reason;
    this.#log.error(`${this.#label}: ${reason}`);
  }

  /** One connection: resolves with the close's error when it ends. */
  async #connectOnce(): Promise<unknown> {
    const ended = Promise.withResolvers<unknown>();
    this.#closed = ended.resolve;
    const socket = await this.#factory({
      authDir: this.#settings.authDir,
      waWebSocketUrl: this.#settings.waWebSocketUrl,
    });
    if (!this.#running) {
      socket.end(new Error("OpenClaw WhatsApp socket close"));
      return undefined;
    }
    this.#socket = socket;
    socket.ev.on("connection.update", (update) => {
      if (update.connection === "open") this.#opened(socket);
      if (update.connection === "close") ended.resolve(update.lastDisconnect?.error);
    });
    socket.ev.on("messages.upsert", ({ messages, type }) => {
      // `append` carries history and messages sent elsewhere: only new ones are answered.
      if (type !== "notify") return;
      for (const raw of messages) this.#enqueue(raw);
    });
    return await ended.promise;
  }

  /** The connection is open: who we are (for mentions), and the queue's kept messages answered. */
  #opened(socket: WaSocket): void {
    const user = socket.user;
    const jid = user?.id ? userJid(user.id) : "";
    this.#self = { jid, lid: user?.lid, e164: jidToE164(jid) };
    this.#connected = true;
    this.#status.lastConnectedAt = Date.now();
    this.#status.lastError = null;
    this.#status.reconnectAttempts = 0;
    this.#log.info(`${this.#label}: connected as ${this.#self.e164 ?? jid}`);
    this.#host.ready(this.#replayRules());
  }

  #readContext() {
    return {
      accountId: this.accountId,
      self: this.#self ?? { jid: "", lid: undefined, e164: undefined },
      patterns: this.#settings.mentionPatterns,
    };
  }

  /** Receives a message after the ones before it in its chat: the queue keeps them in the order they came. */
  #enqueue(raw: WaMessage): void {
    const chat = raw.key?.remoteJid ?? "";
    const lost = (error: unknown) =>
      this.#log.error(`${this.#label}: message ${raw.key?.id} could not be stored, so it is lost: ${messageOf(error)}`);
    const received = (this.#chats.get(chat) ?? Promise.resolve()).then(() => this.#receive(raw)).catch(lost);
    this.#chats.set(chat, received);
    void received.then(() => {
      if (this.#chats.get(chat) === received) this.#chats.delete(chat);
    });
  }

  /** A new message, stored in the durable queue (its file is fetched after the gate, in `hydrate`). */
  async #receive(raw: WaMessage): Promise<void> {
    const read = readWaMessage(raw, this.#readContext());
    if (typeof read === "string") {
      if (read !== "own" && read !== "broadcast") this.#log.debug(`${this.#label}: skip ${raw.key?.id} (${read})`);
      return;
    }
    const { message } = read;
    const receipt = await waReceipt(raw, read.remoteJid, Date.now());
    await this.#host.inbound(message, receipt);
    this.#status.lastInboundAt = Date.now();
  }

  /**
   * Downloads the file of a message the gate admitted, from the Baileys message kept in its queue row (so a replay
   * after a restart downloads it too): a stranger's file is never fetched. A failed download puts the reference's
   * notice in the text instead. The admitted message is marked read here too, not when it arrives.
   */
  async hydrate(message: InboundMessage, stored: Record<string, unknown> | undefined): Promise<InboundMessage> {
    const raw = stored ? keptWaMessage(stored) : undefined;
    const socket = this.#socket;
    // Blue ticks only for what the gate admitted (the reference marks read accepted messages only): a stranger or a
    // refused group sender never learns the number read them.
    if (this.#settings.sendReadReceipts && socket && raw?.key) {
      socket.readMessages([raw.key]).catch((error) =>
        this.#log.debug(`${this.#label}: read receipt: ${messageOf(error)}`)
      );
    }
    if (message.media?.length) return message;
    const media = raw ? mediaOf(unwrapContent(raw.message)) : undefined;
    if (!raw || !media) return message;
    const saved = socket
      ? await saveInboundMedia(
        { socket, raw, media, store: this.#host.media, maxBytes: this.#settings.mediaMaxBytes },
        this.#log,
      )
      : { notice: MEDIA_UNAVAILABLE_NOTICE };
    return {
      ...message,
      ...(saved.stored ? { media: [saved.stored] } : {}),
      ...(saved.notice ? { text: [message.text, saved.notice].filter(Boolean).join("\n") } : {}),
    };
  }

  /** How the queue reads a kept row that holds only the Baileys message (one the reference wrote). */
  #replayRules(): ReplayRules {
    return {
      decode: (payload) => {
        const raw = keptWaMessage(payload);
        const read = raw ? readWaMessage(raw, this.#readContext()) : undefined;
        return read && typeof read !== "string" ? read.message : undefined;
      },
    };
  }

  /** The live socket, or the reference's error naming how to get one. */
  #live(target: string): { socket: WaSocket; jid: string } {
    const jid = targetJid(target);
    if (!jid) {
      throw new ChannelError(
        "invalid",
        `"${target}" is not a WhatsApp target: use a phone number (+15551234567) or a JID`,
      );
    }
    const socket = this.#socket;
    if (!socket || !this.#connected) {
      throw new ChannelError(
        "unavailable",
        `No active WhatsApp Web listener (account: ${this.accountId}). Start the gateway, then link WhatsApp with: openclaw channels login --channel whatsapp --account ${this.accountId}.`,
      );
    }
    return { socket, jid };
  }

  async #deliver(target: string, content: WaContent): Promise<{ messageId?: string }> {
    const { socket, jid } = this.#live(target);
    try {
      const sent = await socket.sendMessage(jid, content);
      this.#status.lastOutboundAt = Date.now();
      const id = sent?.key?.id;
      return id ? { messageId: id } : {};
    } catch (error) {
      throw new ChannelError("unavailable", `WhatsApp send to ${target} failed: ${messageOf(error)}`, { cause: error });
    }
  }

  send(target: string, text: string): Promise<{ messageId?: string }> {
    return this.#deliver(target, { text });
  }

  async sendMedia(target: string, media: OutboundMedia): Promise<{ messageId?: string }> {
    this.#live(target);
    const bytes = this.#host.media ? (await this.#host.media.read(media.path)).bytes : await Deno.readFile(media.path);
    const caption = media.caption?.trim() || undefined;
    switch (media.kind) {
      case "image":
        return await this.#deliver(target, { image: bytes, caption, mimetype: media.mimeType });
      case "video":
        return await this.#deliver(target, { video: bytes, caption, mimetype: media.mimeType });
      case "audio": {
        // WhatsApp audio carries no caption: it goes first as its own message.
        if (caption) await this.#deliver(target, { text: caption });
        return await this.#deliver(target, { audio: bytes, mimetype: media.mimeType, ptt: media.voice === true });
      }
      default:
        return await this.#deliver(target, {
          document: bytes,
          caption,
          mimetype: media.mimeType,
          fileName: media.fileName ?? media.path.split("/").pop(),
        });
    }
  }

  probe(_timeoutMs: number): Promise<ProbeResult> {
    const started = performance.now();
    const elapsedMs = Math.round(performance.now() - started);
    if (this.#connected) {
      return Promise.resolve({ ok: true, elapsedMs, details: { self: this.#self?.e164 ?? this.#self?.jid ?? "" } });
    }
    return Promise.resolve({ ok: false, error: this.#status.lastError ?? "not connected", elapsedMs });
  }
}
