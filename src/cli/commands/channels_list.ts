// `openclaw channels list [--json] [--all]`: the configured chat channel accounts from the config
// file alone (no gateway), printed as the reference prints them.
import { CHANNEL_LABELS, DEFAULT_ACCOUNT_ID, listAccountIds } from "../../config/channel_edit.ts";
import { loadConfig } from "../../config/load.ts";
import { resolveAuthDir } from "../../config/account_dirs.ts";
import { type EnvSnapshot, pathExists, resolvePaths } from "../../config/paths.ts";
import { isJsonObject } from "../../log/json_object.ts";
import type { GlobalOptions } from "../main.ts";
import { printJson, printLine } from "../output.ts";

/** One account of `channels list`: what the reference's snapshot says of it. */
export interface ListedAccount {
  channel: string;
  accountId: string;
  name?: string;
  enabled: boolean;
  /** Absent for WhatsApp, whose state is `linked` instead. */
  configured?: boolean;
  linked?: boolean;
  tokenSource?: string;
  botTokenSource?: string;
  appTokenSource?: string;
}

const NO_CHANNELS_LINE =
  "- no configured chat channels (run `openclaw channels list --all` to see installable channels)";

function hasValue(value: unknown): boolean {
  return (typeof value === "string" && value.trim() !== "") || isJsonObject(value);
}

function source(value: unknown, envValue: string | undefined): string {
  if (hasValue(value)) return "config";
  return envValue ? "env" : "none";
}

/**
 * The accounts of every configured channel, in the order the config names the channels and with
 * ids sorted, as the reference lists them. `credsExist` says whether a WhatsApp account is linked,
 * given its id and its `authDir` setting (root's and account's merged), if any.
 */
export function listChannelAccounts(
  authored: Record<string, unknown>,
  env: EnvSnapshot,
  credsExist: (accountId: string, authDir: string | undefined) => boolean,
): ListedAccount[] {
  const channels = isJsonObject(authored.channels) ? authored.channels : {};
  const out: ListedAccount[] = [];
  for (const channel of Object.keys(channels)) {
    if (!Object.hasOwn(CHANNEL_LABELS, channel)) continue;
    const base = channels[channel];
    if (!isJsonObject(base)) continue;
    const accounts = isJsonObject(base.accounts) ? base.accounts : {};
    for (const accountId of listAccountIds(authored, channel)) {
      const entry = accounts[accountId];
      const own = isJsonObject(entry) ? entry : {};
      const { accounts: _accounts, ...root } = base;
      const merged: Record<string, unknown> = { ...root, ...own };
      // Environment credentials stand in for the default account only, as in the reference.
      const envOf = (name: string) => accountId === DEFAULT_ACCOUNT_ID ? env[name] : undefined;
      const account: ListedAccount = {
        channel,
        accountId,
        enabled: base.enabled !== false && own.enabled !== false,
      };
      if (typeof own.name === "string" && own.name.trim()) account.name = own.name.trim();
      else if (accountId === DEFAULT_ACCOUNT_ID && typeof root.name === "string") account.name = root.name;
      if (channel === "telegram") {
        account.tokenSource = hasValue(merged.tokenFile)
          ? "tokenFile"
          : source(merged.botToken, envOf("TELEGRAM_BOT_TOKEN"));
        account.configured = account.tokenSource !== "none";
      } else if (channel === "discord") {
        account.tokenSource = source(merged.token, envOf("DISCORD_BOT_TOKEN"));
        account.configured = account.tokenSource !== "none";
      } else if (channel === "slack") {
        account.botTokenSource = source(merged.botToken, envOf("SLACK_BOT_TOKEN"));
        account.appTokenSource = source(merged.appToken, envOf("SLACK_APP_TOKEN"));
        const http = merged.mode === "http";
        account.configured = account.botTokenSource !== "none" &&
          (http ? hasValue(merged.signingSecret) : account.appTokenSource !== "none");
      } else if (channel === "irc") {
        account.configured = hasValue(merged.host) && hasValue(merged.nick);
      } else if (channel === "whatsapp") {
        const authDir = typeof merged.authDir === "string" && merged.authDir.trim() ? merged.authDir.trim() : undefined;
        account.linked = credsExist(accountId, authDir);
      }
      out.push(account);
    }
  }
  return out;
}

