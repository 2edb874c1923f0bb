import type { AgentRuns } from "../agent/runs.ts";
import { PAIRING_TTL_MS, type PairingRequest, PairingStore } from "../config/pairing_store.ts";
import type { EnvSnapshot } from "../config/paths.ts";
import type { RawConfig } from "../config/schema.ts";
import type { Logger } from "../log/logger.ts";
import { decideAccess } from "./access.ts";
import { accessPolicy, connectionFingerprint, defaultAccountId, type RawAccount, sectionAccounts } from "./accounts.ts";
import { CHANNEL_KINDS, type ChannelKind } from "./catalog.ts";
import { blockStreamer, chunkText } from "./chunk.ts";
import { ChannelError } from "./errors.ts";
import { PAIRING_APPROVED_MESSAGE, pairingReply } from "./pairing_reply.ts";
import { freshStatus } from "./reconnect.ts";
import { routeInbound } from "./routing.ts";
import type { AccountStatus, ChannelAccount, InboundMessage, ProbeResult } from "./types.ts";

/** What the channel manager needs from the gateway. */
export interface ChannelManagerDeps {
  stateDir: string;
  env: EnvSnapshot;
  /** The config in force (read per message, so access changes apply without reconnecting). */
  config(): RawConfig;
  defaultAgentId(): string;
  runs: AgentRuns;
  log: Logger;
  kinds?: readonly ChannelKind[];
}

interface Running {
  kind: ChannelKind;
  account: ChannelAccount;
  fingerprint: string;
}

/** The `send` request, as the RPC method passes it on. */
export interface SendRequest {
  to: string;
  message: string;
  channel?: string | undefined;
  accountId?: string | undefined;
  idempotencyKey: string;
}

/** Channel status in the reference's `channels.status` shape (the parts about channels). */
export interface ChannelsSummary {
  channelOrder: string[];
  channelLabels: Record<string, string>;
  channels: Record<string, Record<string, unknown>>;
  channelAccounts: Record<string, AccountStatus[]>;
  channelDefaultAccountId: Record<string, string>;
}

