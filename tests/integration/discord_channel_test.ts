import assert from "node:assert/strict";
import { FAKE_DISCORD_BOT, FAKE_GUILD, startFakeDiscord } from "../support/fake_discord.ts";
import { startFakeUpstream } from "../support/fake_upstream.ts";
import { freePort, runOpenclaw, startGateway, tempHome } from "../support/spawn_gateway.ts";

const TOKEN = "dc-gateway-token-0123456789ab";
const BOT_TOKEN = "discord-bot-token.integration.test";
const ALICE = "1500000000000000001";
const BOB = "1500000000000000002";

/** A paragraph longer than one Discord message holds (2000 characters), then a short one. */
const LONG = `${"a".repeat(2999)}.\n\n${"b".repeat(99)}.`;

Deno.test("discord: pairing, an approved DM answered, guild mention gate, chunks under 2000, a dropped gateway resumes", async () => {
  const discord = startFakeDiscord(BOT_TOKEN, { heartbeatIntervalMs: 1000 });
  const upstream = startFakeUpstream();
  upstream.script("discordbot", [
    { text: "Hello from the scripted model." },
    { text: LONG },
    { text: "Answered after the resume." },
  ]);
  const port = freePort();
  const home = await tempHome({
    gateway: { mode: "local", port, auth: { token: TOKEN } },
    models: { providers: { fake: { baseUrl: upstream.url, api: "openai-completions", models: ["discordbot"] } } },
    agents: { defaults: { model: { primary: "fake/discordbot" } } },
    channels: {
      discord: {
        // The reference's SecretRef form; the value comes from the gateway's environment.
        token: { source: "env", provider: "default", id: "DISCORD_BOT_TOKEN" },
        guilds: { [FAKE_GUILD.id]: { requireMention: true } },
      },
    },
  });
  const env = { DISCORD_API_URL: discord.apiUrl, DISCORD_BOT_TOKEN: BOT_TOKEN };
  const cli = (args: string[]) => runOpenclaw(args, { home: home.home, env });
  const { proc } = await startGateway({ home: home.home, env, port });
  try {
    await discord.waitForSessions(1);
    const dmChannel = discord.dmChannel(ALICE);

    // A DM from an unknown user: a pairing code in the DM, no agent run.
    discord.dm(ALICE, "hello");
    const [pairing] = await discord.waitForPosted((p) => p.length >= 1);
    assert.equal(pairing!.channelId, dmChannel);
    assert.match(
      pairing!.content,
      new RegExp(`^OpenClaw: access not configured\\.\\n\\nYour Discord user id: ${ALICE}\\nPairing code:\\n\`\`\`\\n`),
    );
    const code = /```\n([A-Z2-9]{8})\n```/.exec(pairing!.content)![1]!;
    assert.equal(upstream.requestsOf("discordbot").length, 0);
    const approved = await cli(["pairing", "approve", "discord", code, "--notify"]);
    assert.equal(approved.code, 0, approved.stderr + approved.stdout);
    await discord.waitForPosted((p) =>
      p.some((m) => m.channelId === dmChannel && m.content.startsWith("✅ OpenClaw access approved."))
    );

    // Approved: the scripted model answers in the DM.
    discord.dm(ALICE, "what can you do?");
    await discord.waitForPosted((p) => p.some((m) => m.content === "Hello from the scripted model."));
    assert.equal(
      (upstream.requestsOf("discordbot")[0] as { messages: { content: string }[] }).messages.at(-1)!.content,
      "what can you do?",
    );

    // Guild: no mention → dropped (requireMention); a mention → answered in the channel, in chunks Discord takes.
    const before = discord.posted.length;
    discord.guildMessage(BOB, FAKE_GUILD.general, "just talking");
    await proc.waitForLine(
      new RegExp(`discord: drop channel ${FAKE_GUILD.general} sender ${BOB} \\(missing-mention\\)`),
    );
    assert.equal(discord.posted.length, before, JSON.stringify(discord.posted.slice(before)));
    discord.guildMessage(BOB, FAKE_GUILD.general, "tell me a lot", { mentionBot: true });
    // The answer is complete when its last paragraph arrived.
    const posted = await discord.waitForPosted((p) =>
      p.some((m) => m.channelId === FAKE_GUILD.general && m.content.includes("b"))
    );
    const inChannel = posted.filter((m) => m.channelId === FAKE_GUILD.general).map((m) => m.content);
    assert.ok(inChannel.length >= 3, `the long paragraph is cut: ${inChannel.map((c) => c.length)}`);
    assert.ok(inChannel.every((c) => c.length <= 2000), `within 2000 characters: ${inChannel.map((c) => c.length)}`);
    assert.equal(inChannel.join("").replace(/\s/g, ""), LONG.replace(/\s/g, ""));
    const asked = upstream.requestsOf("discordbot")[1] as { messages: { content: string }[] };
    assert.equal(asked.messages.at(-1)!.content, "user0002: tell me a lot");

    // The gateway connection drops; a DM sent meanwhile is replayed after the RESUME and answered.
    discord.drop(4000);
    discord.dm(ALICE, "are you still there?");
    await proc.waitForLine(/discord\/default: resumed gateway session/);
    await discord.waitForPosted((p) => p.some((m) => m.content === "Answered after the resume."));
    // Resumed, never identified again (a zombie check under load may resume once more).
    assert.equal(discord.counts.identify, 1, JSON.stringify(discord.counts));
    assert.ok(discord.counts.resume >= 1, JSON.stringify(discord.counts));

    // Status and a live probe through the real CLI.
    const probed = await cli(["channels", "status", "--probe", "--json"]);
    assert.equal(probed.code, 0, probed.stderr);
    const accounts = JSON.parse(probed.stdout.slice(probed.stdout.indexOf("{"))).channelAccounts.discord as {
      accountId: string;
      connected: boolean;
      bot?: { username: string };
      probe: { ok: boolean };
    }[];
    assert.equal(accounts[0]!.connected, true);
    assert.equal(accounts[0]!.bot?.username, FAKE_DISCORD_BOT.username);
    assert.equal(accounts[0]!.probe.ok, true);
    // `message send` reaches a channel through the default account.
    const sent = await cli([
      "message",
      "send",
      "--channel",
      "discord",
      "--target",
      `channel:${FAKE_GUILD.help}`,
      "--message",
      "ping",
    ]);
    assert.equal(sent.code, 0, sent.stderr);
    assert.ok(discord.posted.some((m) => m.channelId === FAKE_GUILD.help && m.content === "ping"));
    // Nothing from the runtime on the gateway's console (Node compatibility warnings from the SDK's packages).
    assert.deepEqual(
      proc.output.split("\n").filter((line) => /\(node:\d+\)|DeprecationWarning|WebSocketShard/.test(line)),
      [],
    );
  } finally {
    await proc.stop();
    await discord.stop();
    await upstream.stop();
    await home.cleanup();
  }
});
