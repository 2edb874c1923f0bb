import type { EnvSnapshot } from "../config/paths.ts";
import { hasStoreRef } from "../config/store_refs.ts";
import type { ChannelsSection, DiscordAccountConfig, SlackAccountConfig } from "../config/resolve.ts";
import {
  type AccessSettings,
  type AccountEntry,
  type ChannelSection,
  defaultAccountId,
  sectionAccounts,
} from "./accounts.ts";
import type { AccountHost, ChannelAccount, ChannelId } from "./types.ts";
import { normalizeSlackAllowEntry, slackAccessSettings } from "./slack_access.ts";
import { slackThreadTarget, telegramThreadTarget } from "./thread_targets.ts";

/** What building an account needs besides its settings. */
export interface AccountContext {
  env: EnvSnapshot;
  host: AccountHost;
  /** The gateway's state directory (where WhatsApp keeps its linked-device credentials). */
  stateDir?: string | undefined;
  /**
   * Opens the team secret store reader (node:sqlite), asked only by an account whose credentials are
   * `{source: "store"}` SecretRefs, so channels without one never load it.
   */
  storeReader?: (() => Promise<(name: string) => string | undefined>) | undefined;
  /** The reader {@link storeReader} opened, handed to settings resolution. */
  readStoreValue?: ((name: string) => string | undefined) | undefined;
}

/** One account a channel section declares: its access settings as written, and how to build it. */
export interface DeclaredAccount {
  accountId: string;
  /** The account's settings as written (root overlaid with its own entry); access is read from here per message. */
  settings: AccessSettings;
  /** Builds the live account, resolving its typed settings (throws a ChannelError naming a missing key). */
  create(context: AccountContext): Promise<ChannelAccount>;
}

/** A channel section as the gateway runs it: whether it is on, its accounts, and the one sends use by default. */
export interface DeclaredSection {
  enabled: boolean;
  defaultAccountId: string;
  accounts: DeclaredAccount[];
}

/** One channel kind: its label, its targets, and the accounts its config section declares. */
export interface ChannelKind {
  id: ChannelId;
  label: string;
  /** Target prefixes that select this channel (`telegram:123`, `tg:123`). */
  targetPrefixes: readonly string[];
  /** The direct-message target of a sender id (an IRC nick from `nick!user@host`, a Telegram user id). */
  dmTarget(senderId: string): string;
  /** A send target inside a thread (`send`'s `threadId`): a Telegram forum topic, a Slack thread; absent: no threads. */
  threadTarget?(to: string, threadId: string): string;
  /** Normalizes an allowlist entry to the ids this channel's senders carry. */
  normalizeAllowEntry(entry: string): string;
  /** The line of the pairing reply that tells a sender their id, as the reference words it for this channel. */
  pairingIdLine(senderId: string): string;
  /** The accounts `channels.<id>` declares, or undefined when that section is absent. */
  declared(channels: ChannelsSection, env: EnvSnapshot): DeclaredSection | undefined;
  /** What a send on this channel says when no account of it is configured, where the reference words it its own way. */
  missingAccountMessage?(accountId: string): string;
}

/** A channel kind described with its typed account settings `S`; {@link defineChannelKind} turns it into a kind. */
export interface ChannelKindSpec<S extends AccessSettings & object> {
  id: ChannelId;
  label: string;
  targetPrefixes: readonly string[];
  dmTarget(senderId: string): string;
  threadTarget?(to: string, threadId: string): string;
  normalizeAllowEntry(entry: string): string;
  /** Defaults to `Your <label> id: <senderId>`. */
  pairingIdLine?(senderId: string): string;
  /** This kind's section of `channels`, typed. */
  section(channels: ChannelsSection): ChannelSection<S> | undefined;
  /** Whether a settings object names an identity of its own (a server and nick, a bot token). */
  hasIdentity(settings: S, env: EnvSnapshot, isDefault: boolean): boolean;
  /** Builds a live account from its typed settings as written. */
  create(account: AccountEntry<S>, context: AccountContext): Promise<ChannelAccount>;
  /** The access settings the shared gate reads, when this kind words them its own way (Discord's legacy `dm.*`). */
  accessSettings?(settings: S): AccessSettings;
  missingAccountMessage?(accountId: string): string;
}

/** A channel kind from its typed description: the settings type stays inside, so nothing is re-cast. */
export function defineChannelKind<S extends AccessSettings & object>(spec: ChannelKindSpec<S>): ChannelKind {
  const { section, hasIdentity, create, pairingIdLine, accessSettings, ...described } = spec;
  return {
    ...described,
    pairingIdLine: pairingIdLine ?? ((senderId) => `Your ${spec.label} id: ${senderId}`),
    declared(channels, env) {
      const raw = section(channels);
      if (!raw || typeof raw !== "object") return undefined;
      const entries = sectionAccounts(raw, (settings) => hasIdentity(settings, env, true));
      return {
        enabled: raw.enabled !== false,
        defaultAccountId: defaultAccountId(raw, entries),
        accounts: entries.map((entry) => ({
          accountId: entry.accountId,
          settings: accessSettings ? accessSettings(entry.settings) : entry.settings,
          create: (context) => create(entry, context),
        })),
      };
    },
  };
}