/** One account line: `- Telegram alt (Alt): installed, configured, enabled, token=***`. */
export function formatListedAccount(account: ListedAccount): string {
  const label = `${CHANNEL_LABELS[account.channel] ?? account.channel} ${account.accountId}${
    account.name ? ` (${account.name})` : ""
  }`;
  const bits = ["installed"];
  if (account.configured !== undefined) bits.push(account.configured ? "configured" : "not configured");
  bits.push(account.enabled ? "enabled" : "disabled");
  if (account.linked !== undefined) bits.push(account.linked ? "linked" : "not linked");
  // The reference's console redacts `token=<source>` to `token=***`; its users see exactly this.
  if (account.tokenSource) bits.push("token=***");
  if (account.botTokenSource) bits.push(`bot=${account.botTokenSource}`);
  if (account.appTokenSource) bits.push(`app=${account.appTokenSource}`);
  return `- ${label}: ${bits.join(", ")}`;
}

/** The reference's `--json` inventory: `{ chat: { <id>: { accounts, label, docsPath, installed, origin } } }`. */
export function channelsListJson(accounts: readonly ListedAccount[], all: boolean): Record<string, unknown> {
  const chat: Record<string, unknown> = {};
  const byChannel = new Map<string, string[]>();
  for (const account of accounts) {
    byChannel.set(account.channel, [...byChannel.get(account.channel) ?? [], account.accountId]);
  }
  for (const [channel, ids] of byChannel) {
    chat[channel] = {
      accounts: ids,
      label: CHANNEL_LABELS[channel],
      docsPath: `/channels/${channel}`,
      installed: true,
      origin: "configured",
    };
  }
  if (all) {
    for (const [channel, label] of Object.entries(CHANNEL_LABELS)) {
      if (byChannel.has(channel)) continue;
      chat[channel] = { accounts: [], label, docsPath: `/channels/${channel}`, installed: true, origin: "available" };
    }
  }
  return { chat };
}

/** `openclaw channels list [--all] [--json]`. */
export async function channelsList(options: GlobalOptions & { json?: boolean; all?: boolean }): Promise<number> {
  const env: EnvSnapshot = Deno.env.toObject();
  const paths = resolvePaths({ env, profile: options.profile, dev: options.dev, exists: pathExists });
  const snapshot = await loadConfig(paths.configPath, env);
  // Where the WhatsApp channel keeps an account's session: the same rule it reads (config/account_dirs.ts).
  const credsExist = (accountId: string, authDir: string | undefined) =>
    pathExists(`${resolveAuthDir({ stateDir: paths.stateDir, env, accountId, authDir })}/creds.json`);
  const accounts = listChannelAccounts(snapshot.authored, env, credsExist);
  if (options.json) {
    printJson(channelsListJson(accounts, options.all ?? false));
    return 0;
  }
  const lines = ["Chat channels:"];
  for (const account of accounts) lines.push(formatListedAccount(account));
  if (options.all) {
    const listed = new Set(accounts.map((account) => account.channel));
    for (const [channel, label] of Object.entries(CHANNEL_LABELS)) {
      if (!listed.has(channel)) lines.push(`- ${label}: installed, not configured, disabled`);
    }
  }
  if (lines.length === 1) lines.push(options.all ? "- no chat channels found" : NO_CHANNELS_LINE);
  printLine(lines.join("\n"));
  printLine("");
  printLine("Model provider usage moved out of `channels list` — see `openclaw status` or `openclaw models list`.");
  printLine("Docs: https://docs.openclaw.ai/gateway/configuration");
  return 0;
}
