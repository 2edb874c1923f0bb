// Discord messages on the durable inbound queue, with the real program against the fake Discord: a DM whose
// answer a restart cut off, or a crash (SIGKILL) between receipt and answer, is answered once after the next
// start (Discord never sends a message again to a new session, so the queue is all there is).
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { type FakeDiscord, startFakeDiscord } from "../support/fake_discord.ts";
import { FAKE_LINES_ANSWER, type FakeUpstream, startFakeUpstream } from "../support/fake_upstream.ts";
import { freePort, type OpenclawProcess, startGateway, type TempHome, tempHome } from "../support/spawn_gateway.ts";
import { until } from "../support/until.ts";

const TOKEN = "dq-gateway-token-0123456789ab";
const BOT_TOKEN = "discord-bot-token.queue.test";
const ALICE = "1500000000000000001";

/** The queue's rows, every column, read beside the running gateway (WAL lets both in). */
function rows(home: TempHome): Record<string, Record<string, unknown>> {
  const db = new DatabaseSync(`${home.stateDir}/state/openclaw.sqlite`, { readOnly: true });
  try {
    const all = db.prepare("SELECT * FROM channel_ingress_events").all() as Record<string, unknown>[];
    return Object.fromEntries(all.map((r) => [String(r.event_id), { ...r }]));
  } finally {
    db.close();
  }
}

const status = (home: TempHome, id: string) => rows(home)[id]?.status;

/** The gateway's model from now on: "stall" never answers (a run in flight), "lines" answers. */
async function useModel(home: TempHome, model: "stall" | "lines"): Promise<void> {
  const config = JSON.parse(await Deno.readTextFile(home.configPath));
  config.agents.defaults.model.primary = `fake/${model}`;
  await Deno.writeTextFile(home.configPath, JSON.stringify(config, null, 2));
}

/** What the bot posted in Alice's DM, as one text (a streamed answer may come in several messages). */
const postedToAlice = (discord: FakeDiscord) =>
  discord.posted.filter((p) => p.channelId === discord.dmChannel(ALICE)).map((p) => p.content);

async function withDiscord(
  body: (
    ctx: { discord: FakeDiscord; upstream: FakeUpstream; home: TempHome; start(): Promise<OpenclawProcess> },
  ) => Promise<void>,
): Promise<void> {
  const discord = startFakeDiscord(BOT_TOKEN, { heartbeatIntervalMs: 1000 });
  const upstream = startFakeUpstream();
  const port = freePort();
  const home = await tempHome({
    gateway: { mode: "local", port, auth: { token: TOKEN } },
    models: { providers: { fake: { baseUrl: upstream.url, api: "openai-completions", models: ["stall", "lines"] } } },
    agents: { defaults: { model: { primary: "fake/stall" } } },
    channels: { discord: { token: BOT_TOKEN, dmPolicy: "allowlist", allowFrom: [ALICE] } },
  });
  const env = { DISCORD_API_URL: discord.apiUrl };
  const running: OpenclawProcess[] = [];
  let sessions = 0;
  const start = async () => {
    const { proc } = await startGateway({ home: home.home, env, port });
    running.push(proc);
    await discord.waitForSessions(++sessions);
    return proc;
  };
  try {
    await body({ discord, upstream, home, start });
  } finally {
    for (const proc of running) await proc.stop();
    await discord.stop();
    await upstream.stop();
    await home.cleanup();
  }
}

const linesRequests = (upstream: FakeUpstream) => upstream.requests.filter((r) => r.model === "lines").length;

Deno.test("discord queue: a DM whose answer a restart cut off is answered once after the restart", async () => {
  await withDiscord(async ({ discord, upstream, home, start }) => {
    const first = await start();
    const id = discord.dm(ALICE, "are you there?");
    await until(() => upstream.requests.length === 1, "the run to reach the model");
    assert.equal(await first.stop(), 0);
    assert.equal(status(home, id), "pending", "the stop kept the message whose answer it cut off");
    assert.deepEqual(postedToAlice(discord), []);

    await useModel(home, "lines");
    const second = await start();
    await until(() => status(home, id) === "completed", "the kept DM answered");
    await second.waitForLine(/discord\/default: answering 1 inbound message\(s\) kept across a restart/);
    assert.equal(postedToAlice(discord).join("\n"), FAKE_LINES_ANSWER);
    assert.equal(linesRequests(upstream), 1, "one run, no duplicate");
    // A later DM is answered as usual, and the kept one not again.
    const next = discord.dm(ALICE, "and now?");
    await until(() => status(home, next) === "completed", "the next DM answered");
    assert.equal(linesRequests(upstream), 2);
    assert.equal(postedToAlice(discord).join("\n"), `${FAKE_LINES_ANSWER}\n${FAKE_LINES_ANSWER}`);
  });
});

Deno.test("discord queue: a gateway killed between receipt and answer answers the DM once after its restart", async () => {
  await withDiscord(async ({ discord, upstream, home, start }) => {
    const first = await start();
    const id = discord.dm(ALICE, "do not lose me");
    await until(() => upstream.requests.length === 1, "the run to reach the model");
    first.kill("SIGKILL");
    await first.exited();
    // Kept as the reference's Discord monitor keeps it (OpenClaw 2026.9.6): queue, snowflake, lane, envelope.
    const kept = rows(home)[id]!;
    assert.equal(kept.status, "claimed", "the crash left it claimed by a process now gone");
    assert.equal(kept.queue_name, '["discord","default"]');
    assert.equal(kept.lane_key, `channel:${discord.dmChannel(ALICE)}`);
    assert.match(String(kept.claim_owner), /^\d+:x:[0-9a-f-]{36}$/);
    const payload = JSON.parse(String(kept.payload_json));
    assert.deepEqual(Object.keys(payload), ["version", "receivedAt", "rawMessage", "message"]);
    assert.equal(payload.version, 1);
    assert.equal(payload.receivedAt, kept.received_at);
    assert.equal(payload.rawMessage.id, id);
    assert.equal(payload.rawMessage.content, "do not lose me");

    await useModel(home, "lines");
    await start();
    await until(() => status(home, id) === "completed", "the DM answered");
    assert.equal(postedToAlice(discord).join("\n"), FAKE_LINES_ANSWER);
    assert.equal(linesRequests(upstream), 1);
  });
});
