import type { EnvSnapshot } from "../../config/paths.ts";
import { channelMediaMaxBytes } from "../../config/media_settings.ts";
import { resolveSecretInput } from "../../config/resolve_auth.ts";
import type { DiscordAccountConfig } from "../../config/resolve.ts";
import { type AccountEntry, DEFAULT_ACCOUNT_ID } from "../accounts.ts";
import { ChannelError } from "../errors.ts";
import type { GuildRules } from "./guild_access.ts";

/** One Discord account's settings, with defaults, the env fallback and `DISCORD_API_URL` applied. */
export interface DiscordSettings {
  accountId: string;
  token: string;
  tokenSource: "config" | "env";
  /** The REST origin without the version (`https://discord.com/api`); gateway discovery goes through it too. */
  api: string;
  /** The REST API version (`10`). */
  apiVersion: string;
  textChunkLimit: number;
  maxLinesPerMessage: number;
  /** Outbound links stay plain (no generated embeds) unless `suppressEmbeds: false`. */
  suppressEmbeds: boolean;
  /** Bot-authored messages: ignored (false), taken (true), or taken only when they mention the bot. */
  allowBots: boolean | "mentions";
  /** Legacy `dm.enabled: false` turns every DM away. */
  dmEnabled: boolean;
  /** The privileged Message Content intent (on unless `intents.messageContent: false`). */
  messageContent: boolean;
  guildRules: GuildRules;
  /** `mediaMaxMb` in bytes: the largest attachment kept (default 100 MB, as the reference). */
  mediaMaxBytes: number;
  /** The origin `DISCORD_API_URL` names, which stands in for Discord's CDN too (tests); undefined for Discord. */
  fileOrigin: string | undefined;
}

const DEFAULT_API = "https://discord.com/api";
const DEFAULT_API_VERSION = "10";
/** Discord's own limit is 2000 characters per message. */
const MAX_CHUNK = 2000;
const DEFAULT_MAX_LINES = 17;
/** The reference's Discord `mediaMaxMb` default (DEFAULT_DISCORD_MEDIA_MAX_MB). */
const DEFAULT_MEDIA_MAX_BYTES = 100 * 1024 * 1024;

/**
 * The REST base `DISCORD_API_URL` names (`https://discord.example.com/api/v10`), split into origin
 * and version. As in the reference, plain HTTP is accepted only on loopback.
 */
function apiBase(env: EnvSnapshot): { api: string; apiVersion: string; fileOrigin: string | undefined } {
  const raw = env.DISCORD_API_URL?.trim();
  if (!raw) return { api: DEFAULT_API, apiVersion: DEFAULT_API_VERSION, fileOrigin: undefined };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ChannelError("invalid", `DISCORD_API_URL "${raw}" is not a URL: set it to https://host/api/v10`);
  }
  const loopback = ["127.0.0.1", "localhost", "[::1]"].includes(url.hostname);
  if (url.protocol !== "https:" && !(url.protocol === "http:" && loopback)) {
    throw new ChannelError(
      "invalid",
      `DISCORD_API_URL "${raw}" must use https (plain http is accepted only on loopback)`,
    );
  }
  const path = url.pathname.replace(/\/+$/, "");
  const versioned = /^(.*)\/v(\d+)$/.exec(path);
  return {
    api: `${url.origin}${versioned ? versioned[1] : path}`,
    apiVersion: versioned ? versioned[2]! : DEFAULT_API_VERSION,
    fileOrigin: url.origin,
  };
}

/**
 * Resolves an account's settings. DISCORD_BOT_TOKEN fills only the default account, as in the
 * reference. Throws a {@link ChannelError} naming the missing key.
 */
export function discordSettings(account: AccountEntry<DiscordAccountConfig>, env: EnvSnapshot): DiscordSettings {
  const s = account.settings;
  const isDefault = account.accountId === DEFAULT_ACCOUNT_ID;
  const key = (name: string) =>
    isDefault ? `channels.discord.${name}` : `channels.discord.accounts.${account.accountId}.${name}`;
  const configured = resolveSecretInput(s.token, { key: key("token"), env });
  const fromEnv = isDefault ? env.DISCORD_BOT_TOKEN : undefined;
  // Tokens copied from the developer portal sometimes carry the "Bot " prefix the header adds.
  const token = (configured ?? fromEnv)?.trim().replace(/^Bot\s+/i, "");
  if (!token) {
    throw new ChannelError(
      "invalid",
      `Discord account ${account.accountId} has no bot token: set ${key("token")}${
        isDefault ? " or DISCORD_BOT_TOKEN" : ""
      }`,
    );
  }
  return {
    accountId: account.accountId,
    token,
    tokenSource: configured ? "config" : "env",
    ...apiBase(env),
    textChunkLimit: Math.min(s.textChunkLimit ?? MAX_CHUNK, MAX_CHUNK),
    maxLinesPerMessage: s.maxLinesPerMessage ?? DEFAULT_MAX_LINES,
    suppressEmbeds: s.suppressEmbeds !== false,
    allowBots: s.allowBots ?? false,
    dmEnabled: s.dm?.enabled !== false,
    messageContent: s.intents?.messageContent !== false,
    guildRules: {
      groupPolicy: s.groupPolicy ?? "allowlist",
      guilds: s.guilds ?? {},
      nameMatching: s.dangerouslyAllowNameMatching === true,
    },
    mediaMaxBytes: channelMediaMaxBytes(s.mediaMaxMb, DEFAULT_MEDIA_MAX_BYTES),
  };
}
