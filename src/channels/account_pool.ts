import type { EnvSnapshot } from "../config/paths.ts";
import type { ChannelsSection } from "../config/resolve.ts";
import type { Logger } from "../log/logger.ts";
import type { MediaStore } from "../media/media_types.ts";
import { type AccessDefaults, connectionFingerprint } from "./accounts.ts";
import type { AccountContext, ChannelKind, DeclaredAccount, DeclaredSection } from "./catalog.ts";
import { messageOf } from "./errors.ts";
import { baseStatus } from "./status_summary.ts";
import type { AccountStatus, ChannelAccount, InboundMessage, InboundReceipt, ReplayRules } from "./types.ts";
import { type WebhookHandler, WebhookRoutes } from "./webhooks.ts";

/** What the account pool needs from the gateway. */
export interface AccountPoolDeps {
  env: EnvSnapshot;
  /** The gateway's state directory, lent to accounts that keep files there (WhatsApp's credentials). */
  stateDir?: string | undefined;
  /** Opens the team secret store reader for accounts whose credentials are store SecretRefs. */
  storeReader?: AccountContext["storeReader"];
  /** The `channels` section in force. */
  channels(): ChannelsSection;
  kinds: readonly ChannelKind[];
  log: Logger;
  /** Where the messages the accounts receive go; settles once a message with a receipt is stored. */
  inbound(kind: ChannelKind, message: InboundMessage, receipt?: InboundReceipt): Promise<void>;
  /** An account is connected and can answer what its queue kept. */
  ready(kind: ChannelKind, accountId: string, rules?: ReplayRules): void;
  /** The media store accounts keep the files messages carry in (absent: accounts pass files by as text). */
  media?: MediaStore | undefined;
}

/** A started account. */
export interface RunningAccount {
  kind: ChannelKind;
  account: ChannelAccount;
  fingerprint: string;
}

/** Per-account IDs in the pool's maps and in log lines. */
export const accountKey = (channel: string, accountId: string): string => `${channel}/${accountId}`;

/**
 * The channel accounts of a running gateway: starts the configured accounts, stops removed or
 * disabled ones and restarts those whose connection settings change on reload, and serves their
 * webhooks. Reads the config in force on every call, so access changes apply without reconnecting.
 */
export class AccountPool {
  #deps: AccountPoolDeps;
  #running = new Map<string, RunningAccount>();
  /** Accounts that could not be built (a missing secret): shown in status with their error. */
  #broken = new Map<string, AccountStatus>();
  #webhooks = new WebhookRoutes();
  #queue: Promise<unknown> = Promise.resolve();
  #stopped = false;
  /** Accounts stopped on request (a WhatsApp login owns the device): not started again until asked. */
  #held = new Set<string>();

  constructor(deps: AccountPoolDeps) {
    this.#deps = deps;
  }

  /** The channel kinds this gateway serves, in display order. */
  get kinds(): readonly ChannelKind[] {
    return this.#deps.kinds;
  }

  /** The kind with this id, if served. */
  kind(channel: string): ChannelKind | undefined {
    return this.#deps.kinds.find((k) => k.id === channel);
  }

