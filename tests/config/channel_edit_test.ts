import assert from "node:assert/strict";
import {
  addChannelAccount,
  ChannelEditError,
  deleteChannelAccount,
  fieldsFromFlags,
  listAccountIds,
  parseAccountId,
  parseChannelId,
  setChannelAccountEnabled,
} from "../../src/config/channel_edit.ts";

// Each expected shape below is what OpenClaw 2026.9.6's `channels add/remove` wrote for the same flags.

Deno.test("add: the default account is written at the channel's root, enabled, with plugins.entries", () => {
  const next = addChannelAccount({ gateway: { mode: "local" } }, {
    channel: "telegram",
    accountId: "default",
    fields: fieldsFromFlags("telegram", { token: "123:abc" }),
  });
  assert.deepEqual(next, {
    gateway: { mode: "local" },
    channels: { telegram: { enabled: true, botToken: "123:abc" } },
    plugins: { entries: { telegram: { enabled: true } } },
  });
});

Deno.test("add: a named account on an empty channel gets an empty default beside it", () => {
  const next = addChannelAccount({}, {
    channel: "discord",
    accountId: "work",
    name: "Work",
    fields: fieldsFromFlags("discord", { token: "dtok" }),
  });
  assert.deepEqual(next.channels, {
    discord: { enabled: true, accounts: { default: {}, work: { name: "Work", enabled: true, token: "dtok" } } },
  });
});

Deno.test("add: a second account moves the root's credentials and policy to accounts.default", () => {
  const start = { channels: { telegram: { enabled: true, botToken: "123:abc", dmPolicy: "pairing" } } };
  const next = addChannelAccount(start, {
    channel: "telegram",
    accountId: "alt",
    name: "Alt",
    fields: fieldsFromFlags("telegram", { token: "999:zzz" }),
  });
  assert.deepEqual(next.channels, {
    telegram: {
      enabled: true,
      accounts: {
        default: { botToken: "123:abc", dmPolicy: "pairing" },
        alt: { name: "Alt", enabled: true, botToken: "999:zzz" },
      },
    },
  });
  // The input is not changed: a refused write loses nothing.
  assert.deepEqual(start.channels.telegram, { enabled: true, botToken: "123:abc", dmPolicy: "pairing" });
});

Deno.test("add: IRC flags become typed keys; Slack tokens; WhatsApp accounts always under accounts", () => {
  assert.deepEqual(
    fieldsFromFlags("irc", { host: "irc.example.org", nick: "claw", channels: "#a, #b", port: "6697", tls: true }),
    { host: "irc.example.org", port: 6697, tls: true, nick: "claw", channels: ["#a", "#b"] },
  );
  assert.throws(() => fieldsFromFlags("irc", { port: "70000" }), ChannelEditError);
  const slack = addChannelAccount({}, {
    channel: "slack",
    accountId: "default",
    fields: fieldsFromFlags("slack", { botToken: "xoxb-1", appToken: "xapp-1" }),
  });
  assert.deepEqual(slack.channels, { slack: { enabled: true, botToken: "xoxb-1", appToken: "xapp-1" } });
  assert.deepEqual(fieldsFromFlags("slack", { identity: "user", userToken: "xoxp-1" }), {
    userToken: "xoxp-1",
    postAs: "user",
  });
  const whatsapp = addChannelAccount({}, { channel: "whatsapp", accountId: "default", name: "Phone", fields: {} });
  assert.deepEqual(whatsapp.channels, {
    whatsapp: { enabled: true, accounts: { default: { name: "Phone", enabled: true } } },
  });
});

Deno.test("remove: disable sets enabled false on the root or the named account; delete prunes", () => {
  const root = { channels: { slack: { enabled: true, botToken: "b", appToken: "a" } } };
  assert.deepEqual(
    setChannelAccountEnabled(root, { channel: "slack", accountId: "default", enabled: false }).channels,
    { slack: { enabled: false, botToken: "b", appToken: "a" } },
  );
  assert.deepEqual(deleteChannelAccount(root, { channel: "slack", accountId: "default" }).channels, {});
  const multi = {
    channels: {
      telegram: { enabled: true, accounts: { default: { botToken: "1" }, alt: { name: "Alt", botToken: "2" } } },
    },
  };
  assert.deepEqual(listAccountIds(multi, "telegram"), ["alt", "default"]);
  assert.deepEqual(
    setChannelAccountEnabled(multi, { channel: "telegram", accountId: "alt", enabled: false }).channels,
    {
      telegram: {
        enabled: true,
        accounts: { default: { botToken: "1" }, alt: { name: "Alt", botToken: "2", enabled: false } },
      },
    },
  );
  const once = deleteChannelAccount(multi, { channel: "telegram", accountId: "default" });
  assert.deepEqual(once.channels, { telegram: { enabled: true, accounts: { alt: { name: "Alt", botToken: "2" } } } });
  assert.deepEqual(deleteChannelAccount(once, { channel: "telegram", accountId: "alt" }).channels, {
    telegram: { enabled: true },
  });
});

