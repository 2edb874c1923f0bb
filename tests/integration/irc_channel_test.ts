import assert from "node:assert/strict";
import { FAKE_LINES_ANSWER, startFakeUpstream } from "../support/fake_upstream.ts";
import { IrcTestClient, startIrcServer } from "../support/ngircd.ts";
import { freePort, runOpenclaw, startGateway, tempHome } from "../support/spawn_gateway.ts";
import { until } from "../support/until.ts";

const TOKEN = "irc-token-0123456789abcdef";
const BOT = "ocbot";
const ANSWER_LINES = FAKE_LINES_ANSWER.split("\n");

const cli = (home: string, args: string[]) => runOpenclaw(args, { home });

Deno.test("irc: pairing gates DMs, an approved sender gets the streamed answer, mentions work, reconnect after a server restart", async () => {
  const irc = await startIrcServer();
  const upstream = startFakeUpstream();
  const port = freePort();
  const home = await tempHome({
    gateway: { mode: "local", port, auth: { token: TOKEN } },
    models: { providers: { fake: { baseUrl: upstream.url, api: "openai-completions", models: ["lines"] } } },
    agents: { defaults: { model: { primary: "fake/lines" } } },
    channels: {
      irc: {
        host: "127.0.0.1",
        port: irc.port,
        tls: false,
        nick: BOT,
        channels: ["#test"],
        groups: { "#test": { allowFrom: ["*"] } },
        messagesPerSecond: 20,
      },
    },
  });
  const { proc } = await startGateway({ home: home.home, port });
  const clients: IrcTestClient[] = [];
  try {
    const alice = await IrcTestClient.connect(irc.port, "alice");
    clients.push(alice);
    await alice.join("#test");
    await alice.waitForMember("#test", BOT);

    // A live probe reports the account truthfully.
    const probed = await cli(home.home, ["channels", "status", "--probe", "--json"]);
    assert.equal(probed.code, 0, probed.stderr);
    const status = JSON.parse(probed.stdout.slice(probed.stdout.indexOf("{")));
    const account = status.channelAccounts.irc[0];
    assert.equal(account.accountId, "default");
    assert.equal(account.connected, true);
    assert.equal(account.probe.ok, true);
    assert.equal(account.dmPolicy, "pairing");
    const text = await cli(home.home, ["channels", "status", "--probe"]);
    assert.match(text.stdout, /- IRC default: enabled, configured, running, connected, .*works/);

    // An unknown DM sender gets a pairing code and no agent answer.
    await alice.say(BOT, "hello bot");
    const pairing = await alice.waitFor((m) => m.some((x) => x.text.startsWith("openclaw pairing approve irc")));
    assert.deepEqual(pairing.slice(0, 3).map((m) => m.text), [
      "OpenClaw: access not configured.",
      pairing[1]!.text,
      "Pairing code:",
    ]);
    assert.match(pairing[1]!.text, /^Your IRC id: alice!\S+@\S+$/);
    const code = pairing[3]!.text;
    assert.match(code, /^[ABCDEFGHJKLMNPQRSTUVWXYZ23456789]{8}$/);
    assert.equal(pairing.at(-1)!.text, `openclaw pairing approve irc ${code}`);
    // Asking again while pending creates no second request and no second reply.
    await alice.say(BOT, "hello again");
    await proc.waitForLine(/irc pairing request from alice!\S+ \(already pending or at the cap; no reply/);
    assert.equal(alice.messages.length, pairing.length);
    assert.equal(upstream.requests.length, 0, "the agent never ran for an unpaired sender");

    const listed = await cli(home.home, ["pairing", "list", "irc", "--json"]);
    assert.equal(listed.code, 0, listed.stderr);
    const requests = JSON.parse(listed.stdout).requests;
    assert.equal(requests.length, 1);
    assert.equal(requests[0].code, code);
    const wrong = await cli(home.home, ["pairing", "approve", "irc", "ZZZZZZZZ"]);
    assert.equal(wrong.code, 1);
    assert.match(wrong.stderr, /No pending pairing request found for code "ZZZZZZZZ"/);

    const before = alice.messages.length;
    const approved = await cli(home.home, ["pairing", "approve", "irc", code, "--notify"]);
    assert.equal(approved.code, 0, approved.stderr);
    assert.match(approved.stdout, /Approved irc sender alice!/);
    await alice.waitFor((m) => m.length > before && m.at(-1)!.text.startsWith("✅ OpenClaw access approved."));

    // Now the DM reaches the agent, and the answer arrives line by line.
    const beforeAnswer = alice.messages.length;
    await alice.say(BOT, "what can you do?");
    const answered = await alice.waitFor((m) => m.length >= beforeAnswer + ANSWER_LINES.length);
    assert.deepEqual(
      answered.slice(beforeAnswer).map((m) => [m.from, m.target, m.text]),
      ANSWER_LINES.map((l) => [BOT, "alice", l]),
    );
    const asked = upstream.requests.at(-1) as { messages: { role: string; content: string }[] };
    assert.equal(asked.messages.at(-1)!.content, "what can you do?");

    // In the channel: no mention, no answer; a mention gets one, in the channel.
    await alice.say("#test", "just chatting here");
    await proc.waitForLine(/irc: drop channel #test sender alice!\S+ \(missing-mention\)/);
    assert.equal(alice.messages.length, beforeAnswer + ANSWER_LINES.length);
    await alice.say("#test", `${BOT}: summarize please`);
    const inChannel = await alice.waitFor((m) => m.filter((x) => x.target === "#test").length >= ANSWER_LINES.length);
    assert.deepEqual(inChannel.filter((x) => x.target === "#test").map((m) => m.text), ANSWER_LINES);

    // The server restarts: the bot reconnects by itself, rejoins, and answers again.
    await irc.stop();
    await alice.close();
    await irc.restart();
    const bob = await IrcTestClient.connect(irc.port, "bob");
    clients.push(bob);
    await bob.join("#test");
    await bob.waitForMember("#test", BOT, 20_000);
    await bob.say("#test", `hey ${BOT}, are you back?`);
    await bob.waitFor((m) => m.filter((x) => x.target === "#test").length >= ANSWER_LINES.length, 10_000);
    const after = await cli(home.home, ["channels", "status", "--json"]);
    const reconnected = JSON.parse(after.stdout.slice(after.stdout.indexOf("{"))).channelAccounts.irc[0];
    assert.equal(reconnected.connected, true);
  } finally {
    for (const client of clients) await client.close();
    await proc.stop();
    await upstream.stop();
    await irc.cleanup();
    await home.cleanup();
  }
});

Deno.test("irc: hot reload restarts only on connection changes; access changes apply without reconnecting", async () => {
  const irc = await startIrcServer();
  const port = freePort();
  const config = (ircSettings: Record<string, unknown>) => ({
    gateway: { mode: "local", port, auth: { token: TOKEN } },
    channels: {
      irc: { host: "127.0.0.1", port: irc.port, tls: false, nick: BOT, channels: ["#ops"], ...ircSettings },
    },
  });
  const home = await tempHome(config({}));
  const { proc } = await startGateway({ home: home.home, port });
  const carol = await IrcTestClient.connect(irc.port, "carol");
  const account = async () => {
    const out = await cli(home.home, ["channels", "status", "--json"]);
    return JSON.parse(out.stdout.slice(out.stdout.indexOf("{"))).channelAccounts.irc?.[0];
  };
  const rewrite = async (settings: Record<string, unknown> | undefined) => {
    const next = config(settings ?? {});
    if (!settings) delete (next as { channels?: unknown }).channels;
    await Deno.writeTextFile(home.configPath, JSON.stringify(next, null, 2));
  };
  try {
    await carol.join("#ops");
    await carol.waitForMember("#ops", BOT);
    const first = await account();

    // An access change: read per message, so the connection stays.
    await rewrite({ dmPolicy: "allowlist", allowFrom: ["carol!*"] });
    let same = await account();
    await until(async () => (same = await account()).dmPolicy === "allowlist", "the access change in status");
    assert.equal(same.lastConnectedAt, first.lastConnectedAt, "no reconnect for an access change");
    assert.equal(same.dmPolicy, "allowlist");

    // A connection change (the nick): the account restarts under the new nick.
    await rewrite({ nick: "ocbot2" });
    await carol.waitForMember("#ops", "ocbot2", 15_000);
    const renamed = await account();
    assert.notEqual(renamed.lastConnectedAt, first.lastConnectedAt);
    assert.equal(renamed.bot.username, "ocbot2");

    // The section removed: the account stops and leaves.
    await rewrite(undefined);
    await until(async () => (await account()) === undefined, "the removed account to leave status");
  } finally {
    await carol.close();
    await proc.stop();
    await irc.cleanup();
    await home.cleanup();
  }
});

Deno.test("irc: TLS to a real server; an untrusted certificate is reported, not hidden", async () => {
  const irc = await startIrcServer({ tls: true });
  const port = freePort();
  const home = await tempHome({
    gateway: { mode: "local", port, auth: { token: TOKEN } },
    channels: { irc: { host: "127.0.0.1", port: irc.tls!.port, nick: BOT, channels: ["#tls"] } },
  });
  const status = async () => {
    const out = await cli(home.home, ["channels", "status", "--probe", "--json"]);
    return JSON.parse(out.stdout.slice(out.stdout.indexOf("{"))).channelAccounts.irc[0];
  };
  // First without trusting the test CA: the account must say why it is down.
  let gateway = await startGateway({ home: home.home, port });
  try {
    let account = await status();
    await until(async () => Boolean((account = await status()).lastError), "the certificate error in status");
    assert.equal(account.connected, false);
    assert.equal(account.mode, "tls");
    assert.match(account.lastError, /certificate|UnknownIssuer|invalid peer/i);
    assert.equal(account.probe.ok, false);
    await gateway.proc.stop();

    // Trusting the CA (DENO_CERT adds a CA for every TLS connection): connected, and the probe works.
    gateway = await startGateway({ home: home.home, port, env: { DENO_CERT: irc.tls!.caFile } });
    const dave = await IrcTestClient.connect(irc.port, "dave");
    try {
      await dave.join("#tls");
      await dave.waitForMember("#tls", BOT);
      account = await status();
      assert.equal(account.connected, true);
      assert.equal(account.probe.ok, true);
    } finally {
      await dave.close();
    }
  } finally {
    await gateway.proc.stop();
    await irc.cleanup();
    await home.cleanup();
  }
});
