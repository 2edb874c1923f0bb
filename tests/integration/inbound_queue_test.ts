// The durable inbound queue with the real program: a message that arrives while the gateway stops or
// restarts, or whose answer a crash (SIGKILL) cut off, is answered once after the next start.
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { FAKE_LINES_ANSWER, type FakeUpstream, startFakeUpstream } from "../support/fake_upstream.ts";
import { type FakeTelegram, startFakeTelegram } from "../support/fake_telegram.ts";
import { IrcTestClient, startIrcServer } from "../support/ngircd.ts";
import { freePort, type OpenclawProcess, startGateway, type TempHome, tempHome } from "../support/spawn_gateway.ts";
import { until } from "../support/until.ts";

const TOKEN = "queue-gateway-token-0123456789";
const BOT_TOKEN = "123456:TEST-bot-token";
const BOT = "ocbot";

/** The queue's rows as `event_id → status`, read beside the running gateway (WAL lets both in). */
function rows(home: TempHome): Record<string, string> {
  const db = new DatabaseSync(`${home.stateDir}/state/openclaw.sqlite`, { readOnly: true });
  try {
    const all = db.prepare("SELECT event_id, status FROM channel_ingress_events").all() as {
      "event_id": string;
      status: string;
    }[];
    return Object.fromEntries(all.map((r) => [r.event_id, r.status]));
  } finally {
    db.close();
  }
}

/** One row of the queue, every column. */
function row(home: TempHome, id: string): Record<string, unknown> {
  const db = new DatabaseSync(`${home.stateDir}/state/openclaw.sqlite`, { readOnly: true });
  try {
    return { ...db.prepare("SELECT * FROM channel_ingress_events WHERE event_id = ?").get(id) };
  } finally {
    db.close();
  }
}

/** The gateway's model from now on: "stall" never answers (a run in flight), "lines" answers. */
async function useModel(home: TempHome, model: "stall" | "lines"): Promise<void> {
  const config = JSON.parse(await Deno.readTextFile(home.configPath));
  config.agents.defaults.model.primary = `fake/${model}`;
  await Deno.writeTextFile(home.configPath, JSON.stringify(config, null, 2));
}

const linesRequests = (upstream: FakeUpstream) => upstream.requests.filter((r) => r.model === "lines").length;
const eventId = (updateId: number) => String(updateId).padStart(16, "0");

async function withTelegram(
  body: (
    ctx: { telegram: FakeTelegram; upstream: FakeUpstream; home: TempHome; start(): Promise<OpenclawProcess> },
  ) => Promise<void>,
): Promise<void> {
  const telegram = startFakeTelegram(BOT_TOKEN);
  const upstream = startFakeUpstream();
  const port = freePort();
  const home = await tempHome({
    gateway: { mode: "local", port, auth: { token: TOKEN } },
    models: { providers: { fake: { baseUrl: upstream.url, api: "openai-completions", models: ["stall", "lines"] } } },
    agents: { defaults: { model: { primary: "fake/stall" } } },
    channels: { telegram: { botToken: BOT_TOKEN, apiRoot: telegram.url, dmPolicy: "allowlist", allowFrom: ["42"] } },
  });
  const running: OpenclawProcess[] = [];
  const start = async () => {
    const { proc } = await startGateway({ home: home.home, port });
    running.push(proc);
    await proc.waitForLine(/telegram\/default: polling as @oc_test_bot/);
    return proc;
  };
  try {
    await body({ telegram, upstream, home, start });
  } finally {
    for (const proc of running) await proc.stop();
    await telegram.stop();
    await upstream.stop();
    await home.cleanup();
  }
}

Deno.test("inbound queue (telegram): an answer a restart cut off, and a message sent while the gateway was down, are each answered once after it", async () => {
  await withTelegram(async ({ telegram, upstream, home, start }) => {
    const first = await start();
    const cutOff = telegram.push(telegram.text(42, "are you there?"));
    await until(() => upstream.requests.length === 1, "the run to reach the model");
    // Stored, so acknowledged to Telegram: it will not come again from there.
    await until(() => telegram.confirmedOffset === cutOff + 1, "the update acknowledged");
    assert.equal(await first.stop(), 0);
    assert.deepEqual(rows(home), { [eventId(cutOff)]: "pending" }, "the stop kept the message whose answer it cut off");

    const whileDown = telegram.push(telegram.text(42, "hello while you were away"));
    await useModel(home, "lines");
    const second = await start();
    await until(
      () => rows(home)[eventId(cutOff)] === "completed" && rows(home)[eventId(whileDown)] === "completed",
      "both messages answered",
    );
    await second.waitForLine(/telegram\/default: answering 1 inbound message\(s\) kept across a restart/);
    assert.deepEqual(telegram.sent, [
      { chatId: 42, text: FAKE_LINES_ANSWER },
      { chatId: 42, text: FAKE_LINES_ANSWER },
    ]);
    assert.equal(linesRequests(upstream), 2, "one run each, no duplicate");
    assert.equal(telegram.confirmedOffset, whileDown + 1);
  });
});

