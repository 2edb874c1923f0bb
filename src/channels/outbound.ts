import type { InternalHookEmitter } from "../agent/internal_hooks.ts";
import { emitMessageSent } from "../agent/message_hook_emit.ts";
import type { PairingRequest } from "../state/pairing_store.ts";
import type { AccountPool } from "./account_pool.ts";
import { DEFAULT_ACCOUNT_ID } from "./accounts.ts";
import type { ChannelKind } from "./catalog.ts";
import { chunkText } from "./chunk.ts";
import { ChannelError } from "./errors.ts";
import { deliverFiles, type OutboundFile, type OutboundFiles } from "./media_delivery.ts";
import { PAIRING_APPROVED_MESSAGE } from "./pairing_reply.ts";
import { MediaRefusedError } from "../media/media_types.ts";

/** The `send` request, as the RPC method passes it on. */
export interface SendRequest {
  to: string;
  message: string;
  channel?: string | undefined;
  accountId?: string | undefined;
  idempotencyKey: string;
  /** Files to send with the text (`mediaUrl`/`mediaUrls`): paths or URLs, checked against the media rules. */
  mediaUrls?: string[] | undefined;
  /** One file's bytes as base64 or a data: URL (`buffer`), with its `filename` and `contentType`. */
  buffer?: { data: string; fileName?: string | undefined; mimeType?: string | undefined } | undefined;
  /** Files already checked (the `message` tool checks its own against its agent's workspace). */
  files?: OutboundFile[] | undefined;
  /** The agent whose workspace local files may come from (the default agent when absent). */
  agentId?: string | undefined;
  /**
   * The thread to send in (`threadId`): a Telegram forum topic (none for the General topic, 1), a Slack thread's
   * `thread_ts`; it replaces any the target names. Ignored on channels without threads.
   */
  threadId?: string | undefined;
  /** Audio files go as voice notes (`asVoice`) where the channel has them (Telegram's sendVoice). */
  asVoice?: boolean | undefined;
  /**
   * The session the send belongs to (the `send` method's `sessionKey`, the message tool's run, a cron or heartbeat
   * delivery's session): its outcome is a `message:sent` hook event under that key, as the reference's outbound
   * delivery reports one. Absent: no event.
   */
  sessionKey?: string | undefined;
}

/** What `send` answers. */
export interface SendResult {
  runId: string;
  messageId: string | undefined;
  channel: string;
  accountId: string;
  to: string;
  chunks: number;
}

const SENT_TTL_MS = 300_000;

/**
 * Messages the gateway sends on its own (the `send` method, pairing notices): picks the channel
 * and account, cuts the text into chunks the network accepts, and sends each idempotency key once.
 */
export class Outbound {
  #pool: AccountPool;
  #files: OutboundFiles | undefined;
  #hooks: InternalHookEmitter | undefined;
  #sent = new Map<string, { at: number; result: Promise<SendResult> }>();

  constructor(pool: AccountPool, files?: OutboundFiles, hooks?: InternalHookEmitter) {
    this.#pool = pool;
    this.#files = files;
    this.#hooks = hooks;
  }

