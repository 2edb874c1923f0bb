// `openclaw channels add/remove` edit `channels.<id>` in the config as written (no `${VAR}`
// substituted, no defaults added), with the shapes the reference's setup adapters write:
// recorded against OpenClaw 2026.9.6 (`channels add --channel telegram --token …` and so on).
import { isJsonObject } from "../log/json_object.ts";
import { canonicalAccountId } from "./account_dirs.ts";

/** The chat channels `channels add/remove/list` know, in the reference's order and with its labels. */
export const CHANNEL_LABELS: Readonly<Record<string, string>> = {
  telegram: "Telegram",
  whatsapp: "WhatsApp",
  discord: "Discord",
  irc: "IRC",
  slack: "Slack",
};

/** The account every channel has when no `--account` is given. */
export const DEFAULT_ACCOUNT_ID = "default";

/** How one `channels add` flag lands in an account's settings. */
interface FieldSpec {
  /** The config key the flag's value is written to. */
  key: string;
  kind: "string" | "port" | "flag" | "list" | "choice";
  /** The values a `choice` flag takes, as the reference's setup contract lists them. */
  choices?: readonly string[];
}

/** Each channel's own `channels add` flags (commander's camelCase names) and the keys they write. */
export const CHANNEL_ADD_FIELDS: Readonly<Record<string, Readonly<Record<string, FieldSpec>>>> = {
  telegram: { token: { key: "botToken", kind: "string" }, tokenFile: { key: "tokenFile", kind: "string" } },
  discord: { token: { key: "token", kind: "string" } },
  slack: {
    botToken: { key: "botToken", kind: "string" },
    appToken: { key: "appToken", kind: "string" },
    userToken: { key: "userToken", kind: "string" },
    signingSecret: { key: "signingSecret", kind: "string" },
    mode: { key: "mode", kind: "choice", choices: ["socket", "http"] },
    // `--identity user` posts as the user (the reference writes it as `postAs`).
    identity: { key: "postAs", kind: "choice", choices: ["bot", "user"] },
  },
  irc: {
    host: { key: "host", kind: "string" },
    port: { key: "port", kind: "port" },
    tls: { key: "tls", kind: "flag" },
    nick: { key: "nick", kind: "string" },
    username: { key: "username", kind: "string" },
    realname: { key: "realname", kind: "string" },
    password: { key: "password", kind: "string" },
    channels: { key: "channels", kind: "list" },
  },
  whatsapp: { authDir: { key: "authDir", kind: "string" } },
};

/** The environment variables `--use-env` reads for the default account (the reference's names). */
export const CHANNEL_ENV_VARS: Readonly<Record<string, readonly string[]>> = {
  telegram: ["TELEGRAM_BOT_TOKEN"],
  discord: ["DISCORD_BOT_TOKEN"],
  slack: ["SLACK_BOT_TOKEN", "SLACK_APP_TOKEN"],
  irc: ["IRC_HOST", "IRC_NICK"],
};

/**
 * The root keys the reference moves into `accounts.default` when a second account is added to a
 * channel still configured at its root (its setup promotion keys: credentials, but also the name
 * and the access policy, so the new account does not inherit the first one's `dmPolicy: "open"`).
 * The rest (`enabled`, `proxy`, Slack's `mode`...) stays shared at the root.
 */
const PROMOTED_KEYS: readonly string[] = [
  "name",
  "token",
  "tokenFile",
  "botId",
  "secret",
  "botToken",
  "webhookPath",
  "webhookUrl",
  "dmPolicy",
  "allowFrom",
  "groupPolicy",
  "groupAllowFrom",
  "defaultTo",
  "streaming",
  "allowBots",
  "blockStreaming",
  "replyToMode",
  "textChunkLimit",
  "chunkMode",
  "responsePrefix",
  "ackReaction",
  "ackReactionScope",
  "reactionNotifications",
  "threadBindings",
  "mediaMaxMb",
  "dm",
  "groups",
  "actions",
];

/** Each channel's own promotion keys, as its setup contract declares them. */
const CHANNEL_PROMOTED_KEYS: Readonly<Record<string, readonly string[]>> = {
  telegram: ["streaming", "webhookSecret"],
  discord: [],
  slack: ["appToken"],
  irc: ["password"],
  whatsapp: ["authDir"],
};

/** A refused edit: the reference's message, printed as is. */
export class ChannelEditError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ChannelEditError";
  }
}

/** The reference's refusal of a channel it does not know. */
export function unknownChannelMessage(channel: string): string {
  return `Unknown channel "${channel}". Run \`openclaw channels list --all\` to see configured and installable channels.`;
}

