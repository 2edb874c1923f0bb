// Telegram forum topics through the real gateway and the fake Bot API: each topic its own session
// (`...:topic:<id>`), answers in the topic (`message_thread_id`), the General topic answered without one, per-topic
// config, and the `send` method's `threadId` (what `openclaw mcp serve`'s messages_send forwards).
import assert from "node:assert/strict";
import { FAKE_LINES_ANSWER, startFakeUpstream } from "../support/fake_upstream.ts";
import { FAKE_BOT, startFakeTelegram } from "../support/fake_telegram.ts";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { alive, bridgeCommand } from "../support/mcp_serve_scenario.ts";
import { connectReference } from "../support/reference_client.ts";
import { runTopicsScenario, type TopicsRecording } from "../support/telegram_topics_scenario.ts";
import { freePort, startGateway, tempHome } from "../support/spawn_gateway.ts";
import { until } from "../support/until.ts";

const TOKEN = "tg-topics-token-0123456789ab";
const BOT_TOKEN = "123456:TEST-bot-token";
const FORUM = { id: -100555, type: "supergroup" as const, "is_forum": true };
const PREFIX = "agent:main:telegram:group:-100555";

interface Row {
  key: string;
  lastThreadId?: string | number;
  deliveryContext?: { threadId?: string | number; to?: string };
}

Deno.test("telegram topics: each forum topic is its own session answered in the topic; General without a thread id; send with threadId", async () => {
  const telegram = startFakeTelegram(BOT_TOKEN);
  const upstream = startFakeUpstream();
  const port = freePort();
  const home = await tempHome({
    gateway: { mode: "local", port, auth: { token: TOKEN } },
    models: { providers: { fake: { baseUrl: upstream.url, api: "openai-completions", models: ["lines"] } } },
    agents: { defaults: { model: { primary: "fake/lines" } } },
    channels: {
      telegram: {
        botToken: BOT_TOKEN,
        apiRoot: telegram.url,
        // The forum answers without a mention, except in topic 9, whose own entry wants one.
        groups: {
          [String(FORUM.id)]: { allowFrom: ["*"], requireMention: false, topics: { "9": { requireMention: true } } },
        },
      },
    },
  });
  const { proc } = await startGateway({ home: home.home, port });
  const client = await connectReference({ port, token: TOKEN, scopes: ["operator.admin", "operator.write"] });
  try {
    const answeredIn = (thread: number | undefined) => (s: typeof telegram.sent) =>
      s.some((m) => m.chatId === FORUM.id && m.text === FAKE_LINES_ANSWER && m.threadId === thread);

    // A message in topic 42: the answer goes into topic 42.
    telegram.push(telegram.text(7, "in topic 42", FORUM, 42));
    await telegram.waitForSent(answeredIn(42));
    // Topic 43: its own session, answered in topic 43.
    telegram.push(telegram.text(8, "in topic 43", FORUM, 43));
    await telegram.waitForSent(answeredIn(43));
    // The General topic (no thread id on the message): a session of its own (`:topic:1`), answered with no
    // message_thread_id, since Telegram refuses thread 1 for sends.
    telegram.push(telegram.text(7, "in general", FORUM));
    await telegram.waitForSent(answeredIn(undefined));
    // Topic 9's own requireMention: without a mention, dropped; with one, answered in topic 9.
    telegram.push(telegram.text(7, "no mention", FORUM, 9));
    await proc.waitForLine(/telegram: drop group -100555 sender 7 \(missing-mention\)/);
    telegram.push(telegram.text(7, `@${FAKE_BOT.username} now`, FORUM, 9));
    await telegram.waitForSent(answeredIn(9));
    // Every answer went into the topic it came from: none leaked into another.
    const answers = telegram.sent.filter((m) => m.chatId === FORUM.id && m.text === FAKE_LINES_ANSWER);
    assert.deepEqual(answers.map((m) => m.threadId), [42, 43, undefined, 9]);

    const listed = await client.request<{ sessions: Row[] }>("sessions.list", {});
    const rows = new Map(listed.sessions.map((row) => [row.key, row]));
    for (const [topic, thread] of [["42", 42], ["43", 43], ["1", 1], ["9", 9]] as const) {
      const row = rows.get(`${PREFIX}:topic:${topic}`);
      assert.ok(row, `a session for topic ${topic} in ${JSON.stringify([...rows.keys()])}`);
      // The route keeps the topic, as the reference's session row does (mcp serve's conversations read it).
      assert.equal(row.lastThreadId, thread);
      assert.equal(row.deliveryContext?.threadId, thread);
      assert.equal(row.deliveryContext?.to, thread === 1 ? "telegram:-100555" : `telegram:-100555:topic:${thread}`);
    }
    assert.equal(rows.has(PREFIX), false, "no session for the forum as a whole");

    // `send` with a threadId: into that topic; the General topic's id sends none.
    await client.request("send", {
      to: String(FORUM.id),
      channel: "telegram",
      message: "to 42",
      threadId: "42",
      idempotencyKey: "t-1",
    });
    await client.request("send", {
      to: "telegram:-100555",
      message: "to general",
      threadId: "1",
      idempotencyKey: "t-2",
    });
    // A threadId names the topic over one the target carries (a conversation's stored route).
    await client.request("send", {
      to: "-100555:topic:42",
      channel: "telegram",
      message: "to 43",
      threadId: "43",
      idempotencyKey: "t-3",
    });
    await until(() => telegram.sent.some((m) => m.text === "to 43"), "the third send");
    const sends = telegram.sent.filter((m) => m.text.startsWith("to "));
    assert.deepEqual(sends, [
      { chatId: FORUM.id, text: "to 42", threadId: 42 },
      { chatId: FORUM.id, text: "to general" },
      { chatId: FORUM.id, text: "to 43", threadId: 43 },
    ]);
    // A file with a threadId: uploaded into the topic, its caption with it.
    const workspace = `${home.stateDir}/workspace`;
    await Deno.mkdir(workspace, { recursive: true });
    await Deno.writeTextFile(`${workspace}/notes.txt`, "topic notes");
    await client.request("send", {
      to: "-100555",
      channel: "telegram",
      message: "the notes",
      mediaUrl: `${workspace}/notes.txt`,
      threadId: "42",
      idempotencyKey: "t-5",
    });
    const upload = telegram.uploads.at(-1);
    assert.deepEqual([upload?.method, upload?.chatId, upload?.caption, upload?.threadId], [
      "sendDocument",
      "-100555",
      "the notes",
      42,
    ]);
    // `openclaw mcp serve`: messages_send on a topic's conversation forwards its stored thread; it lands in the topic.
    await Deno.writeTextFile(`${home.home}/gateway.token`, TOKEN);
    const transport = new StdioClientTransport({ ...bridgeCommand("ours", port, home.home), stderr: "pipe" });
    const mcp = new Client({ name: "telegram-topics", version: "1.0.0" });
    await mcp.connect(transport);
    const bridgePid = transport.pid!;
    try {
      await mcp.callTool({ name: "messages_send", arguments: { session_key: `${PREFIX}:topic:43`, text: "via mcp" } });
      await until(() => telegram.sent.some((m) => m.text === "via mcp"), "the bridge's send");
      assert.deepEqual(telegram.sent.find((m) => m.text === "via mcp"), {
        chatId: FORUM.id,
        text: "via mcp",
        threadId: 43,
      });
    } finally {
      await mcp.close();
      await until(() => !alive(bridgePid), "the bridge to exit after its stdin closed", 10_000).catch(() => {
        Deno.kill(bridgePid, "SIGKILL");
      });
    }
    // A threadId that is no topic id is the caller's mistake, said as such.
    await assert.rejects(
      client.request("send", {
        to: "-100555",
        channel: "telegram",
        message: "x",
        threadId: "abc",
        idempotencyKey: "t-4",
      }),
      /threadId "abc" is not a Telegram topic id/,
    );
  } finally {
    client.stop();
    await proc.stop();
    await telegram.stop();
    await upstream.stop();
    await home.cleanup();
  }
});

