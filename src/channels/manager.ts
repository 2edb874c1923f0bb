import type { DatabaseSync } from "node:sqlite";
import type { ChatCommandDeps } from "../agent/chat_command_run.ts";
import type { InternalHookEmitter } from "../agent/internal_hooks.ts";
import type { AgentRuns } from "../agent/runs.ts";
import { type PairingRequest, PairingStore } from "../state/pairing_store.ts";
import { type StateDbAccess, writeAccessFor } from "../state/state_write_fence.ts";
import type { EnvSnapshot } from "../config/paths.ts";
import type { ResolvedConfig } from "../config/resolve.ts";
import type { Logger } from "../log/logger.ts";
import type { MediaStore } from "../media/media_types.ts";
import { within } from "../async/within.ts";
import { AccountPool } from "./account_pool.ts";
import { CHANNEL_KINDS, type ChannelKind, type DeclaredSection } from "./catalog.ts";
import { DurableInbound } from "./durable_inbound.ts";
import { type InboundDeps, inboundHandler } from "./inbound.ts";
import type { MediaUnderstanding } from "./inbound_media.ts";
import { Outbound, type SendRequest, type SendResult } from "./outbound.ts";
import type { OutboundFiles } from "./media_delivery.ts";
import { type ChannelsSummary, channelsSummary, probedSummary } from "./status_summary.ts";

/** The `send` request and answer, re-exported where they were always imported from. */
export type { SendRequest, SendResult } from "./outbound.ts";
/** The `channels.status` channel parts, re-exported where they were always imported from. */
export type { ChannelsSummary } from "./status_summary.ts";

/** How long a stop waits for the answers in flight to record how they ended. */
const SETTLE_MS = 5_000;

/** What the channel manager needs from the gateway. */
export interface ChannelManagerDeps {
  stateDir: string;
  env: EnvSnapshot;
  /** Opens the team secret store reader (node:sqlite) for accounts whose credentials are store SecretRefs. */
  storeReader?: (() => Promise<(name: string) => string | undefined>) | undefined;
  /** The resolved config in force (read per message, so access changes apply without reconnecting). */
  config(): Pick<ResolvedConfig, "channels" | "bindings" | "session"> & Partial<Pick<ResolvedConfig, "commands">>;
  defaultAgentId(): string;
  runs: AgentRuns;
  log: Logger;
  /** Slash commands in channel messages: answered by the gateway when given. */
  commands?: ChatCommandDeps | undefined;
  /** The channel kinds served, in display order; {@link CHANNEL_KINDS} unless a test brings its own. */
  kinds?: readonly ChannelKind[];
  /**
   * The gateway's shared state database (DM pairing lives there), closed by the gateway; without it the
   * pairing store and the inbound queue open their own connections, through the ownership fence with the
   * access OPENCLAW_SUPERVISOR_MODE in `env` gives, and {@link ChannelManager.stop} closes them.
   */
  stateDb?: () => Promise<DatabaseSync>;
  /** Checks and reads outbound files (answers' `MEDIA:` lines, `send` media); without it, files are refused. */
  files?: OutboundFiles | undefined;
  /** The media store lent to every account (`AccountHost.media`). */
  media?: MediaStore | undefined;
  /** What a message's files become for its run (image input, transcripts); absent: their text only. */
  understanding?: MediaUnderstanding | undefined;
  /** Internal hooks: inbound messages, their replies and sends for a session are observed (`message:*`). */
  hooks?: InternalHookEmitter | undefined;
  /** The config as written: the `cfg` of the hook contexts that carry it. */
  rawConfig?: (() => Record<string, unknown>) | undefined;
  /** A session's own send policy and group activation (inbound.ts); absent: none kept. */
  sessionSettings?: InboundDeps["sessionSettings"];
  /**
   * While a host suspension holds admission closed, what resolves when it reopens (undefined while open): a
   * message that arrives meanwhile is kept (in the inbound queue when durable) and answered after the resume.
   */
  admitted?: (() => Promise<void> | undefined) | undefined;
}

/**
 * The chat channels of a running gateway, as one face for the server and the RPC methods: the
 * account pool (start, restart, stop, webhooks), inbound (gate, pair, answer) and outbound
 * (`send`, pairing notices).
 */
export class ChannelManager {
  #pool: AccountPool;
  #outbound: Outbound;
  #pairing: PairingStore;
  #durable: DurableInbound;
  /** What else ends with the channels (see {@link onStop}). */
  #stopHooks: (() => void | Promise<void>)[] = [];
  /** The state database connection opened for the inbound queue when the gateway lends none (tests). */
  #ownDb: Promise<DatabaseSync> | undefined;
  /** Sends under way (`send`): a suspension reports them as pending reply deliveries. */
  #sending = 0;