Deno.test("inbound queue (telegram): a gateway killed between receipt and answer answers once after its restart", async () => {
  await withTelegram(async ({ telegram, upstream, home, start }) => {
    const first = await start();
    const update = telegram.push(telegram.text(42, "do not lose me"));
    await until(() => upstream.requests.length === 1, "the run to reach the model");
    await until(() => telegram.confirmedOffset === update + 1, "the update acknowledged");
    first.kill("SIGKILL");
    await first.exited();
    assert.deepEqual(rows(home), { [eventId(update)]: "claimed" }, "the crash left it claimed by a process now gone");
    // Kept as the reference keeps it (recorded from OpenClaw 2026.9.6): its spooled-update envelope and lane,
    // its owner format; our normalized message rides along.
    const kept = row(home, eventId(update));
    assert.equal(kept.queue_name, '["telegram","default"]');
    assert.equal(kept.lane_key, "telegram:42");
    assert.match(String(kept.claim_owner), /^\d+:x:[0-9a-f-]{36}$/);
    const payload = JSON.parse(String(kept.payload_json));
    assert.deepEqual(Object.keys(payload), ["version", "updateId", "receivedAt", "update", "message"]);
    assert.equal(payload.version, 1);
    assert.equal(payload.updateId, update);
    assert.equal(payload.update.message.text, "do not lose me");

    await useModel(home, "lines");
    await start();
    await until(() => rows(home)[eventId(update)] === "completed", "the message answered");
    assert.deepEqual(telegram.sent, [{ chatId: 42, text: FAKE_LINES_ANSWER }]);
    assert.equal(linesRequests(upstream), 1);
  });
});

Deno.test("inbound queue (irc): a gateway killed between receipt and answer answers the channel once after its restart", async () => {
  const irc = await startIrcServer();
  const upstream = startFakeUpstream();
  const port = freePort();
  const home = await tempHome({
    gateway: { mode: "local", port, auth: { token: TOKEN } },
    models: { providers: { fake: { baseUrl: upstream.url, api: "openai-completions", models: ["stall", "lines"] } } },
    agents: { defaults: { model: { primary: "fake/stall" } } },
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
  const running: OpenclawProcess[] = [];
  let alice: IrcTestClient | undefined;
  try {
    const first = (await startGateway({ home: home.home, port })).proc;
    running.push(first);
    alice = await IrcTestClient.connect(irc.port, "alice");
    await alice.join("#test");
    await alice.waitForMember("#test", BOT);
    await alice.say("#test", `${BOT}: keep this one`);
    await until(() => upstream.requests.length === 1, "the run to reach the model");
    first.kill("SIGKILL");
    await first.exited();
    const kept = Object.entries(rows(home));
    assert.equal(kept.length, 1);
    assert.equal(kept[0]![1], "claimed");

    await useModel(home, "lines");
    const second = (await startGateway({ home: home.home, port })).proc;
    running.push(second);
    const lines = FAKE_LINES_ANSWER.split("\n");
    const fromBot = () => alice!.messages.filter((m) => m.target === "#test" && m.from.startsWith(BOT));
    await alice.waitFor(() => fromBot().length >= lines.length, 10_000, "the answer in #test");
    await until(() => rows(home)[kept[0]![0]] === "completed", "the message answered");
    await second.waitForLine(/irc\/default: answering 1 inbound message\(s\) kept across a restart/);
    assert.deepEqual(fromBot().map((m) => m.text), lines, "the answer once, every line");
    assert.equal(linesRequests(upstream), 1);
  } finally {
    await alice?.close();
    for (const proc of running) await proc.stop();
    await upstream.stop();
    await irc.cleanup();
    await home.cleanup();
  }
});

Deno.test("inbound queue (telegram webhook): a stored update's 200 says so; Telegram's redelivery of it is not answered again", async () => {
  const telegram = startFakeTelegram(BOT_TOKEN);
  const upstream = startFakeUpstream();
  const port = freePort();
  const secret = "hook-secret-0123456789";
  const home = await tempHome({
    gateway: { mode: "local", port, auth: { token: TOKEN } },
    models: { providers: { fake: { baseUrl: upstream.url, api: "openai-completions", models: ["lines"] } } },
    agents: { defaults: { model: { primary: "fake/lines" } } },
    channels: {
      telegram: {
        botToken: BOT_TOKEN,
        apiRoot: telegram.url,
        dmPolicy: "allowlist",
        allowFrom: ["42"],
        webhookUrl: "https://bot.example.test/telegram-webhook",
        webhookSecret: secret,
      },
    },
  });
  const { proc } = await startGateway({ home: home.home, port });
  try {
    await until(() => telegram.webhook !== undefined, "setWebhook at the fake Bot API");
    const update = { "update_id": 77, ...telegram.text(42, "hi via webhook") };
    const post = async () => {
      const response = await fetch(`http://127.0.0.1:${port}/telegram-webhook`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": secret },
        body: JSON.stringify(update),
      });
      await response.body?.cancel();
      return response;
    };
    const first = await post();
    assert.equal(first.status, 200);
    assert.equal(first.headers.get("x-openclaw-delivery-accepted"), "durable");
    await telegram.waitForSent((s) => s.length === 1);
    await until(() => rows(home)[eventId(77)] === "completed", "the update answered");
    // Telegram sends it again (it never saw our 200, say): taken, not answered twice.
    const again = await post();
    assert.equal(again.status, 200);
    assert.equal(again.headers.get("x-openclaw-delivery-accepted"), "durable");
    await proc.waitForLine(/telegram\/default: inbound 0000000000000077 already completed; not answered again/);
    assert.deepEqual(telegram.sent, [{ chatId: 42, text: FAKE_LINES_ANSWER }]);
    assert.equal(upstream.requests.length, 1);
    // A request the gateway did not store (a forged secret) carries no such header.
    const forged = await fetch(`http://127.0.0.1:${port}/telegram-webhook`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": "wrong" },
      body: JSON.stringify({ ...update, "update_id": 78 }),
    });
    await forged.body?.cancel();
    assert.equal(forged.status, 401);
    assert.equal(forged.headers.get("x-openclaw-delivery-accepted"), null);
  } finally {
    await proc.stop();
    await telegram.stop();
    await upstream.stop();
    await home.cleanup();
  }
});