  /** Delivers a message to a target on a channel (the `send` method); retries with one key send once. */
  send(request: SendRequest): Promise<SendResult> {
    const now = Date.now();
    for (const [key, entry] of this.#sent) if (now - entry.at > SENT_TTL_MS) this.#sent.delete(key);
    const cached = this.#sent.get(request.idempotencyKey);
    if (cached) return cached.result;
    const result = this.#send(request);
    this.#sent.set(request.idempotencyKey, { at: now, result });
    result.catch(() => this.#sent.delete(request.idempotencyKey));
    return result;
  }

  /** Tells an approved sender they may talk now (`pairing approve --notify`). */
  async notifyApproved(channel: string, request: PairingRequest): Promise<void> {
    const kind = this.#pool.kind(channel);
    if (!kind) throw new ChannelError("invalid", `Unknown channel "${channel}"`);
    await this.send({
      to: kind.dmTarget(request.id),
      message: PAIRING_APPROVED_MESSAGE,
      channel,
      accountId: request.accountId,
      idempotencyKey: `pairing-approved:${channel}:${request.code}`,
    });
  }

  async #send(request: SendRequest): Promise<SendResult> {
    const { kind, to } = this.#target(request);
    const thread = request.threadId?.trim();
    const place = thread && kind.threadTarget ? kind.threadTarget(to, thread) : to;
    const section = this.#pool.section(kind);
    const accountId = request.accountId ?? section?.defaultAccountId ?? DEFAULT_ACCOUNT_ID;
    const running = this.#pool.running(kind.id, accountId);
    if (!running) {
      const known = section?.accounts.some((a) => a.accountId === accountId) ?? false;
      throw new ChannelError(
        known ? "unavailable" : "invalid",
        known
          ? `Cannot send on ${kind.id} account ${accountId}: it is not running. Check \`openclaw channels status --probe\``
          : `Cannot send on ${kind.id}: no account ${accountId} in channels.${kind.id}`,
      );
    }
    const text = request.message.trim();
    const files = (await this.#filesOf(request, { agentId: request.agentId, channel: kind.id, accountId }))
      .map((file) =>
        request.asVoice && file.media.kind === "audio" ? { ...file, media: { ...file.media, voice: true } } : file
      );
    if (files.length === 0 && !text) {
      throw new ChannelError("invalid", "Cannot send an empty message: pass message text");
    }
    // Only a delivery the channel attempted is reported: a refused request never reached it.
    const observe = (success: boolean, messageId?: string, error?: string) => {
      if (!request.sessionKey) return;
      emitMessageSent(this.#hooks, request.sessionKey, {
        to,
        content: text,
        success,
        error,
        channelId: kind.id,
        accountId,
        messageId,
      });
    };
    try {
      if (files.length > 0) {
        const sent = await deliverFiles(running.account, place, files, text);
        observe(true, sent.messageId);
        return {
          runId: request.idempotencyKey,
          messageId: sent.messageId,
          channel: kind.id,
          accountId,
          to,
          chunks: sent.messages,
        };
      }
      const pieces = chunkText(text, running.account.textChunkLimit);
      let messageId: string | undefined;
      for (const piece of pieces) messageId = (await running.account.send(place, piece)).messageId ?? messageId;
      observe(true, messageId);
      return { runId: request.idempotencyKey, messageId, channel: kind.id, accountId, to, chunks: pieces.length };
    } catch (error) {
      observe(false, undefined, error instanceof Error ? error.message : String(error));
      throw error;
    }
  }

  /** The files a send names, checked and read (a refused one is the caller's mistake: `invalid`). */
  async #filesOf(request: SendRequest, context: Parameters<OutboundFiles["resolve"]>[1]): Promise<OutboundFile[]> {
    const files = [...request.files ?? []];
    const references = request.mediaUrls ?? [];
    if (references.length === 0 && !request.buffer) return files;
    if (!this.#files) throw new ChannelError("unavailable", "Cannot send files: this gateway has no media store");
    try {
      for (const reference of references) {
        files.push({ reference, media: await this.#files.resolve(reference, context) });
      }
      if (request.buffer) {
        const { data, ...input } = request.buffer;
        const media = await this.#files.saveBuffer(data, input, context);
        files.push({ reference: media.fileName ?? media.path.split("/").pop() ?? "file", media });
      }
    } catch (error) {
      if (error instanceof MediaRefusedError) throw new ChannelError("invalid", error.message, { cause: error });
      throw error;
    }
    return files;
  }

  /** The channel (explicit, a `telegram:`-style prefix, or the only one configured) and the bare target. */
  #target(request: SendRequest): { kind: ChannelKind; to: string } {
    const kinds = this.#pool.kinds;
    const prefix = /^([a-z]+):(.+)$/i.exec(request.to);
    const prefixKind = prefix?.[1]?.toLowerCase();
    const prefixed = prefixKind ? kinds.find((k) => k.targetPrefixes.includes(prefixKind)) : undefined;
    const configured = kinds.filter((k) => this.#pool.section(k));
    let kind: ChannelKind | undefined;
    if (request.channel) {
      kind = this.#pool.kind(request.channel);
      if (!kind) {
        throw new ChannelError(
          "invalid",
          `Unknown channel "${request.channel}": this gateway sends on ${kinds.map((k) => k.id).join(", ")}`,
        );
      }
      if (prefixed && prefixed !== kind) {
        throw new ChannelError("invalid", `Target ${request.to} belongs to ${prefixed.id}, not ${kind.id}`);
      }
    } else kind = prefixed ?? (configured.length === 1 ? configured[0] : undefined);
    if (!kind) {
      throw new ChannelError(
        "invalid",
        configured.length === 0
          ? "Cannot send: no chat channel is configured. Configure one under channels.*"
          : `Cannot send: say which channel (${
            configured.map((k) => k.id).join(", ")
          }) with channel or a prefixed target`,
      );
    }
    if (!this.#pool.section(kind)) {
      const missing = kind.missingAccountMessage?.(request.accountId ?? "default");
      throw new ChannelError("invalid", missing ?? `Cannot send on ${kind.id}: channels.${kind.id} is not configured`);
    }
    return { kind, to: prefixed === kind && prefix?.[2] !== undefined ? prefix[2] : request.to };
  }
}