Deno.test("bad input is refused with the reference's words", () => {
  assert.throws(() => parseChannelId("bogus"), {
    message: 'Unknown channel "bogus". Run `openclaw channels list --all` to see configured and installable channels.',
  });
  assert.equal(parseChannelId(" Telegram "), "telegram");
  assert.equal(parseAccountId(undefined), "default");
  assert.throws(() => parseAccountId("  "), { message: "--account must not be blank" });
  const config = { channels: { discord: { enabled: true, accounts: { default: {}, work: { token: "t" } } } } };
  assert.throws(() => deleteChannelAccount(config, { channel: "discord", accountId: "nope" }), {
    message:
      'Discord has no account "nope" to remove. Known accounts: default, work. Run openclaw channels status --channel discord to inspect configured accounts.',
  });
  assert.throws(() => setChannelAccountEnabled({}, { channel: "irc", accountId: "default", enabled: false }), {
    message:
      'IRC has no account "default" to remove. Run openclaw channels status --channel irc to inspect configured accounts.',
  });
});

Deno.test("add: promotion moves what the reference moves (name, access policy, per-channel keys), shared keys stay", () => {
  // Recorded: OpenClaw 2026.9.6 `channels add --channel telegram --account alt --token 222:BBB` on this file.
  const telegram = {
    enabled: true,
    name: "Main",
    botToken: "111:AAA",
    dmPolicy: "open",
    allowFrom: ["*"],
    groupPolicy: "open",
    textChunkLimit: 1000,
    proxy: "http://x",
  };
  const next = addChannelAccount({ channels: { telegram } }, {
    channel: "telegram",
    accountId: "alt",
    fields: fieldsFromFlags("telegram", { token: "222:BBB" }),
  });
  assert.deepEqual(next.channels, {
    telegram: {
      enabled: true,
      proxy: "http://x",
      accounts: {
        default: {
          name: "Main",
          botToken: "111:AAA",
          dmPolicy: "open",
          allowFrom: ["*"],
          groupPolicy: "open",
          textChunkLimit: 1000,
        },
        alt: { enabled: true, botToken: "222:BBB" },
      },
    },
  });
  // The new account does not inherit the first one's open DMs nor its server password.
  const irc = { enabled: true, host: "irc.example", nick: "bot", password: "pw", dmPolicy: "open", allowFrom: ["*"] };
  const ircNext = addChannelAccount({ channels: { irc } }, {
    channel: "irc",
    accountId: "alt",
    fields: fieldsFromFlags("irc", { nick: "b2" }),
  });
  assert.deepEqual(ircNext.channels, {
    irc: {
      enabled: true,
      host: "irc.example",
      nick: "bot",
      accounts: {
        default: { password: "pw", dmPolicy: "open", allowFrom: ["*"] },
        alt: { enabled: true, nick: "b2" },
      },
    },
  });
  // Slack's signing secret, user token and mode stay shared, as its setup contract has it.
  const slack = { enabled: true, botToken: "xoxb-1", appToken: "xapp-1", signingSecret: "s", mode: "http" };
  const slackNext = addChannelAccount({ channels: { slack } }, {
    channel: "slack",
    accountId: "b",
    fields: fieldsFromFlags("slack", { botToken: "xoxb-2" }),
  });
  assert.deepEqual(slackNext.channels, {
    slack: {
      enabled: true,
      signingSecret: "s",
      mode: "http",
      accounts: { default: { botToken: "xoxb-1", appToken: "xapp-1" }, b: { enabled: true, botToken: "xoxb-2" } },
    },
  });
});

Deno.test("--account is made canonical as the reference does: never a path, never a prototype key", () => {
  assert.equal(parseAccountId("Alt"), "alt");
  assert.equal(parseAccountId("../../etc"), "etc");
  assert.equal(parseAccountId("my phone"), "my-phone");
  assert.throws(() => parseAccountId("../"), ChannelEditError);
  assert.throws(() => parseAccountId("__proto__"), ChannelEditError);
  const next = addChannelAccount({}, { channel: "whatsapp", accountId: parseAccountId("../../x"), fields: {} });
  assert.deepEqual(next.channels, { whatsapp: { enabled: true, accounts: { default: {}, x: { enabled: true } } } });
});

Deno.test("remove and add find a hand-written account key by its canonical id", () => {
  const start = {
    channels: { discord: { enabled: true, accounts: { default: { token: "a" }, Work: { token: "b" } } } },
  };
  const accountId = parseAccountId("Work");
  assert.deepEqual(
    deleteChannelAccount(start, { channel: "discord", accountId }).channels,
    { discord: { enabled: true, accounts: { default: { token: "a" } } } },
  );
  assert.deepEqual(
    setChannelAccountEnabled(start, { channel: "discord", accountId, enabled: false }).channels,
    { discord: { enabled: true, accounts: { default: { token: "a" }, Work: { token: "b", enabled: false } } } },
  );
  const added = addChannelAccount(start, { channel: "discord", accountId, fields: { token: "c" } });
  assert.deepEqual(added.channels, {
    discord: { enabled: true, accounts: { default: { token: "a" }, Work: { enabled: true, token: "c" } } },
  });
});

Deno.test("add: Slack --mode and --identity take only the reference's choices", () => {
  assert.deepEqual(fieldsFromFlags("slack", { mode: "http", identity: "bot" }), { mode: "http", postAs: "bot" });
  assert.throws(
    () => fieldsFromFlags("slack", { mode: "foo" }),
    (error: Error) => error instanceof ChannelEditError && error.message === 'mode must be one of: "socket", "http".',
  );
  assert.throws(
    () => fieldsFromFlags("slack", { identity: "admin" }),
    (error: Error) => error instanceof ChannelEditError && error.message === 'identity must be one of: "bot", "user".',
  );
});
