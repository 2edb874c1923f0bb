import assert from "node:assert/strict";
import { channelsListJson, formatListedAccount, listChannelAccounts } from "../../../src/cli/commands/channels_list.ts";
import { matchesChannel, parseChannelFilter, parseLinesOption } from "../../../src/cli/commands/channels_logs.ts";

// The config and lines below are what OpenClaw 2026.9.6 printed for the same config.
const CONFIG = {
  channels: {
    telegram: {
      enabled: true,
      accounts: { default: { botToken: "123:abc" }, alt: { name: "Alt", enabled: true, botToken: "999:zzz" } },
    },
    discord: { enabled: true, accounts: { default: {}, work: { name: "Work", enabled: true, token: "dtok" } } },
    slack: { enabled: true, botToken: "xoxb-1", appToken: "xapp-1" },
    irc: { enabled: true, host: "irc.example.org", nick: "claw" },
    whatsapp: { enabled: true, accounts: { default: { name: "Phone", enabled: true } } },
  },
};

Deno.test("channels list prints each account as the reference does", () => {
  const lines = listChannelAccounts(CONFIG, {}, () => false).map(formatListedAccount);
  assert.deepEqual(lines, [
    "- Telegram alt (Alt): installed, configured, enabled, token=***",
    "- Telegram default: installed, configured, enabled, token=***",
    "- Discord default: installed, not configured, enabled, token=***",
    "- Discord work (Work): installed, configured, enabled, token=***",
    "- Slack default: installed, configured, enabled, bot=config, app=config",
    "- IRC default: installed, configured, enabled",
    "- WhatsApp default (Phone): installed, enabled, not linked",
  ]);
});

Deno.test("channels list: env tokens count for the default account only; disabled shows", () => {
  const config = { channels: { discord: { enabled: false }, slack: { accounts: { b: {} } } } };
  const env = { DISCORD_BOT_TOKEN: "x", SLACK_BOT_TOKEN: "y", SLACK_APP_TOKEN: "z" };
  const lines = listChannelAccounts(config, env, () => true).map(formatListedAccount);
  assert.deepEqual(lines, [
    "- Discord default: installed, configured, disabled, token=***",
    "- Slack b: installed, not configured, enabled, bot=none, app=none",
  ]);
});

Deno.test("channels list --json is the reference's inventory", () => {
  const json = channelsListJson(listChannelAccounts(CONFIG, {}, () => false), false);
  assert.deepEqual(json, {
    chat: {
      telegram: {
        accounts: ["alt", "default"],
        label: "Telegram",
        docsPath: "/channels/telegram",
        installed: true,
        origin: "configured",
      },
      discord: {
        accounts: ["default", "work"],
        label: "Discord",
        docsPath: "/channels/discord",
        installed: true,
        origin: "configured",
      },
      slack: {
        accounts: ["default"],
        label: "Slack",
        docsPath: "/channels/slack",
        installed: true,
        origin: "configured",
      },
      irc: { accounts: ["default"], label: "IRC", docsPath: "/channels/irc", installed: true, origin: "configured" },
      whatsapp: {
        accounts: ["default"],
        label: "WhatsApp",
        docsPath: "/channels/whatsapp",
        installed: true,
        origin: "configured",
      },
    },
  });
});

Deno.test("channels logs: the reference's subsystem roots, and its refusals", () => {
  assert.ok(matchesChannel("telegram/send", "telegram"));
  assert.ok(matchesChannel("gateway/channels/discord", "discord"));
  assert.ok(matchesChannel("channels/irc", "irc"));
  assert.ok(!matchesChannel("discord-archive", "discord"));
  assert.ok(!matchesChannel("channels/telegram", "irc"));
  assert.ok(matchesChannel("anything", "all"));
  assert.equal(parseChannelFilter(undefined), "all");
  assert.throws(() => parseChannelFilter("nope"), /Unknown channel "nope". Valid channels: all, telegram/);
  assert.equal(parseLinesOption(undefined), 200);
  assert.throws(() => parseLinesOption("0"), { message: "--lines must be a positive integer." });
  assert.throws(() => parseLinesOption(""), { message: "--lines must be a positive integer." });
});

Deno.test("channels list: a WhatsApp account's linked state is read from its authDir when it sets one", () => {
  const config = { channels: { whatsapp: { accounts: { default: { authDir: "~/wa" }, work: {} } } } };
  const asked: [string, string | undefined][] = [];
  const lines = listChannelAccounts(config, {}, (accountId, authDir) => {
    asked.push([accountId, authDir]);
    return authDir === "~/wa";
  }).map(formatListedAccount);
  assert.deepEqual(asked, [["default", "~/wa"], ["work", undefined]]);
  assert.deepEqual(lines, [
    "- WhatsApp default: installed, enabled, linked",
    "- WhatsApp work: installed, enabled, not linked",
  ]);
});
