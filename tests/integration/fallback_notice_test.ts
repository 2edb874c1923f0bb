// The model-fallback notice through the real program: a session whose selected model fails and whose fallback answers
// hears of it once (the lifecycle `fallback` event and the reference's "↪️ Model Fallback" chat notice, kept in the
// session entry's `fallbackNotice`, not in the transcript), hears nothing on the next run on the same fallback, and
// hears "cleared" once its selected model answers again; a Telegram DM gets the notice as a message of its own.
// The reference's own notice is compared in run_retries_test.ts.
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { agentDbPath } from "../../src/state/agent_db_path.ts";
import { startFakeUpstream } from "../support/fake_upstream.ts";
import { startFakeTelegram } from "../support/fake_telegram.ts";
import { connectReference } from "../support/reference_client.ts";
import { writeProviderRetry } from "../support/run_retries_script.ts";
import { freePort, startGateway, tempHome } from "../support/spawn_gateway.ts";
import { until } from "../support/until.ts";

const TOKEN = "fallback-notice-token-0123456789";
const BOT_TOKEN = "123456:TEST-bot-token";
const SCOPES = ["operator.read", "operator.write", "operator.admin"];
const NOTICE = "↪️ Model Fallback: fake/m1 (selected fake/flaky; HTTP 503: Service Unavailable)";

type Payload = Record<string, unknown>;

/** The session entry's `fallbackNotice` as the store holds it (what the reference reads too). */
function storedNotice(stateDir: string, sessionKey: string): unknown {
  const db = new DatabaseSync(agentDbPath(stateDir, "main"), { readOnly: true });
  try {
    const row = db.prepare(
      "SELECT json_extract(entry_json, '$.fallbackNotice') AS notice FROM session_nodes " +
        "WHERE session_key = ?",
    ).get(sessionKey) as { notice: string | null } | undefined;
    return row?.notice ? JSON.parse(row.notice) : undefined;
  } finally {
    db.close();
  }
}

Deno.test("a session moved onto its fallback model hears of it once, and once more when its model is back", async () => {
  const upstream = startFakeUpstream();
  const unavailable = { fail: { status: 503, message: "Service Unavailable", type: "server_error" } };
  upstream.script("flaky", [unavailable, unavailable]);
  const telegram = startFakeTelegram(BOT_TOKEN);
  const port = freePort();
  const home = await tempHome({
    gateway: { mode: "local", port, auth: { token: TOKEN } },
    models: { providers: { fake: { baseUrl: upstream.url, models: ["flaky", "m1"] } } },
    agents: { defaults: { model: { primary: "fake/flaky", fallbacks: ["fake/m1"] } } },
    // A DM gets a session of its own, whose selected model is the agent's.
    session: { dmScope: "per-channel-peer" },
    channels: { telegram: { botToken: BOT_TOKEN, apiRoot: telegram.url, dmPolicy: "open", allowFrom: ["*"] } },
  });
  await writeProviderRetry(home.stateDir, "main", { maxRetries: 0 });
  const { proc } = await startGateway({ home: home.home, port });
  const client = await connectReference({ port, token: TOKEN, mode: "cli", clientName: "cli", scopes: SCOPES });
  try {
    const sessionKey = "agent:main:main";
    const of = (runId: string, event: string) =>
      client.events.filter((e) => e.event === event && (e.payload as Payload).runId === runId)
        .map((e) => e.payload as Payload);
    const send = async (runId: string) => {
      await client.request("chat.send", { sessionKey, message: "hello", deliver: false, idempotencyKey: runId });
      await until(() => of(runId, "chat").some((p) => p.state === "final" && p.agentId === "main"), runId);
      // The run's lifecycle is over once its own final went out; a notice follows at once when there is one.
      await until(() => of(runId, "agent").some((p) => (p.data as Payload).phase === "end"), `${runId} end`);
    };
    const notices = (runId: string) => of(runId, "chat").filter((p) => p.state === "final" && p.agentId === undefined);
    const fallbackEvents = (runId: string) =>
      of(runId, "agent").filter((p) => ["fallback", "fallback_cleared"].includes((p.data as Payload).phase as string));

    await send("fb-1");
    await until(() => notices("fb-1").length === 1, "the notice");
    const [notice] = notices("fb-1");
    assert.deepEqual((notice!.message as { content: unknown[] }).content, [
      { type: "text", text: NOTICE, openclawStatusNotice: true },
    ]);
    assert.equal(notice!.seq, 2);
    const [event] = fallbackEvents("fb-1");
    assert.deepEqual(event!.data, {
      phase: "fallback",
      selectedProvider: "fake",
      selectedModel: "flaky",
      activeProvider: "fake",
      activeModel: "m1",
      reasonSummary: "HTTP 503: Service Unavailable",
      attemptSummaries: ["fake/flaky HTTP 503: Service Unavailable"],
      attempts: [
        { provider: "fake", model: "flaky", error: "503 Service Unavailable", reason: "overloaded", status: 503 },
      ],
    });
    assert.deepEqual(storedNotice(home.stateDir, sessionKey), {
      kind: "active",
      selectedModel: "fake/flaky",
      activeModel: "fake/m1",
      reason: "HTTP 503: Service Unavailable",
    });
    // The notice is the chat's, not the transcript's.
    const history = await client.request("chat.history", { sessionKey }) as { messages: { content: unknown }[] };
    assert.ok(!JSON.stringify(history.messages).includes("Model Fallback"));

    // The next run on the same fallback (the selected model cooling down) says nothing more.
    await send("fb-2");
    await send("fb-3");
    assert.deepEqual([notices("fb-2"), fallbackEvents("fb-2")], [[], []]);

    // The session's selected model now answers (chosen as its own): the fallback is cleared, once.
    await client.request("sessions.patch", { key: sessionKey, model: "fake/m1" });
    await send("fb-4");
    await until(() => notices("fb-4").length === 1, "the cleared notice");
    assert.equal((notices("fb-4")[0]!.message as { text: string }).text, "↪️ Model Fallback cleared: fake/m1");
    assert.equal((fallbackEvents("fb-4")[0]!.data as Payload).phase, "fallback_cleared");
    assert.equal(storedNotice(home.stateDir, sessionKey), undefined);

    // A Telegram DM (a session of its own) answered by the fallback while the selected model cools down: the notice
    // follows the answer as a message of its own, the skipped model's reason as its reason.
    await proc.waitForLine(/telegram\/default: polling as @oc_test_bot/);
    telegram.push(telegram.text(42, "hello from telegram"));
    const sent = await telegram.waitForSent((s) => s.some((m) => m.text.startsWith("↪️")));
    const dm = sent.filter((m) => m.chatId === 42).map((m) => m.text);
    assert.equal(dm.at(-1), "↪️ Model Fallback: fake/m1 (selected fake/flaky; overloaded)");
    assert.ok(dm.length >= 2, "the answer went first");
  } finally {
    client.stop();
    await proc.stop();
    await telegram.stop();
    await upstream.stop();
    await home.cleanup();
  }
});