/** The channels this gateway serves, in display order. Each is imported lazily on first use. */
export const CHANNEL_KINDS: readonly ChannelKind[] = [
  defineChannelKind({
    id: "irc",
    label: "IRC",
    section: (channels) => channels.irc,
    hasIdentity: (settings, env, isDefault) =>
      typeof settings.host === "string" || (isDefault && env.IRC_HOST !== undefined),
    create: async (account, context) => (await import("./irc/account.ts")).createIrcAccount(account, context),
    targetPrefixes: ["irc"],
    dmTarget: (senderId) => senderId.split("!")[0] ?? senderId,
    normalizeAllowEntry: (entry) => entry.trim().replace(/^irc:/i, ""),
  }),
  defineChannelKind({
    id: "telegram",
    label: "Telegram",
    section: (channels) => channels.telegram,
    hasIdentity: (settings, env, isDefault) =>
      settings.botToken !== undefined || settings.tokenFile !== undefined ||
      (isDefault && env.TELEGRAM_BOT_TOKEN !== undefined),
    create: async (account, context) =>
      (await import("./telegram/account.ts")).createTelegramAccount(account, {
        ...context,
        readStoreValue: hasStoreRef(account.settings) ? await context.storeReader?.() : undefined,
      }),
    targetPrefixes: ["telegram", "tg"],
    dmTarget: (senderId) => senderId,
    threadTarget: telegramThreadTarget,
    normalizeAllowEntry: (entry) => entry.trim().replace(/^(telegram|tg):/i, ""),
    // The reference says "user id" here, where other channels say just "id".
    pairingIdLine: (senderId) => `Your Telegram user id: ${senderId}`,
    missingAccountMessage: (id) =>
      `Telegram bot token missing for account "${id}" (set channels.telegram.accounts.${id}.botToken/tokenFile or ` +
      "TELEGRAM_BOT_TOKEN for default).",
  }),
  defineChannelKind({
    id: "discord",
    label: "Discord",
    section: (channels) => channels.discord,
    hasIdentity: (settings, env, isDefault) =>
      settings.token !== undefined || (isDefault && env.DISCORD_BOT_TOKEN !== undefined),
    create: async (account, context) => (await import("./discord/account.ts")).createDiscordAccount(account, context),
    targetPrefixes: ["discord"],
    dmTarget: (senderId) => `user:${senderId}`,
    normalizeAllowEntry: (entry) => entry.trim().replace(/^(discord:|user:|pk:)/i, "").replace(/^<@!?(\d+)>$/, "$1"),
    pairingIdLine: (senderId) => `Your Discord user id: ${senderId}`,
    // Guild messages are gated by the account (guilds, channel allowlists, users/roles, mentions) before
    // they arrive, so the shared group gate passes them; DMs keep the shared pairing and allowlist gate.
    accessSettings: (settings: DiscordAccountConfig) => ({
      ...settings,
      dmPolicy: settings.dmPolicy ?? settings.dm?.policy,
      allowFrom: settings.allowFrom ?? settings.dm?.allowFrom,
      groupPolicy: settings.groupPolicy === "disabled" ? "disabled" : "open",
      groupAllowFrom: ["*"],
      groups: { "*": { requireMention: false } },
    }),
  }),
  defineChannelKind({
    id: "slack",
    label: "Slack",
    section: (channels) => channels.slack,
    hasIdentity: (settings, env, isDefault) =>
      settings.botToken !== undefined || (isDefault && env.SLACK_BOT_TOKEN !== undefined),
    create: async (account, context) => (await import("./slack/account.ts")).createSlackAccount(account, context),
    targetPrefixes: ["slack"],
    dmTarget: (senderId) => `user:${senderId}`,
    // The thread replaces any the target names (`channel:<id>:thread:<ts>`, slack/targets.ts).
    threadTarget: slackThreadTarget,
    normalizeAllowEntry: normalizeSlackAllowEntry,
    pairingIdLine: (senderId) => `Your Slack user id: ${senderId}`,
    accessSettings: (settings: SlackAccountConfig) => slackAccessSettings(settings),
  }),
  defineChannelKind({
    id: "whatsapp",
    label: "WhatsApp",
    section: (channels) => channels.whatsapp,
    // A WhatsApp account is its linked device: the section alone declares the default one (login links it
    // later); with named accounts the root is one more only when it names its own credentials, as the
    // reference lists only the named ones.
    hasIdentity: (settings) => typeof settings.authDir === "string",
    create: async (account, context) => (await import("./whatsapp/account.ts")).createWhatsAppAccount(account, context),
    targetPrefixes: ["whatsapp", "wa"],
    dmTarget: (senderId) => senderId,
    // Phone numbers as E.164 (`whatsapp:+1 555…` → `+1555…`); JIDs and `*` as written.
    normalizeAllowEntry: (entry) => {
      const stripped = entry.trim().replace(/^(whatsapp|wa):/i, "").trim();
      if (stripped === "*" || stripped.includes("@")) return stripped;
      const digits = stripped.replace(/\D/g, "");
      return digits ? `+${digits}` : stripped;
    },
    pairingIdLine: (senderId) => `Your WhatsApp phone number: ${senderId}`,
  }),
];
