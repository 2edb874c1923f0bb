// Chat commands over a real channel (IRC on a local ngircd): the gateway answers `/new` and `/status`
// in the DM itself, no model call is made for them, and `/new` starts a fresh session window; in a channel that
// needs a mention, the owner's `/activation` is answered unmentioned and a member's is refused with the owner hint.
import assert from "node:assert/strict";
import { FAKE_LINES_ANSWER, type FakeUpstream, startFakeUpstream } from "../support/fake_upstream.ts";
import { IrcTestClient, type ReceivedPrivmsg, startIrcServer } from "../support/ngircd.ts";
import { freePort, type OpenclawProcess, startGateway, tempHome } from "../support/spawn_gateway.ts";

const TOKEN = "irc-commands-token-0123456789ab";
const BOT = "ocbot";
const ANSWER_LINES = FAKE_LINES_ANSWER.split("\n");

/** What a test gets: the fake model, the gateway process, and people on the IRC network already in the bot's room. */
interface IrcGateway {
  upstream: FakeUpstream;
  proc: OpenclawProcess;
  /** Connects each nick and waits until it shares `room` with the bot; they leave when the test ends. */
  join<N extends string[]>(...nicks: N): Promise<{ [K in keyof N]: IrcTestClient }>;
}

/**
 * Runs `body` against our gateway whose IRC account (open DMs, `room` its one channel, `ircSettings` laid over) is on
 * a local ngircd, answered by the fake model's `lines`; `config` adds top-level sections. Everything is stopped after.
 */
async function withIrcGateway(
  options: { room: string; ircSettings?: Record<string, unknown>; config?: Record<string, unknown> },
  body: (gateway: IrcGateway) => Promise<void>,
): Promise<void> {
  const irc = await startIrcServer();
  const upstream = startFakeUpstream();
  const port = freePort();
  const home = await tempHome({
    gateway: { mode: "local", port, auth: { token: TOKEN } },
    models: { providers: { fake: { baseUrl: upstream.url, api: "openai-completions", models: ["lines"] } } },
    agents: { defaults: { model: { primary: "fake/lines" } } },
    ...options.config,
    channels: {
      irc: {
        host: "127.0.0.1",
        port: irc.port,
        tls: false,
        nick: BOT,
        channels: [options.room],
        dmPolicy: "open",
        allowFrom: ["*"],
        messagesPerSecond: 20,
        ...options.ircSettings,
      },
    },
  });
  const { proc } = await startGateway({ home: home.home, port });
  const clients: IrcTestClient[] = [];
  const join = async <N extends string[]>(...nicks: N) => {
    const joined: IrcTestClient[] = [];
    for (const nick of nicks) {
      const client = await IrcTestClient.connect(irc.port, nick);
      clients.push(client);
      joined.push(client);
      // The bot is on the network once it has joined its channel.
      await client.join(options.room);
      await client.waitForMember(options.room, BOT);
    }
    return joined as { [K in keyof N]: IrcTestClient };
  };
  try {
    await body({ upstream, proc, join });
  } finally {
    for (const client of clients) await client.close();
    await proc.stop();
    await upstream.stop();
    await irc.cleanup();
    await home.cleanup();
  }
}

Deno.test("irc: /new and /status in a DM are answered by the gateway, and /new forgets the conversation", async () => {
  await withIrcGateway({ room: "#cmd" }, async ({ upstream, join }) => {
    const [alice] = await join("alice");
    let seen = 0;
    const exchange = async (text: string, lines: number) => {
      await alice.say(BOT, text);
      const got = await alice.waitFor((m) => m.length >= seen + lines);
      const reply = got.slice(seen).map((m) => m.text);
      seen = got.length;
      return reply;
    };
    assert.deepEqual(await exchange("remember the word pineapple", ANSWER_LINES.length), ANSWER_LINES);
    assert.equal(upstream.requests.length, 1);

    assert.deepEqual(await exchange("/new", 1), ["✅ New session started."]);
    // The reference's card: version; model; context; session; execution and modes (blank lines are not sent on IRC).
    // The session entry keeps the last answer's token counts (the fake model's usage) across /new; the context in use
    // starts again at 0, as the reference's reset writes it.
    const status = await exchange("/status", 9);
    assert.match(status[0]!, /^🦞 OpenClaw /);
    assert.equal(status[1], "🧠 Model: fake/lines");
    assert.equal(status[2], "🧮 Tokens: 10 in / 4 out");
    assert.equal(status[3], "📚 Context: 0/200k (0%)");
    assert.match(status[4]!, /^🧵 Session: agent:main:main • /);
    assert.deepEqual(status.slice(5), [
      "⚙️ Execution: direct",
      "🤖 Runtime: OpenClaw Default",
      "🎛️ Modes: think off · fast off",
      "🪢 Queue: followup",
    ]);
    assert.equal(upstream.requests.length, 1, "no model call for a command");

    assert.deepEqual(await exchange("what was the word?", ANSWER_LINES.length), ANSWER_LINES);
    const asked = upstream.requests.at(-1) as { messages: { role: string; content: string }[] };
    assert.equal(asked.messages.some((m) => String(m.content).includes("pineapple")), false);
  });
});

