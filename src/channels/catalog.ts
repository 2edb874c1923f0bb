import type { EnvSnapshot } from "../config/paths.ts";
import type { RawAccount } from "./accounts.ts";
import type { AccountHost, ChannelAccount, ChannelId } from "./types.ts";

/** What building an account needs besides its settings. */
export interface AccountContext {
  env: EnvSnapshot;
  host: AccountHost;
}

/** One channel kind: its label, and how to build an account (its code is loaded only when used). */
export interface ChannelKind {
  id: ChannelId;
  label: string;
  /** Whether a settings object names an identity of its own (a server and nick, a bot token). */
  hasIdentity(settings: Record<string, unknown>, env: EnvSnapshot, isDefault: boolean): boolean;
  create(account: RawAccount, context: AccountContext): Promise<ChannelAccount>;
  /** Target prefixes that select this channel (`telegram:123`, `tg:123`). */
  targetPrefixes: readonly string[];
  /** The direct-message target of a sender id (an IRC nick from `nick!user@host`, a Telegram user id). */
  dmTarget(senderId: string): string;
  /** Normalizes an allowlist entry to the ids this channel's senders carry. */
  normalizeAllowEntry(entry: string): string;
}

/** The channels this gateway serves, in display order. Each is imported lazily on first use. */
export const CHANNEL_KINDS: readonly ChannelKind[] = [
  {
    id: "irc",
    label: "IRC",
    hasIdentity: (settings, env, isDefault) =>
      typeof settings.host === "string" || (isDefault && env.IRC_HOST !== undefined),
    create: async (account, context) => (await import("./irc/account.ts")).createIrcAccount(account, context),
    targetPrefixes: ["irc"],
    dmTarget: (senderId) => senderId.split("!")[0] ?? senderId,
    normalizeAllowEntry: (entry) => entry.trim().replace(/^irc:/i, ""),
  },
  {
    id: "telegram",
    label: "Telegram",
    hasIdentity: (settings, env, isDefault) =>
      settings.botToken !== undefined || settings.tokenFile !== undefined ||
      (isDefault && env.TELEGRAM_BOT_TOKEN !== undefined),
    create: async (account, context) => (await import("./telegram/account.ts")).createTelegramAccount(account, context),
    targetPrefixes: ["telegram", "tg"],
    dmTarget: (senderId) => senderId,
    normalizeAllowEntry: (entry) => entry.trim().replace(/^(telegram|tg):/i, ""),
  },
];