/** The channel id for `--channel` (case and surrounding space ignored), or a {@link ChannelEditError}. */
export function parseChannelId(raw: string | undefined): string {
  const id = (raw ?? "").trim().toLowerCase();
  if (!Object.hasOwn(CHANNEL_LABELS, id)) throw new ChannelEditError(unknownChannelMessage(raw ?? ""));
  return id;
}

/**
 * The account id for `--account`, canonical as the reference makes it: lower case, runs of
 * anything but `a-z0-9_-` turned into one `-` (so `../x` is `x`, never a path), at most 64
 * characters. Omitted means `default`; a blank value, or one with nothing left, is refused.
 */
export function parseAccountId(raw: string | undefined): string {
  if (raw === undefined) return DEFAULT_ACCOUNT_ID;
  const trimmed = raw.trim();
  if (!trimmed) throw new ChannelEditError("--account must not be blank");
  const id = canonicalAccountId(trimmed);
  if (!id) {
    throw new ChannelEditError(`Invalid account id "${trimmed}": use letters, digits, "-" and "_".`);
  }
  return id;
}

/** Turns the given flags into account settings; a value that cannot be one is refused with the flag's name. */
export function fieldsFromFlags(channel: string, flags: Record<string, unknown>): Record<string, unknown> {
  const specs = CHANNEL_ADD_FIELDS[channel] ?? {};
  const fields: Record<string, unknown> = {};
  for (const [flag, spec] of Object.entries(specs)) {
    const value = flags[flag];
    if (value === undefined || value === false) continue;
    if (spec.kind === "flag") fields[spec.key] = true;
    else if (spec.kind === "port") {
      const port = Number(value);
      if (!Number.isInteger(port) || port < 1 || port > 65535) {
        throw new ChannelEditError(`--port must be an integer between 1 and 65535 (got "${String(value)}").`);
      }
      fields[spec.key] = port;
    } else if (spec.kind === "choice") {
      // Refused as the reference refuses it: a value the gateway would not load never reaches the file.
      if (typeof value !== "string" || !spec.choices?.includes(value)) {
        throw new ChannelEditError(
          `${flag} must be one of: ${(spec.choices ?? []).map((choice) => JSON.stringify(choice)).join(", ")}.`,
        );
      }
      fields[spec.key] = value;
    } else if (spec.kind === "list") {
      fields[spec.key] = String(value).split(",").map((entry) => entry.trim()).filter(Boolean);
    } else fields[spec.key] = String(value);
  }
  return fields;
}

function section(authored: Record<string, unknown>, channel: string): Record<string, unknown> | undefined {
  const channels = authored.channels;
  if (!isJsonObject(channels)) return undefined;
  const value = channels[channel];
  return isJsonObject(value) ? value : undefined;
}

function withSection(
  authored: Record<string, unknown>,
  channel: string,
  next: Record<string, unknown> | undefined,
): Record<string, unknown> {
  const channels = isJsonObject(authored.channels) ? { ...authored.channels } : {};
  if (next === undefined) delete channels[channel];
  else channels[channel] = next;
  return { ...authored, channels };
}

/** The account ids of a channel as written: its `accounts` keys, or `default` when it is set up at its root. */
export function listAccountIds(authored: Record<string, unknown>, channel: string): string[] {
  const base = section(authored, channel);
  if (!base) return [];
  const accounts = isJsonObject(base.accounts) ? Object.keys(base.accounts) : [];
  return accounts.length > 0 ? accounts.sort() : [DEFAULT_ACCOUNT_ID];
}

/** The key a canonical account id has in the file: a hand-written `Alt` is the account `alt`. */
function writtenAccountId(authored: Record<string, unknown>, channel: string, accountId: string): string {
  const accounts = section(authored, channel)?.accounts;
  if (!isJsonObject(accounts) || Object.hasOwn(accounts, accountId)) return accountId;
  const canonical = (key: string) => {
    try {
      return parseAccountId(key);
    } catch {
      return undefined;
    }
  };
  return Object.keys(accounts).find((key) => canonical(key) === accountId) ?? accountId;
}

/**
 * `channels add`: the channel and account enabled with the given settings. A non-default account
 * added to a channel configured at its root first moves the root's credentials to
 * `accounts.default`, as the reference does; WhatsApp keeps every account under `accounts`. The
 * channel's `plugins.entries.<id>.enabled` is set too, so the reference reads the file the same.
 */
