import type { EnvSnapshot } from "../../config/paths.ts";
import { resolveSecretInput } from "../../config/resolve_auth.ts";
import type { SlackAccountConfig } from "../../config/resolve.ts";
import { type AccountEntry, DEFAULT_ACCOUNT_ID } from "../accounts.ts";
import { normalizeSlackAllowEntry } from "../slack_access.ts";
import { ChannelError } from "../errors.ts";

/** Where replies go relative to the message they answer (the reference's `replyToMode`). */
export type ReplyToMode = "off" | "first" | "all" | "batched";

/** Who among bots may drive the agent: none, all, or only those that mention it. */
export type AllowBots = boolean | "mentions";

/** One Slack channel's own rules (`channels.slack.channels.<id>`). */
export interface SlackChannelRule {
  allowBots?: AllowBots | undefined;
  replyToMode?: ReplyToMode | undefined;
}

/** One Slack account's settings, with defaults, the env fallbacks and `SLACK_API_URL` applied. */
export interface SlackSettings {
  accountId: string;
  mode: "socket" | "http";
  botToken: string;
  /** The app-level token (`xapp-…`) Socket Mode connects with; unset in HTTP mode. */
  appToken: string | undefined;
  /** The signing secret HTTP events are checked against; unset in Socket Mode. */
  signingSecret: string | undefined;
  /** The path on the gateway's port HTTP events arrive at (`/slack/events`). */
  webhookPath: string;
  /** The Web API base, ending in `/` (`https://slack.com/api/`). */
  apiUrl: string;
  textChunkLimit: number;
  /** Reply threading per chat type. */
  replyToMode: { direct: ReplyToMode; group: ReplyToMode; channel: ReplyToMode };
  allowBots: AllowBots;
  /** `dm.enabled: false` turns every DM away. */
  dmEnabled: boolean;
  /** Group DMs (MPIMs) are answered only with `dm.groupEnabled`, and then only those `dm.groupChannels` lists. */
  groupDmEnabled: boolean;
  groupDmChannels: string[] | undefined;
  /** Who may talk in a group DM: the owners (`allowFrom`, legacy `dm.allowFrom`), normalized; `*` is anyone. */
  groupDmSenders: string[];
  /** A reply in a thread to the bot's own message counts as a mention (`implicitMentions.replyToBot`). */
  replyToBotIsMention: boolean;
  /** A follow-up in a thread the bot answered counts as a mention (`implicitMentions.threadParticipation`). */
  threadParticipationIsMention: boolean;
  /** Largest inbound file kept, in bytes (`mediaMaxMb`, 20 MB by default as in the reference). */
  mediaMaxBytes: number;
  unfurlLinks: boolean;
  unfurlMedia: boolean;
  channelRules: Record<string, SlackChannelRule>;
}

const DEFAULT_API_URL = "https://slack.com/api/";
/** Slack's own limit on `chat.postMessage` text, which the reference chunks to. */
const MAX_CHUNK = 4000;
const DEFAULT_MEDIA_MAX_MB = 20;
/** The reference's default HTTP events path. */
export const DEFAULT_WEBHOOK_PATH = "/slack/events";

/** The Web API base `SLACK_API_URL` names (the reference's override); plain HTTP only on loopback. */
function apiUrl(env: EnvSnapshot): string {
  const raw = env.SLACK_API_URL?.trim();
  if (!raw) return DEFAULT_API_URL;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ChannelError("invalid", `SLACK_API_URL "${raw}" is not a URL: set it to https://host/api/`);
  }
  const loopback = ["127.0.0.1", "localhost", "[::1]"].includes(url.hostname);
  if (url.protocol !== "https:" && !(url.protocol === "http:" && loopback)) {
    throw new ChannelError(
      "invalid",
      `SLACK_API_URL "${raw}" must use https (plain http is accepted only on loopback)`,
    );
  }
  return url.href.endsWith("/") ? url.href : `${url.href}/`;
}

