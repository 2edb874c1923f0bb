// One Telegram forum-topic session against the reference gateway (recorded by tools/record_reference_telegram_topics.ts)
// or ours (tests/integration/telegram_topics_test.ts): a forum supergroup on the fake Bot API, a message in topic 42,
// one in the General topic (no message_thread_id) and one in topic 43; what the gateway sent back
// (message_thread_id, chat actions), the session rows' keys and routes, and `send` with a threadId.
import { startFakeTelegram } from "./fake_telegram.ts";
import { startFakeUpstream } from "./fake_upstream.ts";
import { connectReference } from "./reference_client.ts";
import { clientTestConfig, startRecordedGateway } from "./reference_gateway.ts";
import { freePort } from "./spawn_gateway.ts";

/** The gateway token. */
const TOKEN = "tg-topics-token-0123456789";
const BOT = "123456:tg-topics";
/** The forum supergroup the messages come from. */
export const FORUM = { id: -100555, type: "supergroup" as const, "is_forum": true };

/** The route fields of a session row. */
function routeOf(row: Record<string, unknown>): Record<string, unknown> {
  const keys = ["key", "lastChannel", "lastTo", "lastAccountId", "lastThreadId", "deliveryContext", "chatType", "kind"];
  return Object.fromEntries(keys.filter((k) => k in row).map((k) => [k, row[k]]));
}

/** What one run recorded. */
export interface TopicsRecording {
  sent: { chatId: number | string; text: string; threadId?: number }[];
  chatActions: { chatId: number | string; action: string; threadId?: number }[];
  sessions: Record<string, unknown>[];
  sends: Record<string, unknown>[];
}

/**
 * Runs the scenario against `target` ("ref": the reference gateway under `root`; any other: ours). Every process
 * started here is stopped here, by PID.
 */
export async function runTopicsScenario(target: string, root: string): Promise<TopicsRecording> {
  const telegram = startFakeTelegram(BOT);
  const upstream = startFakeUpstream();
  upstream.script("m1", [{ text: "Answer in 42." }, { text: "Answer in General." }, { text: "Answer in 43." }]);
  const port = freePort();
  const config = {
    ...clientTestConfig({ port, token: TOKEN, upstreamUrl: upstream.url }),
    channels: {
      telegram: {
        botToken: BOT,
        apiRoot: telegram.url,
        groupPolicy: "open",
        groups: { [String(FORUM.id)]: { requireMention: false } },
      },
    },
  };
  const gateway = await startRecordedGateway(target, { root, port, config });
  try {
    telegram.push(telegram.text(7, "hello topic 42", FORUM, 42));
    await telegram.waitForSent((s) => s.some((m) => m.text === "Answer in 42."), 60_000);
    telegram.push(telegram.text(7, "hello general", FORUM));
    await telegram.waitForSent((s) => s.some((m) => m.text === "Answer in General."), 60_000);
    telegram.push(telegram.text(8, "hello topic 43", FORUM, 43));
    await telegram.waitForSent((s) => s.some((m) => m.text === "Answer in 43."), 60_000);
    const client = await connectReference({ port, token: TOKEN, scopes: ["operator.admin", "operator.write"] });
    let rows: Record<string, unknown>[];
    const sends: Record<string, unknown>[] = [];
    try {
      const listed = await client.request<{ sessions: Record<string, unknown>[] }>("sessions.list", {});
      rows = listed.sessions.map(routeOf);
      for (
        const [i, params] of [
          { to: String(FORUM.id), channel: "telegram", message: "send 42", threadId: "42" },
          { to: String(FORUM.id), channel: "telegram", message: "send general", threadId: "1" },
          { to: `${FORUM.id}:topic:43`, channel: "telegram", message: "send topic target" },
        ].entries()
      ) {
        try {
          const answer = await client.request<Record<string, unknown>>("send", { ...params, idempotencyKey: `s-${i}` });
          sends.push({ params, answer: { ...answer, runId: "<id>", messageId: "<id>" } });
        } catch (error) {
          sends.push({ params, error: error instanceof Error ? error.message : String(error) });
        }
      }
    } finally {
      client.stop();
    }
    return {
      sent: telegram.sent,
      chatActions: telegram.chatActions,
      sessions: rows.sort((a, b) => String(a.key).localeCompare(String(b.key))),
      sends,
    };
  } finally {
    await gateway.stop();
    await telegram.stop();
    await upstream.stop();
  }
}
