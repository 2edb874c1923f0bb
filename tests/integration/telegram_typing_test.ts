// Telegram "typing…" through the real gateway and the fake Bot API: `sendChatAction` "typing" while a run works,
// into the forum topic (the General topic's as thread 1, as the reference sends it), again every
// `typingIntervalSeconds`, and none once the run has answered or was aborted.
import assert from "node:assert/strict";
import { FAKE_ANSWER, startFakeUpstream } from "../support/fake_upstream.ts";
import { startFakeTelegram } from "../support/fake_telegram.ts";
import { connectReference } from "../support/reference_client.ts";
import { freePort, startGateway, tempHome } from "../support/spawn_gateway.ts";
import { until } from "../support/until.ts";

const TOKEN = "tg-typing-token-0123456789abc";
const BOT_TOKEN = "123456:TEST-bot-token";
const FORUM = { id: -100777, type: "supergroup" as const, "is_forum": true };
const DM_USER = 8;

Deno.test("telegram typing: into the topic while the run works, repeated every interval, none after the reply or an abort", async () => {
  const telegram = startFakeTelegram(BOT_TOKEN);
  const upstream = startFakeUpstream();
  const port = freePort();
  const home = await tempHome({
    gateway: { mode: "local", port, auth: { token: TOKEN } },
    models: { providers: { fake: { baseUrl: upstream.url, api: "openai-completions", models: ["slow", "drip"] } } },
    agents: {
      defaults: { model: { primary: "fake/slow" }, typingIntervalSeconds: 1 },
      // The DM's agent answers with a model that stalls mid-answer: a run that types until it is aborted.
      list: [{ id: "main", default: true }, { id: "stalled", model: { primary: "fake/drip" } }],
    },
    bindings: [{ agentId: "stalled", match: { channel: "telegram", peer: { kind: "direct", id: String(DM_USER) } } }],
    channels: {
      telegram: {
        botToken: BOT_TOKEN,
        apiRoot: telegram.url,
        dmPolicy: "allowlist",
        allowFrom: [String(DM_USER)],
        groups: { [String(FORUM.id)]: { allowFrom: ["*"], requireMention: false } },
      },
    },
  });
  const { proc } = await startGateway({ home: home.home, port });
  const client = await connectReference({ port, token: TOKEN, scopes: ["operator.admin", "operator.write"] });
  try {
    const actionsIn = (chatId: number, thread?: number) =>
      telegram.chatActions.flatMap((action, i) =>
        action.chatId === chatId && action.threadId === thread ? [{ ...action, at: telegram.chatActionsAt[i]! }] : []
      );
    const answerAt = (thread: number | undefined) => {
      const i = telegram.sent.findIndex((m) =>
        m.chatId === FORUM.id && m.text === FAKE_ANSWER && m.threadId === thread
      );
      return i < 0 ? undefined : telegram.sentAt[i];
    };

    // A message in topic 42: "typing" in topic 42 while the slow model streams, then the answer there.
    telegram.push(telegram.text(7, "in topic 42", FORUM, 42));
    await telegram.waitForSent(() => answerAt(42) !== undefined);
    const in42 = actionsIn(FORUM.id, 42);
    assert.ok(in42.length >= 1, `typing in topic 42: ${JSON.stringify(telegram.chatActions)}`);
    assert.ok(in42.every((a) => a.action === "typing" && a.at < answerAt(42)!), "typing before the answer only");
    // The General topic: its typing names thread 1 (the reference's), its answer no thread.
    telegram.push(telegram.text(7, "in general", FORUM));
    await telegram.waitForSent(() => answerAt(undefined) !== undefined);
    assert.ok(actionsIn(FORUM.id, 1).length >= 1, `typing in General: ${JSON.stringify(telegram.chatActions)}`);

    // A DM whose run stalls: typing again every second (three of them), until the run is aborted.
    telegram.push(telegram.text(DM_USER, "take your time"));
    await until(() => actionsIn(DM_USER).length >= 3, "three typing actions in the DM", 10_000);
    const dm = actionsIn(DM_USER);
    for (let i = 1; i < dm.length; i++) {
      const gap = dm[i]!.at - dm[i - 1]!.at;
      assert.ok(gap > 700 && gap < 1800, `typing every ~1 s, not ${gap} ms apart`);
    }
    const listed = await client.request<{ sessions: { key: string }[] }>("sessions.list", {});
    const dmKey = listed.sessions.find((row) => row.key.startsWith("agent:stalled:"))?.key;
    assert.ok(dmKey, JSON.stringify(listed.sessions.map((row) => row.key)));
    const aborted = await client.request<{ aborted: boolean }>("chat.abort", { sessionKey: dmKey });
    assert.equal(aborted.aborted, true);
    const abortedAt = performance.now();

    // Two more answers, in topics 43 and 44, take longer than the interval: neither the aborted DM nor topic 42
    // typed meanwhile.
    for (const topic of [43, 44]) {
      telegram.push(telegram.text(7, `in topic ${topic}`, FORUM, topic));
      await telegram.waitForSent(() => answerAt(topic) !== undefined);
      assert.ok(actionsIn(FORUM.id, topic).length >= 1);
    }
    assert.ok(performance.now() - abortedAt > 1000, "the check spans more than one interval");
    assert.equal(actionsIn(DM_USER).filter((a) => a.at > abortedAt + 50).length, 0, "no typing after the abort");
    assert.equal(actionsIn(FORUM.id, 42).filter((a) => a.at > answerAt(42)!).length, 0, "no typing after the reply");
    assert.ok(telegram.chatActions.every((a) => a.action === "typing"));
  } finally {
    client.stop();
    await proc.stop();
    await telegram.stop();
    await upstream.stop();
    await home.cleanup();
  }
});