/** Fills each channel's one-line summary from its default account (and any account for the flags). */
function summarizeChannels(summary: ChannelsSummary): void {
  for (const [id, statuses] of Object.entries(summary.channelAccounts)) {
    const primary = statuses.find((s) => s.accountId === summary.channelDefaultAccountId[id]) ?? statuses[0];
    summary.channels[id] = {
      configured: statuses.some((s) => s.configured),
      running: statuses.some((s) => s.running),
      connected: statuses.some((s) => s.connected),
      // The reference CLI prints this word in `openclaw health`.
      healthState: !primary ? "unknown" : primary.connected ? "healthy" : primary.running ? "disconnected" : "stopped",
      lastError: primary?.lastError ?? null,
      ...(primary?.probe ? { probe: primary.probe } : {}),
    };
  }
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
/** Per-account IDs in the channel-status map. */
const keyOf = (channel: string, accountId: string) => `${channel}/${accountId}`;

/**
 * The chat channels of a running gateway: starts the configured accounts, restarts those whose
 * connection settings change on reload, gates every inbound message (DM pairing or allowlist,
 * group allowlist and mention), routes admitted ones to an agent session and streams the
 * answer back in chunks the network accepts.
 */
export class ChannelManager {
  #deps: ChannelManagerDeps;
  #kinds: readonly ChannelKind[];
  #running = new Map<string, Running>();
  /** Accounts that could not be built (a missing secret): shown in status with their error. */
  #broken = new Map<string, AccountStatus>();
  #webhooks = new Map<string, (request: Request) => Promise<Response>>();
  /** Which account serves each webhook path: two accounts must never share one. */
  #webhookOwners = new Map<string, string>();
  #sent = new Map<string, { at: number; result: Promise<SendResult> }>();
  #pairing: PairingStore;
  #queue: Promise<unknown> = Promise.resolve();
  #stopped = false;

  constructor(deps: ChannelManagerDeps) {
    this.#deps = deps;
    this.#kinds = deps.kinds ?? CHANNEL_KINDS;
    this.#pairing = new PairingStore(deps.stateDir);
  }

  /** The pairing store the channels use (for the pairing RPC methods). */
  get pairing(): PairingStore {
    return this.#pairing;
  }

  #section(kind: ChannelKind): Record<string, unknown> | undefined {
    const section = (this.#deps.config().channels as Record<string, unknown> | undefined)?.[kind.id];
    return section && typeof section === "object" ? section as Record<string, unknown> : undefined;
  }

  /** `channels.defaults`: the DM and group policy for accounts that set none. */
  #defaults(): Record<string, unknown> {
    const channels = this.#deps.config().channels as Record<string, unknown> | undefined;
    return (channels?.defaults ?? {}) as Record<string, unknown>;
  }

  #accounts(kind: ChannelKind): RawAccount[] {
    const section = this.#section(kind);
    if (!section) return [];
    return sectionAccounts(section, (settings) => kind.hasIdentity(settings, this.#deps.env, true));
  }

  #settings(channel: string, accountId: string): Record<string, unknown> | undefined {
    const kind = this.#kinds.find((k) => k.id === channel);
    return kind && this.#accounts(kind).find((a) => a.accountId === accountId)?.settings;
  }

  /**
   * Brings the running accounts in line with the config: starts new ones, stops removed or
   * disabled ones, restarts those whose connection settings changed. Serialized, so reloads in
   * quick succession apply in order.
   */
  reconcile(): Promise<void> {
    const next = this.#queue.then(() => this.#reconcile());
    this.#queue = next.catch(() => {});
    return next;
  }

  async #reconcile(): Promise<void> {
    if (this.#stopped) return;
    const wanted = new Map<string, { kind: ChannelKind; account: RawAccount; fingerprint: string }>();
    for (const kind of this.#kinds) {
      const section = this.#section(kind);
      if (!section || section.enabled === false) continue;
      for (const account of this.#accounts(kind)) {
        if (account.settings.enabled === false) continue;
        const fingerprint = connectionFingerprint(account.settings);
        wanted.set(keyOf(kind.id, account.accountId), { kind, account, fingerprint });
      }
    }
    for (const [key, running] of this.#running) {
      if (wanted.get(key)?.fingerprint === running.fingerprint) continue;
      this.#running.delete(key);
      this.#deps.log.info(`${key}: stopping (${wanted.has(key) ? "settings changed" : "removed from config"})`);
      await running.account.stop().catch((error) => this.#deps.log.warn(`${key}: stop failed: ${error}`));
    }
    this.#broken.clear();
    for (const [key, { kind, account, fingerprint }] of wanted) {
      if (this.#running.has(key)) continue;
      try {
        const built = await kind.create(account, {
          env: this.#deps.env,
          host: {
            inbound: (message) => void this.#inbound(kind, message),
            mountWebhook: (path, handler) => {
              const owner = this.#webhookOwners.get(path);
              if (owner && owner !== key) {
                throw new ChannelError(
                  "invalid",
                  `webhook path ${path} is already served for ${owner}; give this account its own webhookPath`,
                );
              }
              this.#webhooks.set(path, handler);
              this.#webhookOwners.set(path, key);
              return () => {
                if (this.#webhooks.get(path) !== handler) return;
                this.#webhooks.delete(path);
                this.#webhookOwners.delete(path);
              };
            },
          },
        });
        this.#running.set(key, { kind, account: built, fingerprint });
        this.#deps.log.info(`${key}: starting`);
        built.start();
      } catch (error) {
        const message = (error as Error).message;
        this.#deps.log.error(`${key}: cannot start: ${message}`);
        this.#broken.set(key, { ...baseStatus(account, {}, this.#defaults()), lastError: message });
      }
    }
  }

  /** Stops every account (gateway stop). */
  async stop(): Promise<void> {
    this.#stopped = true;
    await this.#queue;
    const running = [...this.#running.values()];
    this.#running.clear();
    await Promise.all(running.map((r) => r.account.stop().catch(() => {})));
  }

  /**
   * The channel handler for a request to a mounted webhook path (Telegram webhook mode), if any.
   * Costs nothing on the HTTP hot path while no channel has mounted one.
   */
  webhookFor(request: Request): ((request: Request) => Promise<Response>) | undefined {
    if (this.#webhooks.size === 0) return undefined;
    return this.#webhooks.get(new URL(request.url).pathname);
  }

  /** Each configured channel's accounts as they stand, without probing (for `health` too). */
  summary(channel?: string): ChannelsSummary {
    const summary: ChannelsSummary = {
      channelOrder: [],
      channelLabels: {},
      channels: {},
      channelAccounts: {},
      channelDefaultAccountId: {},
    };
    for (const kind of this.#kinds) {
      if (channel && channel !== kind.id) continue;
      const section = this.#section(kind);
      if (!section) continue;
      const accounts = this.#accounts(kind);
      const statuses = accounts.map((account): AccountStatus => {
        const key = keyOf(kind.id, account.accountId);
        const base = this.#broken.get(key) ?? baseStatus(account, section, this.#defaults());
        const live = this.#running.get(key)?.account.status();
        return live ? { ...base, ...live } : base;
      });
      summary.channelOrder.push(kind.id);
      summary.channelLabels[kind.id] = kind.label;
      summary.channelAccounts[kind.id] = statuses;
      summary.channelDefaultAccountId[kind.id] = defaultAccountId(section, accounts);
    }
    summarizeChannels(summary);
    return summary;
  }

  /** The `channels.status` payload's channel parts; with `probe`, each running account is probed live. */
  async status(options: { probe: boolean; timeoutMs: number; channel?: string | undefined }): Promise<ChannelsSummary> {
    const summary = this.summary(options.channel);
    if (!options.probe) return summary;
    for (const [channel, statuses] of Object.entries(summary.channelAccounts)) {
      summary.channelAccounts[channel] = await Promise.all(statuses.map(async (status) => {
        const running = this.#running.get(keyOf(channel, status.accountId));
        const probe: ProbeResult = running
          ? await running.account.probe(options.timeoutMs).catch((error) => ({
            ok: false,
            error: (error as Error).message,
            elapsedMs: 0,
          }))
          : { ok: false, error: status.lastError ?? "not running", elapsedMs: 0 };
        return { ...status, ...running?.account.status(), probe, lastProbeAt: Date.now() };
      }));
    }
    summarizeChannels(summary);
    return summary;
  }

  /** Tells an approved sender they may talk now (`pairing approve --notify`). */
  async notifyApproved(channel: string, request: PairingRequest): Promise<void> {
    const kind = this.#kinds.find((k) => k.id === channel);
    if (!kind) throw new ChannelError("invalid", `Unknown channel "${channel}"`);
    await this.send({
      to: kind.dmTarget(request.id),
      message: PAIRING_APPROVED_MESSAGE,
      channel,
      accountId: request.accountId,
      idempotencyKey: `pairing-approved:${channel}:${request.code}`,
    });
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

  async #send(request: SendRequest): Promise<SendResult> {
    const { kind, to } = this.#outboundTarget(request);
    const section = this.#section(kind) ?? {};
    const accountId = request.accountId ?? defaultAccountId(section, this.#accounts(kind));
    const running = this.#running.get(keyOf(kind.id, accountId));
    if (!running) {
      const known = this.#accounts(kind).some((a) => a.accountId === accountId);
      throw new ChannelError(
        known ? "unavailable" : "invalid",
        known
          ? `Cannot send on ${kind.id} account ${accountId}: it is not running. Check \`openclaw channels status --probe\``
          : `Cannot send on ${kind.id}: no account ${accountId} in channels.${kind.id}`,
      );
    }
    const text = request.message.trim();
    if (!text) throw new ChannelError("invalid", "Cannot send an empty message: pass message text");
    const pieces = chunkText(text, running.account.textChunkLimit);
    let messageId: string | undefined;
    for (const piece of pieces) messageId = (await running.account.send(to, piece)).messageId ?? messageId;
    return { runId: request.idempotencyKey, messageId, channel: kind.id, accountId, to, chunks: pieces.length };
  }

  /** The channel (explicit, a `telegram:`-style prefix, or the only one configured) and the bare target. */
  #outboundTarget(request: SendRequest): { kind: ChannelKind; to: string } {
    const prefix = /^([a-z]+):(.+)$/i.exec(request.to);
    const prefixed = prefix ? this.#kinds.find((k) => k.targetPrefixes.includes(prefix[1]!.toLowerCase())) : undefined;
    const configured = this.#kinds.filter((k) => this.#section(k));
    let kind: ChannelKind | undefined;
    if (request.channel) {
      kind = this.#kinds.find((k) => k.id === request.channel);
      if (!kind) {
        throw new ChannelError(
          "invalid",
          `Unknown channel "${request.channel}": this gateway sends on ${this.#kinds.map((k) => k.id).join(", ")}`,
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
    if (!this.#section(kind)) {
      throw new ChannelError("invalid", `Cannot send on ${kind.id}: channels.${kind.id} is not configured`);
    }
    return { kind, to: prefixed === kind ? prefix![2]! : request.to };
  }

  async #inbound(kind: ChannelKind, message: InboundMessage): Promise<void> {
    const key = keyOf(message.channel, message.accountId);
    const running = this.#running.get(key);
    const settings = this.#settings(message.channel, message.accountId);
    if (!running || !settings) return;
    const log = this.#deps.log;
    const policy = accessPolicy(settings, this.#defaults(), kind.normalizeAllowEntry);
    try {
      const paired = message.peerKind === "direct" && policy.dmPolicy === "pairing"
        ? await this.#pairing.allowed(message.channel, message.accountId)
        : [];
      const decision = decideAccess(policy, message, paired);
      if (decision.action === "drop") {
        const where = message.peerKind === "direct" ? "dm" : `${message.peerKind} ${message.groupId}`;
        log.info(`${message.channel}: drop ${where} sender ${message.senderId} (${decision.reason})`);
        return;
      }
      if (decision.action === "pair") {
        const { created, code } = await this.#pairing.upsert(message.channel, {
          id: message.senderId,
          accountId: message.accountId,
          meta: { senderId: message.senderId, name: message.senderName, accountId: message.accountId },
        });
        log.info(
          `${message.channel} pairing request from ${message.senderId} (${
            created ? "new; code sent" : "already pending or at the cap; no reply"
          }, expires in ${PAIRING_TTL_MS / 60_000} min)`,
        );
        if (created && code) {
          const idLine = kind.id === "telegram"
            ? `Your Telegram user id: ${message.senderId}`
            : `Your ${kind.label} id: ${message.senderId}`;
          await running.account.send(message.replyTo, pairingReply(kind.id, idLine, code));
        }
        return;
      }
      await this.#answer(running, message);
    } catch (error) {
      log.error(`${key}: handling a message from ${message.senderId} failed: ${(error as Error).message}`);
    }
  }

  async #answer(running: Running, message: InboundMessage): Promise<void> {
    const config = this.#deps.config();
    const route = routeInbound(message, {
      bindings: config.bindings ?? [],
      session: config.session ?? {},
      defaultAgentId: this.#deps.defaultAgentId(),
    });
    const account = running.account;
    // Sends go out strictly in order, each after the previous one was accepted.
    let sending: Promise<unknown> = Promise.resolve();
    const deliver = (piece: string) => {
      sending = sending.then(() => account.send(message.replyTo, piece)).catch((error) =>
        this.#deps.log.warn(`${message.channel}: reply to ${message.replyTo} failed: ${(error as Error).message}`)
      );
    };
    const streamer = blockStreamer({ limit: account.textChunkLimit, breakOn: account.streamBreak }, deliver);
    const text = message.peerKind === "direct" ? message.text : `${message.senderName}: ${message.text}`;
    const started = this.#deps.runs.start({
      agentId: route.agentId,
      sessionKey: route.sessionKey,
      message: text,
      idempotencyKey: `${message.channel}:${message.accountId}:${message.messageId}`,
      onDelta: (delta) => streamer.push(delta),
    });
    if (started.kind !== "accepted") return;
    const outcome = await started.done;
    streamer.end();
    if (outcome.status === "error") deliver(`⚠️ The agent could not answer: ${outcome.error}`);
    await sending;
  }
}

/** An account as the config declares it, before any connection: the base every status is laid over. */
function baseStatus(
  account: RawAccount,
  section: Record<string, unknown>,
  defaults: Record<string, unknown>,
): AccountStatus {
  const settings = account.settings;
  const policy = accessPolicy(settings, defaults);
  return {
    ...freshStatus(account.accountId, { enabled: section.enabled !== false && settings.enabled !== false }),
    running: false,
    connected: false,
    dmPolicy: policy.dmPolicy,
    allowFrom: policy.allowFrom,
  };
}
