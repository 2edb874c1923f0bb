// What `openclaw agents list` shows for people about an agent's channels (recorded against OpenClaw
// 2026.9.6): the `Routing:` routes its bindings imply on channels the config sets up (a disabled
// channel is none), and the `Providers:` lines with each account's local state, read from the
// config only (no probe). Pure.
import { isJsonObject } from "../log/json_object.ts";
import type { RouteBinding } from "./agent_bindings.ts";
import { channelLabel, chatChannelId } from "./chat_channels.ts";
import { listAccountIds } from "./channel_edit.ts";

/** Keys that describe an account without configuring it. */
const DESCRIPTIVE = new Set(["enabled", "name", "accounts", "defaultAccount", "dmPolicy", "allowFrom", "groupPolicy"]);

function channelSection(tree: Record<string, unknown>, channel: string): Record<string, unknown> | undefined {
  const channels = isJsonObject(tree.channels) ? tree.channels : {};
  const section = channels[channel];
  return isJsonObject(section) && section.enabled !== false ? section : undefined;
}

function accountOf(section: Record<string, unknown>, accountId: string): Record<string, unknown> | undefined {
  const accounts = isJsonObject(section.accounts) ? section.accounts : undefined;
  if (accounts && Object.keys(accounts).length > 0) {
    const account = accounts[accountId];
    return isJsonObject(account) ? account : undefined;
  }
  return accountId === "default" ? section : undefined;
}

/** One account's line: `Telegram alerts (Alerts Bot): configured`. */
function accountLine(channel: string, accountId: string, account: Record<string, unknown>): string {
  const name = typeof account.name === "string" && account.name.trim() !== "" ? ` (${account.name.trim()})` : "";
  const configured = Object.keys(account).some((key) => !DESCRIPTIVE.has(key));
  const state = account.enabled === false ? "disabled" : configured ? "configured" : "not configured";
  return `${channelLabel(channel)} ${accountId}${name}: ${state}`;
}

function bindingAccount(binding: RouteBinding): string {
  const raw = typeof binding.match.accountId === "string" ? binding.match.accountId.trim() : "";
  return raw === "*" ? "*" : (raw || "default").toLowerCase();
}

/** The `<Label> <account>` routes of an agent's bindings on channels the config sets up. */
export function bindingRoutes(tree: Record<string, unknown>, bindings: readonly RouteBinding[]): string[] {
  const seen = new Map<string, string>();
  for (const binding of bindings) {
    const channel = chatChannelId(String(binding.match.channel));
    if (!channel || !channelSection(tree, channel)) continue;
    const account = bindingAccount(binding);
    if (!seen.has(`${channel}:${account}`)) seen.set(`${channel}:${account}`, `${channelLabel(channel)} ${account}`);
  }
  return [...seen.values()];
}

/**
 * The `Providers:` lines: the accounts an agent's bindings route (every account for `*`, `unknown`
 * for one the config lacks); for the default agent without bindings, every configured account.
 */
export function providerLines(tree: Record<string, unknown>, bindings: readonly RouteBinding[], isDefault: boolean) {
  const lines = new Map<string, string>();
  if (bindings.length === 0) {
    if (!isDefault) return [];
    const channels = isJsonObject(tree.channels) ? Object.keys(tree.channels) : [];
    for (const channel of channels.map((id) => chatChannelId(id)).filter((id): id is string => id !== undefined)) {
      const section = channelSection(tree, channel);
      if (!section) continue;
      for (const accountId of listAccountIds(tree, channel)) {
        const account = accountOf(section, accountId);
        const line = account && accountLine(channel, accountId, account);
        if (line && line.endsWith(": configured")) lines.set(`${channel}:${accountId}`, line);
      }
    }
    return [...lines.values()];
  }
  for (const binding of bindings) {
    const channel = chatChannelId(String(binding.match.channel));
    const section = channel ? channelSection(tree, channel) : undefined;
    if (!channel || !section) continue;
    const wanted = bindingAccount(binding);
    const accounts = wanted === "*" ? listAccountIds(tree, channel) : [wanted];
    for (const accountId of accounts) {
      const account = accountOf(section, accountId);
      lines.set(
        `${channel}:${accountId}`,
        account ? accountLine(channel, accountId, account) : `${channelLabel(channel)} ${accountId}: unknown`,
      );
    }
  }
  return [...lines.values()];
}
