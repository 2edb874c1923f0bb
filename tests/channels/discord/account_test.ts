import assert from "node:assert/strict";
import { createDiscordAccount } from "../../../src/channels/discord/account.ts";
import type { AccountHost, ChannelAccount, InboundMessage } from "../../../src/channels/types.ts";
import type { DiscordAccountConfig } from "../../../src/config/resolve.ts";
import { FAKE_DISCORD_BOT, FAKE_GUILD, type FakeDiscord, startFakeDiscord } from "../../support/fake_discord.ts";
import { until } from "../../support/until.ts";

const TOKEN = "discord-test-token.abc.def";
const ALICE = "1500000000000000001";

/** An account on the fake Discord, connected, torn down after `body`. */
async function withAccount(
  settings: DiscordAccountConfig,
  body: (ctx: { discord: FakeDiscord; account: ChannelAccount; inbound: InboundMessage[] }) => Promise<void>,
): Promise<void> {
  const discord = startFakeDiscord(TOKEN, { heartbeatIntervalMs: 200 });
  const inbound: InboundMessage[] = [];
  // As the gateway does: the message is taken with its receipt, then the account's own gate decides on it.
  const host: AccountHost = {
    inbound: async (message, receipt) => {
      const admitted = await account.admit!(message, receipt?.raw);
      if (admitted) inbound.push(admitted);
    },
    ready: () => {},
    mountWebhook: () => () => {},
  };
  const account = createDiscordAccount({ accountId: "default", settings: { token: TOKEN, ...settings } }, {
    env: { DISCORD_API_URL: discord.apiUrl },
    host,
  });
  account.start();
  try {
    await discord.waitForSessions(1);
    await until(() => account.status().connected, "the account reports connected");
    await body({ discord, account, inbound });
  } finally {
    await account.stop();
    await discord.stop();
  }
}

Deno.test("discord account: identifies with the intents, heartbeats, DMs arrive normalized, sends obey targets and 429s", async () => {
  await withAccount({}, async ({ discord, account, inbound }) => {
    const identify = discord.received.find((frame) => frame.op === 2)!.d as { intents: number; token: string };
    // GUILDS | GUILD_MESSAGES | DIRECT_MESSAGES | MESSAGE_CONTENT
    assert.equal(identify.intents, 1 | 512 | 4096 | 32768);
    assert.equal(account.status().bot?.username, FAKE_DISCORD_BOT.username);
    await until(() => discord.counts.heartbeat >= 1, "a heartbeat within the interval");

    const id = discord.dm(ALICE, "hello bot");
    await until(() => inbound.length === 1, "the DM reaches the host");
    assert.deepEqual(inbound[0], {
      channel: "discord",
      accountId: "default",
      messageId: id,
      senderId: ALICE,
      senderAliases: [],
      senderName: "user0001",
      senderUsername: "user0001",
      replyTo: `channel:${discord.dmChannel(ALICE)}`,
      text: "hello bot",
      peerKind: "direct",
      groupId: undefined,
      mentioned: true,
    });

    // A 429 is waited out by the REST client, then the message goes through once.
    discord.rateLimitNextPost(0.1);
    const sent = await account.send(`channel:${FAKE_GUILD.general}`, "hi there");
    assert.ok(sent.messageId);
    assert.deepEqual(discord.posted, [{ channelId: FAKE_GUILD.general, content: "hi there", flags: 4 }]);
    // `user:<id>` opens (and remembers) the DM channel.
    await account.send(`user:${ALICE}`, "dm");
    assert.equal(discord.posted.at(-1)!.channelId, discord.dmChannel(ALICE));
    await assert.rejects(account.send(ALICE, "x"), /Ambiguous Discord recipient "1500000000000000001"\. For DMs use/);
  });
});