/** The reference normalizes the path: a leading slash, and `/slack/events` when empty. */
function webhookPath(raw: string | undefined): string {
  const trimmed = raw?.trim();
  if (!trimmed) return DEFAULT_WEBHOOK_PATH;
  return trimmed.startsWith("/") ? trimmed : `/${trimmed}`;
}

/**
 * Resolves an account's settings. SLACK_BOT_TOKEN and SLACK_APP_TOKEN fill only the default account, as in the
 * reference. Throws a {@link ChannelError} with the reference's words when a token or the secret is missing.
 */
export function slackSettings(account: AccountEntry<SlackAccountConfig>, env: EnvSnapshot): SlackSettings {
  const s = account.settings;
  const id = account.accountId;
  const isDefault = id === DEFAULT_ACCOUNT_ID;
  const key = (name: string) => `channels.slack${isDefault ? "" : `.accounts.${id}`}.${name}`;
  const mode = s.mode ?? "socket";
  if (mode === "relay") {
    throw new ChannelError(
      "invalid",
      `Slack account ${id} uses mode "relay", which this gateway does not serve: set ${
        key("mode")
      } to "socket" or "http"`,
    );
  }
  const botToken = resolveSecretInput(s.botToken, { key: key("botToken"), env })?.trim() ||
    (isDefault ? env.SLACK_BOT_TOKEN?.trim() : undefined);
  const appToken = resolveSecretInput(s.appToken, { key: key("appToken"), env })?.trim() ||
    (isDefault ? env.SLACK_APP_TOKEN?.trim() : undefined);
  const signingSecret = resolveSecretInput(s.signingSecret, { key: key("signingSecret"), env })?.trim();
  if (!botToken || (mode === "socket" && !appToken)) {
    throw new ChannelError(
      "invalid",
      mode === "http"
        ? `Slack bot token missing for account "${id}" (set channels.slack.accounts.${id}.botToken or SLACK_BOT_TOKEN for default).`
        : `Slack bot + app tokens missing for account "${id}" (set channels.slack.accounts.${id}.botToken/appToken or SLACK_BOT_TOKEN/SLACK_APP_TOKEN for default).`,
    );
  }
  if (mode === "http" && !signingSecret) {
    throw new ChannelError(
      "invalid",
      `Slack signing secret missing for account "${id}" (set channels.slack.signingSecret or channels.slack.accounts.${id}.signingSecret).`,
    );
  }
  const base = s.replyToMode ?? "off";
  const byType = s.replyToModeByChatType ?? {};
  const channelRules: Record<string, SlackChannelRule> = {};
  for (const [channelId, rule] of Object.entries(s.channels ?? {})) {
    channelRules[channelId] = { allowBots: rule.allowBots, replyToMode: rule.replyToMode };
  }
  return {
    accountId: id,
    mode,
    botToken,
    appToken: mode === "socket" ? appToken : undefined,
    signingSecret: mode === "http" ? signingSecret : undefined,
    webhookPath: webhookPath(s.webhookPath),
    apiUrl: apiUrl(env),
    textChunkLimit: Math.min(s.textChunkLimit ?? MAX_CHUNK, MAX_CHUNK),
    replyToMode: {
      direct: byType.direct ?? s.dm?.replyToMode ?? base,
      group: byType.group ?? base,
      channel: byType.channel ?? base,
    },
    allowBots: s.allowBots ?? false,
    dmEnabled: s.dm?.enabled !== false,
    groupDmEnabled: s.dm?.groupEnabled === true,
    groupDmChannels: s.dm?.groupChannels?.map((id) => String(id).trim().replace(/^channel:/i, "")),
    groupDmSenders: (s.allowFrom ?? s.dm?.allowFrom ?? []).map((entry) => normalizeSlackAllowEntry(String(entry))),
    replyToBotIsMention: s.implicitMentions?.replyToBot !== false,
    threadParticipationIsMention: s.implicitMentions?.threadParticipation !== false,
    mediaMaxBytes: (s.mediaMaxMb ?? DEFAULT_MEDIA_MAX_MB) * 1024 * 1024,
    unfurlLinks: s.unfurlLinks === true,
    unfurlMedia: s.unfurlMedia === true,
    channelRules,
  };
}