  /** The section `channels.<kind>` declares, or undefined when it is absent. */
  section(kind: ChannelKind): DeclaredSection | undefined {
    return kind.declared(this.#deps.channels(), this.#deps.env);
  }

  /** `channels.defaults`: the DM and group policy for accounts that set none. */
  defaults(): AccessDefaults {
    return this.#deps.channels().defaults ?? {};
  }

  /** One declared account, as the config in force has it. */
  declared(kind: ChannelKind, accountId: string): DeclaredAccount | undefined {
    return this.section(kind)?.accounts.find((a) => a.accountId === accountId);
  }

  /** The started account for a channel and account id, if it runs. */
  running(channel: string, accountId: string): RunningAccount | undefined {
    return this.#running.get(accountKey(channel, accountId));
  }

  /** An account's status as it stands: the declared base, laid over with the live one when it runs. */
  status(kind: ChannelKind, section: DeclaredSection, account: DeclaredAccount): AccountStatus {
    const key = accountKey(kind.id, account.accountId);
    const base = this.#broken.get(key) ?? baseStatus(account, section.enabled, this.defaults());
    const live = this.#running.get(key)?.account.status();
    return live ? { ...base, ...live } : base;
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
    const wanted = new Map<string, { kind: ChannelKind; account: DeclaredAccount; fingerprint: string }>();
    const active = new Set<string>();
    for (const kind of this.#deps.kinds) {
      const section = this.section(kind);
      if (!section?.enabled) continue;
      for (const account of section.accounts) {
        if (account.settings.enabled !== false) active.add(accountKey(kind.id, account.accountId));
      }
    }
    // A hold (`channels.stop`, a login) ends when the config removes or disables the account, so
    // adding or enabling it again starts it, as the reference restarts an account its config changed.
    for (const key of this.#held) if (!active.has(key)) this.#held.delete(key);
    for (const kind of this.#deps.kinds) {
      const section = this.section(kind);
      if (!section?.enabled) continue;
      for (const account of section.accounts) {
        if (account.settings.enabled === false || this.#held.has(accountKey(kind.id, account.accountId))) continue;
        const fingerprint = connectionFingerprint(account.settings);
        wanted.set(accountKey(kind.id, account.accountId), { kind, account, fingerprint });
      }
    }
    const log = this.#deps.log;
    for (const [key, running] of this.#running) {
      if (wanted.get(key)?.fingerprint === running.fingerprint) continue;
      this.#running.delete(key);
      log.info(`${key}: stopping (${wanted.has(key) ? "settings changed" : "removed from config"})`);
      await running.account.stop().catch((error) => log.warn(`${key}: stop failed: ${error}`));
    }
    this.#broken.clear();
    for (const [key, { kind, account, fingerprint }] of wanted) {
      if (this.#running.has(key)) continue;
      try {
        const built = await account.create({
          env: this.#deps.env,
          stateDir: this.#deps.stateDir,
          storeReader: this.#deps.storeReader,
          host: {
            inbound: (message, receipt) => this.#deps.inbound(kind, message, receipt),
            ready: (rules) => this.#deps.ready(kind, account.accountId, rules),
            mountWebhook: (path, handler) => this.#webhooks.mount(key, path, handler),
            media: this.#deps.media,
          },
        });
        this.#running.set(key, { kind, account: built, fingerprint });
        log.info(`${key}: starting`);
        built.start();
      } catch (error) {
        const message = messageOf(error);
        log.error(`${key}: cannot start: ${message}`);
        this.#broken.set(key, { ...baseStatus(account, true, this.defaults()), lastError: message });
      }
    }
  }

  /** Stops one account and keeps it stopped until {@link startAccount} (a login takes over its connection). */
  stopAccount(channel: string, accountId: string): Promise<void> {
    this.#held.add(accountKey(channel, accountId));
    return this.reconcile();
  }

  /** Starts one account again (stopping it first if it runs), as configured. */
  startAccount(channel: string, accountId: string): Promise<void> {
    const key = accountKey(channel, accountId);
    this.#held.delete(key);
    const next = this.#queue.then(async () => {
      const running = this.#running.get(key);
      if (running) {
        this.#running.delete(key);
        await running.account.stop().catch((error) => this.#deps.log.warn(`${key}: stop failed: ${error}`));
      }
      await this.#reconcile();
    });
    this.#queue = next.catch(() => {});
    return next;
  }

  /** Stops every account (gateway stop). */
  async stop(): Promise<void> {
    this.#stopped = true;
    await this.#queue;
    const running = [...this.#running.values()];
    this.#running.clear();
    await Promise.all(running.map((r) => r.account.stop().catch(() => {})));
  }

  /** The handler for a request to a mounted webhook path, if any. */
  webhookFor(request: Request): WebhookHandler | undefined {
    return this.#webhooks.handlerFor(request);
  }
}
