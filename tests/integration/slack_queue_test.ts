// Slack events on the durable inbound queue, with the real program against the fake Slack: a DM whose answer a
// restart cut off, or a crash (SIGKILL) between the ack and the answer, is answered once after the next start (Slack
// never sends an acknowledged envelope again, so the queue is all there is).
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { FAKE_SLACK, type FakeSlack, startFakeSlack } from "../support/fake_slack.ts";
import { FAKE_LINES_ANSWER, type FakeUpstream, startFakeUpstream } from "../support/fake_upstream.ts";
import { freePort, type OpenclawProcess, startGateway, type TempHome, tempHome } from "../support/spawn_gateway.ts";
import { until } from "../support/until.ts";

const TOKEN = "sq-gateway-token-0123456789ab";
const BOT = "xoxb-queue-bot-token";
const APP = "xapp-queue-app-token";
const ALICE = "U0ALICE01";

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

const postedToAlice = (slack: FakeSlack) =>
  slack.posts.filter((p) => p.channel === slack.dmChannel(ALICE)).map((p) => p.text);

async function withSlack(
  body: (
    ctx: { slack: FakeSlack; upstream: FakeUpstream; home: TempHome; start(): Promise<OpenclawProcess> },
  ) => Promise<void>,
): Promise<void> {
  const slack = startFakeSlack(BOT, APP);
  const upstream = startFakeUpstream();
  const port = freePort();
  const home = await tempHome({
    gateway: { mode: "local", port, auth: { token: TOKEN } },
    models: { providers: { fake: { baseUrl: upstream.url, api: "openai-completions", models: ["stall", "lines"] } } },
    agents: { defaults: { model: { primary: "fake/stall" } } },
    channels: { slack: { botToken: BOT, appToken: APP, dmPolicy: "allowlist", allowFrom: [ALICE] } },
  });
  const env = { SLACK_API_URL: slack.apiUrl };
  const running: OpenclawProcess[] = [];
  let connections = 0;
  const start = async () => {
    const { proc } = await startGateway({ home: home.home, env, port });
    running.push(proc);
    connections++;
    await slack.waitFor("the socket", () => slack.connections() === connections && slack.openSockets() === 1, 15_000);
    return proc;
  };
  try {
    await body({ slack, upstream, home, start });
  } finally {
    for (const proc of running) await proc.stop();
    await slack.stop();
    await upstream.stop();
    await home.cleanup();
  }
}

const linesRequests = (upstream: FakeUpstream) => upstream.requests.filter((r) => r.model === "lines").length;

Deno.test("slack queue: a DM whose answer a restart cut off is answered once after the restart", async () => {
  await withSlack(async ({ slack, upstream, home, start }) => {
    const first = await start();
    const envelope = slack.sendEvent(slack.dm(ALICE, "are you there?").event, { eventId: "Ev0QUEUE01" });
    await until(() => upstream.requests.length === 1, "the run to reach the model");
    assert.ok(slack.acked.includes(envelope), "acknowledged once stored");
    assert.equal(await first.stop(), 0);
    assert.equal(status(home, "Ev0QUEUE01"), "pending", "the stop kept the message whose answer it cut off");
    assert.deepEqual(postedToAlice(slack), []);

    await useModel(home, "lines");
    await start();
    await until(() => status(home, "Ev0QUEUE01") === "completed", "the kept DM answered");
    assert.equal(postedToAlice(slack).join("\n"), FAKE_LINES_ANSWER);
    assert.equal(linesRequests(upstream), 1, "one run, no duplicate");
  });
});

Deno.test("slack queue: a gateway killed between the ack and the answer answers the DM once after its restart", async () => {
  await withSlack(async ({ slack, upstream, home, start }) => {
    const first = await start();
    const { event, ts } = slack.dm(ALICE, "do not lose me");
    slack.sendEvent(event, { eventId: "Ev0QUEUE02" });
    await until(() => upstream.requests.length === 1, "the run to reach the model");
    first.kill("SIGKILL");
    await first.exited();
    // Kept as the reference's Slack monitor keeps it (OpenClaw 2026.9.6): queue, event id, lane, envelope.
    const kept = rows(home)["Ev0QUEUE02"]!;
    assert.equal(kept.status, "claimed", "the crash left it claimed by a process now gone");
    assert.equal(kept.queue_name, '["slack","default"]');
    assert.equal(kept.lane_key, `team:${FAKE_SLACK.team}:conversation:${slack.dmChannel(ALICE)}`);
    const payload = JSON.parse(String(kept.payload_json));
    assert.deepEqual(Object.keys(payload), ["version", "kind", "receivedAt", "body", "message"]);
    assert.deepEqual([payload.version, payload.kind], [1, "events-api"]);
    assert.equal(payload.receivedAt, kept.received_at);
    assert.equal(payload.body.event_id, "Ev0QUEUE02");
    assert.equal(payload.body.event.ts, ts);

    await useModel(home, "lines");
    await start();
    await until(() => status(home, "Ev0QUEUE02") === "completed", "the DM answered");
    assert.equal(postedToAlice(slack).join("\n"), FAKE_LINES_ANSWER);
    assert.equal(linesRequests(upstream), 1);
  });
});