  constructor(deps: ChannelManagerDeps) {
    const access = writeAccessFor(deps.env.OPENCLAW_SUPERVISOR_MODE);
    this.#pairing = new PairingStore(deps.stateDir, deps.stateDb, { log: deps.log, access });
    this.#pool = new AccountPool({
      env: deps.env,
      stateDir: deps.stateDir,
      storeReader: deps.storeReader,
      channels: () => deps.config().channels,
      kinds: deps.kinds ?? CHANNEL_KINDS,
      log: deps.log,
      // Accounts deliver only once started, which is after `inbound` below is set.
      inbound: async (kind, message, receipt) => {
        if (receipt) return await this.#durable.receive(kind, message, receipt);
        void answer(kind, message);
      },
      ready: (kind, accountId, rules) => void this.#durable.ready(kind, { channel: kind.id, accountId }, rules),
      media: deps.media,
    });
    const inbound = inboundHandler({
      pool: this.#pool,
      pairing: this.#pairing,
      config: deps.config,
      defaultAgentId: deps.defaultAgentId,
      runs: deps.runs,
      log: deps.log,
      files: deps.files,
      commands: deps.commands,
      stopping: () => this.#durable.draining,
      media: deps.understanding,
      hooks: deps.hooks,
      rawConfig: deps.rawConfig,
      sessionSettings: deps.sessionSettings,
    });
    const admitted = deps.admitted;
    const answer: typeof inbound = admitted
      ? async (kind, message, stored) => {
        const reopened = admitted();
        if (reopened) {
          deps.log.info(`${kind.id}: message held until the gateway resumes (host suspension)`);
          await reopened;
          // Reopened by the gateway's stop, not a resume: kept for the next start (a durable row is released).
          if (this.#durable.draining) {
            deps.log.info(`${kind.id}: held message not answered: the gateway is stopping`);
            return "interrupted";
          }
        }
        return await inbound(kind, message, stored);
      }
      : inbound;
    this.#durable = new DurableInbound({
      open: deps.stateDb ?? (() => this.#ownDatabase(deps.stateDir, access)),
      handle: answer,
      log: deps.log,
    });
    this.#outbound = new Outbound(this.#pool, deps.files, deps.hooks);
  }

  /**
   * The inbound queue's own connection (no gateway lent one), opened through the ownership fence. A refused
   * or failed open is not kept: the next message tries again (a claim may have been released meanwhile).
   */
  #ownDatabase(stateDir: string, access: StateDbAccess): Promise<DatabaseSync> {
    if (!this.#ownDb) {
      const opening = import("../state/state_db.ts").then(({ openStateDb }) => openStateDb(stateDir, access));
      opening.catch(() => {
        if (this.#ownDb === opening) this.#ownDb = undefined;
      });
      this.#ownDb = opening;
    }
    return this.#ownDb;
  }

  /** The pairing store the channels use (for the pairing RPC methods). */
  get pairing(): PairingStore {
    return this.#pairing;
  }

  /**
   * Brings the running accounts in line with the config: starts new ones, stops removed or
   * disabled ones, restarts those whose connection settings changed. Serialized, so reloads in
   * quick succession apply in order.
   */
  reconcile(): Promise<void> {
    return this.#pool.reconcile();
  }

  /**
   * The gateway begins to stop (call before its runs are aborted): an answer cut off from now on stays in the
   * inbound queue and is given after the next start.
   */
  drain(): void {
    this.#durable.drain();
  }

  /**
   * Stops every account, lets the answers in flight record how they ended (bounded: a run nobody aborted
   * is left claimed, and answered after the next start), then closes the connections of its own.
   */
  async stop(): Promise<void> {
    const hooks = this.#stopHooks.splice(0).map((hook) => Promise.resolve().then(hook).catch(() => {}));
    this.#durable.drain();
    await this.#pool.stop();
    await within(Promise.all(hooks), SETTLE_MS);
    await within(this.#durable.settled(), SETTLE_MS);
    await this.#pairing.close();
    const own = await this.#ownDb?.catch(() => undefined);
    this.#ownDb = undefined;
    own?.close();
  }

  /**
   * The channel handler for a request to a mounted webhook path (Telegram webhook mode), if any.
   * Costs nothing on the HTTP hot path while no channel has mounted one.
   */
  webhookFor(request: Request): ((request: Request) => Promise<Response>) | undefined {
    return this.#pool.webhookFor(request);
  }

  /**
   * Runs `hook` when the channels stop (a WhatsApp QR login's socket ends with the gateway, not after it);
   * the stop waits, bounded, for what it returns (the login's credential writes landing).
   */
  onStop(hook: () => void | Promise<void>): void {
    this.#stopHooks.push(hook);
  }

  /** Stops one account until {@link startAccount} (a WhatsApp login or logout takes over its device). */
  stopAccount(channel: string, accountId: string): Promise<void> {
    return this.#pool.stopAccount(channel, accountId);
  }

  /** (Re)starts one account as configured (after a WhatsApp login linked it). */
  startAccount(channel: string, accountId: string): Promise<void> {
    return this.#pool.startAccount(channel, accountId);
  }

  /** Whether an account is started and running now. */
  isRunning(channel: string, accountId: string): boolean {
    return this.#pool.running(channel, accountId)?.account.status().running === true;
  }

  /** The section `channels.<channel>` declares (its accounts' settings as written), if any. */
  declaredSection(channel: string): DeclaredSection | undefined {
    const kind = this.#pool.kind(channel);
    return kind ? this.#pool.section(kind) : undefined;
  }

  /** Each configured channel's accounts as they stand, without probing (for `health` too). */
  summary(channel?: string): ChannelsSummary {
    return channelsSummary(this.#pool, channel);
  }

  /** The `channels.status` payload's channel parts; with `probe`, each running account is probed live. */
  async status(options: { probe: boolean; timeoutMs: number; channel?: string | undefined }): Promise<ChannelsSummary> {
    return options.probe ? await probedSummary(this.#pool, options) : this.summary(options.channel);
  }

  /** Tells an approved sender they may talk now (`pairing approve --notify`). */
  notifyApproved(channel: string, request: PairingRequest): Promise<void> {
    return this.#outbound.notifyApproved(channel, request);
  }

  /** Delivers a message to a target on a channel (the `send` method); retries with one key send once. */
  async send(request: SendRequest): Promise<SendResult> {
    this.#sending += 1;
    try {
      return await this.#outbound.send(request);
    } finally {
      this.#sending -= 1;
    }
  }

  /** Sends under way now. */
  get sending(): number {
    return this.#sending;
  }
}