Deno.test("discord account: a dropped gateway connection resumes the session and replays what was missed", async () => {
  await withAccount({}, async ({ discord, inbound }) => {
    discord.drop(4000);
    // Sent while the client is away: Discord replays it after RESUME.
    const missed = discord.dm(ALICE, "while you were away");
    await discord.waitForSessions(2);
    await until(() => inbound.some((m) => m.messageId === missed), "the missed message after the resume");
    assert.deepEqual(discord.counts, { ...discord.counts, identify: 1, resume: 1 });
    const resume = discord.received.find((frame) => frame.op === 6)!.d as { seq: number; session_id: string };
    assert.equal(typeof resume.session_id, "string");
    assert.equal(resume.seq, 2);
  });
});

Deno.test("discord account: guild messages pass the guild, channel and mention gates before they reach the host", async () => {
  const settings: DiscordAccountConfig = {
    guilds: {
      [FAKE_GUILD.id]: {
        channels: { general: { enabled: true }, [FAKE_GUILD.help]: { requireMention: false, users: ["someone-else"] } },
      },
    },
  };
  await withAccount(settings, async ({ discord, inbound }) => {
    discord.guildMessage(ALICE, FAKE_GUILD.general, "no mention");
    const mentioned = discord.guildMessage(ALICE, FAKE_GUILD.general, "with a mention", { mentionBot: true });
    // A thread falls back to its parent's entry (matched by the parent's name).
    const threaded = discord.guildMessage(ALICE, FAKE_GUILD.thread, "in the thread", { mentionBot: true });
    // The help channel admits only another user.
    discord.guildMessage(ALICE, FAKE_GUILD.help, "help me");
    // @everyone from a person addresses the bot too, as in the reference.
    const everyone = discord.guildMessage(ALICE, FAKE_GUILD.general, "all hands", { everyone: true });
    const last = discord.guildMessage(ALICE, FAKE_GUILD.general, "last", { mentionBot: true });
    await until(() => inbound.some((m) => m.messageId === last), "the last admitted message");
    assert.deepEqual(inbound.map((m) => [m.messageId, m.peerKind, m.groupId, m.text, m.mentioned]), [
      [mentioned, "channel", FAKE_GUILD.general, "with a mention", true],
      [threaded, "channel", FAKE_GUILD.thread, "in the thread", true],
      [everyone, "channel", FAKE_GUILD.general, "@everyone all hands", true],
      [last, "channel", FAKE_GUILD.general, "last", true],
    ]);
    assert.equal(inbound[0]!.replyTo, `channel:${FAKE_GUILD.general}`);
  });
});

Deno.test("discord account: a rejected token is reported in status and retried, not thrown", async () => {
  const discord = startFakeDiscord(TOKEN);
  const account = createDiscordAccount({ accountId: "default", settings: { token: "wrong" } }, {
    env: { DISCORD_API_URL: discord.apiUrl },
    host: { inbound: () => Promise.resolve(), ready: () => {}, mountWebhook: () => () => {} },
  });
  account.start();
  try {
    await until(() => account.status().lastError !== null, "the failure in status");
    assert.match(String(account.status().lastError), /401: Unauthorized/);
    assert.equal(account.status().connected, false);
    const probe = await account.probe(2000);
    assert.equal(probe.ok, false);
  } finally {
    await account.stop();
    await discord.stop();
  }
});

Deno.test("discord account: system messages (pins, joins, boosts, threads created) and guild command messages are not answered", async () => {
  const settings: DiscordAccountConfig = {
    guilds: { [FAKE_GUILD.id]: { channels: { general: { enabled: true, requireMention: false } } } },
  };
  await withAccount(settings, async ({ discord, inbound }) => {
    // Types as Discord's API numbers them: 6 a pin, 7 a member joining, 8 a boost, 18 a thread created, 20 the
    // message a slash command leaves; 19 a reply and 0 a normal message are conversation.
    for (const type of [6, 7, 8, 18, 20]) {
      discord.guildMessage(ALICE, FAKE_GUILD.general, `type ${type}`, { mentionBot: true, type });
    }
    const reply = discord.guildMessage(ALICE, FAKE_GUILD.general, "a reply", { type: 19 });
    const last = discord.guildMessage(ALICE, FAKE_GUILD.general, "last", { type: 0 });
    await until(() => inbound.some((m) => m.messageId === last), "the last message");
    assert.deepEqual(inbound.map((m) => m.messageId), [reply, last]);
  });
});