Deno.test("irc: in a channel that needs a mention, the owner's /activation is answered unmentioned and lifts the gate; a member is told how to become owner", async () => {
  const owner = {
    room: "#grp",
    config: { commands: { ownerAllowFrom: ["irc:alice"] } },
    // `irc:alice` names the owner by nick.
    ircSettings: { groups: { "#grp": { allowFrom: ["*"] } }, dangerouslyAllowNameMatching: true },
  };
  await withIrcGateway(owner, async ({ upstream, proc, join }) => {
    const [alice, bob] = await join("alice", "bob");
    let seen = 0;
    /** What the bot says in #grp after `who` says `text` there, as alice sees it. */
    const inGroup = async (who: IrcTestClient, text: string, lines: number) => {
      await who.say("#grp", text);
      const fromBot = (all: ReceivedPrivmsg[]) => all.filter((m) => m.target === "#grp" && m.from === BOT);
      const got = fromBot(await alice.waitFor((all) => fromBot(all).length >= seen + lines));
      const reply = got.slice(seen).map((m) => m.text);
      seen = got.length;
      return reply;
    };

    // Unmentioned small talk is dropped, as before.
    await bob.say("#grp", "nice weather");
    await proc.waitForLine(/irc: drop channel #grp sender bob!\S+ \(missing-mention\)/);
    // A member's owner-only command, unmentioned: answered with the command that would make them an owner.
    const [refusal] = await inGroup(bob, "/activation always", 1);
    assert.match(
      refusal!,
      /^You are not authorized to use this owner-only command\. Ask the operator to run `openclaw config set commands\.ownerAllowFrom '\["irc:alice","irc:bob!\S+"\]'` in a terminal to make this sender a command owner\.$/,
    );
    // The owner's, unmentioned: applied.
    assert.deepEqual(await inGroup(alice, "/activation always", 1), ["⚙️ Group activation set to always."]);
    assert.equal(upstream.requests.length, 0, "no model call for a command");
    // Now the channel needs no mention.
    assert.deepEqual(await inGroup(bob, "what is the capital of France", ANSWER_LINES.length), ANSWER_LINES);
    assert.equal(upstream.requests.length, 1);
    // Back to mentions only.
    assert.deepEqual(await inGroup(alice, "/activation mention", 1), ["⚙️ Group activation set to mention."]);
    // The unmentioned line is dropped: the mentioned one after it is the only one answered (one lane, in order).
    await bob.say("#grp", "and of Spain");
    assert.deepEqual(await inGroup(bob, `${BOT}: and of Italy`, ANSWER_LINES.length), ANSWER_LINES);
    assert.equal(upstream.requests.length, 2);
    // /whoami in a DM: the id an allowlist or owner entry takes.
    await alice.say(BOT, "/whoami");
    const dm = await alice.waitFor((all) => all.filter((m) => m.target === "alice").length >= 4);
    const card = dm.filter((m) => m.target === "alice").map((m) => m.text);
    assert.equal(card[0], "🧭 Identity");
    assert.equal(card[1], "Channel: irc");
    assert.match(card[2]!, /^User id: alice!\S+@\S+$/);
    assert.equal(card[3], `AllowFrom: ${card[2]!.slice("User id: ".length)}`);
    assert.equal(upstream.requests.length, 2);
  });
});