export function addChannelAccount(
  authored: Record<string, unknown>,
  input: { channel: string; accountId: string; name?: string | undefined; fields: Record<string, unknown> },
): Record<string, unknown> {
  const { channel } = input;
  const accountId = writtenAccountId(authored, channel, input.accountId);
  const base: Record<string, unknown> = { ...(section(authored, channel) ?? {}) };
  const named = input.name?.trim() ? { name: input.name.trim() } : {};
  let next: Record<string, unknown>;
  if (accountId === DEFAULT_ACCOUNT_ID && !isJsonObject(base.accounts) && channel !== "whatsapp") {
    next = { ...base, enabled: true, ...named, ...input.fields };
  } else {
    const accounts: Record<string, unknown> = isJsonObject(base.accounts) ? { ...base.accounts } : {};
    if (!isJsonObject(base.accounts) && accountId !== DEFAULT_ACCOUNT_ID) {
      // The root account becomes `default` so that adding a second one does not change the first.
      const promoted: Record<string, unknown> = {};
      for (const key of [...PROMOTED_KEYS, ...CHANNEL_PROMOTED_KEYS[channel] ?? []]) {
        if (Object.hasOwn(base, key) && base[key] !== undefined) {
          promoted[key] = base[key];
          delete base[key];
        }
      }
      accounts[DEFAULT_ACCOUNT_ID] = promoted;
    }
    const current = accounts[accountId];
    const existing = isJsonObject(current) ? current : {};
    accounts[accountId] = { ...existing, ...named, enabled: true, ...input.fields };
    next = { ...base, enabled: true, accounts };
  }
  const result = withSection(authored, channel, next);
  const plugins = isJsonObject(authored.plugins) ? authored.plugins : {};
  const entries = isJsonObject(plugins.entries) ? plugins.entries : {};
  const entry = isJsonObject(entries[channel]) ? entries[channel] : {};
  return { ...result, plugins: { ...plugins, entries: { ...entries, [channel]: { ...entry, enabled: true } } } };
}

function requireAccount(authored: Record<string, unknown>, channel: string, accountId: string, requested: boolean) {
  const ids = listAccountIds(authored, channel);
  if (ids.includes(accountId)) return;
  const label = CHANNEL_LABELS[channel] ?? channel;
  const known = ids.length ? ` Known accounts: ${ids.join(", ")}.` : "";
  const inspect = `Run openclaw channels status --channel ${channel} to inspect configured accounts.`;
  throw new ChannelEditError(
    requested
      ? `${label} has no account "${accountId}" to remove.${known} ${inspect}`
      : `${label} has no default account to remove.${known} Name an account with --account <id>. ${inspect}`,
  );
}

/** `channels remove` without `--delete`: the account's `enabled` set, its settings kept. */
export function setChannelAccountEnabled(
  authored: Record<string, unknown>,
  request: { channel: string; accountId: string; enabled: boolean; requested?: boolean },
): Record<string, unknown> {
  const input = { ...request, accountId: writtenAccountId(authored, request.channel, request.accountId) };
  requireAccount(authored, input.channel, input.accountId, input.requested ?? true);
  const base = section(authored, input.channel) ?? {};
  if (input.accountId === DEFAULT_ACCOUNT_ID && !isJsonObject(base.accounts)) {
    return withSection(authored, input.channel, { ...base, enabled: input.enabled });
  }
  const accounts = isJsonObject(base.accounts) ? base.accounts : {};
  const current = accounts[input.accountId];
  const existing = isJsonObject(current) ? current : {};
  return withSection(authored, input.channel, {
    ...base,
    accounts: { ...accounts, [input.accountId]: { ...existing, enabled: input.enabled } },
  });
}

/**
 * `channels remove --delete`: the account's entry removed; the root account of a single-account
 * channel removes the whole section, and an emptied `accounts` map is dropped.
 */
export function deleteChannelAccount(
  authored: Record<string, unknown>,
  request: { channel: string; accountId: string; requested?: boolean },
): Record<string, unknown> {
  const input = { ...request, accountId: writtenAccountId(authored, request.channel, request.accountId) };
  requireAccount(authored, input.channel, input.accountId, input.requested ?? true);
  const base = section(authored, input.channel) ?? {};
  const accounts: Record<string, unknown> = isJsonObject(base.accounts) ? { ...base.accounts } : {};
  if (input.accountId === DEFAULT_ACCOUNT_ID && Object.keys(accounts).length === 0) {
    return withSection(authored, input.channel, undefined);
  }
  delete accounts[input.accountId];
  const next: Record<string, unknown> = { ...base };
  if (Object.keys(accounts).length > 0) next.accounts = accounts;
  else delete next.accounts;
  return withSection(authored, input.channel, next);
}