Deno.test("telegram topics: our gateway answers the recorded forum session as the reference did (tests/fixtures/telegram/reference_topics.json)", async () => {
  const fixture = JSON.parse(
    await Deno.readTextFile(new URL("../fixtures/telegram/reference_topics.json", import.meta.url)),
  ) as TopicsRecording;
  const root = await Deno.makeTempDir({ prefix: "oc-tgtopics-" });
  try {
    const ours = await runTopicsScenario("ours", root);
    // The same messages into the same topics (the reference names the chat as a string, we as a number: one chat).
    const sent = (r: TopicsRecording) => r.sent.map((m) => ({ ...m, chatId: String(m.chatId) }));
    assert.deepEqual(sent(ours), sent(fixture));
    // The same sessions, row for row: each a group session (`kind`, `chatType`) with its topic in its route and the
    // route's `to` named as the reference names it (`telegram:<chat>[:topic:<id>]`).
    assert.deepEqual(ours.sessions, fixture.sessions);
    // Every send the reference delivered, ours delivered too (our answer names more: docs/compatibility.md).
    assert.deepEqual(ours.sends.map((s) => "answer" in s), fixture.sends.map((s) => "answer" in s));
    // Typing goes into the topic as the reference's does (General: thread 1 too). How many typing actions depends
    // on the answer's timing: the topics they went to, in order, do not.
    const topicsTyped = (actions: { action: string; threadId?: number }[]) => [
      ...new Set(actions.filter((a) => a.action === "typing").map((a) => a.threadId)),
    ];
    assert.deepEqual(topicsTyped(fixture.chatActions), [42, 1, 43]);
    assert.deepEqual(topicsTyped(ours.chatActions), topicsTyped(fixture.chatActions));
  } finally {
    await Deno.remove(root, { recursive: true }).catch(() => {});
  }
});
