// Heartbeats that run the agent, end to end: the real program, a scripted fake model, and delivery
// to a real IRC server (ngircd).
import assert from "node:assert/strict";
import { startFakeUpstream } from "../support/fake_upstream.ts";
import { IrcTestClient, startIrcServer } from "../support/ngircd.ts";
import { connectReference, type ReferenceSession } from "../support/reference_client.ts";
import { freePort, runOpenclaw, startGateway, tempHome } from "../support/spawn_gateway.ts";
import { until } from "../support/until.ts";

const TOKEN = "heartbeat-token-0123456789abcdef";
const BOT = "hbbot";
const ALERT = "Disk /var is 95% full.";
const CRON_ALERT = "The backup finished with 2 warnings.";

type Outcome = { status: string; reason?: string; preview?: string; channel?: string; to?: string };

/** The `n`th heartbeat event (1-based) the session received. */
async function heartbeat(session: ReferenceSession, n: number): Promise<Outcome> {
  const all = () => session.events.filter((e) => e.event === "heartbeat");
  await until(() => all().length >= n, `heartbeat event #${n}`);
  return all()[n - 1]!.payload as Outcome;
}

Deno.test("heartbeat: HEARTBEAT_OK delivers nothing, content reaches IRC, wake now and a cron system event run one, active hours and the interval hold", async () => {
  const irc = await startIrcServer();
  const upstream = startFakeUpstream();
  upstream.script("hb", [{ text: "HEARTBEAT_OK" }, { text: ALERT }, { text: CRON_ALERT }, { text: "NO_REPLY" }]);
  const port = freePort();
  const home = await tempHome({
    gateway: { mode: "local", port, auth: { token: TOKEN } },
    models: { providers: { fake: { baseUrl: upstream.url, api: "openai-completions", models: ["hb"] } } },
    agents: {
      defaults: {
        model: { primary: "fake/hb" },
        // No cadence at first: only wakes run turns, so each event below is the one asked for.
        heartbeat: { every: "0m", target: "irc", to: "#ops" },
      },
    },
    channels: {
      irc: { host: "127.0.0.1", port: irc.port, tls: false, nick: BOT, channels: ["#ops"], messagesPerSecond: 20 },
    },
  });
  const { proc } = await startGateway({ home: home.home, port });
  let session: ReferenceSession | undefined;
  let alice: IrcTestClient | undefined;
  try {
    alice = await IrcTestClient.connect(irc.port, "alice");
    await alice.join("#ops");
    await alice.waitForMember("#ops", BOT);
    session = await connectReference({ port, token: TOKEN });
    assert.equal(await session.request("last-heartbeat"), null);

    // next-heartbeat only queues: status lists the text and no model is asked.
    await session.request("wake", { mode: "next-heartbeat", text: "check the disk" });
    const queued = await session.request<{ queuedSystemEvents: string[] }>("status");
    assert.deepEqual(queued.queuedSystemEvents, ["check the disk"]);
    assert.equal(upstream.requestsOf("hb").length, 0);

    // wake now runs one turn; its HEARTBEAT_OK is an acknowledgement: nothing reaches IRC.
    assert.deepEqual(await session.request("wake", { mode: "now", text: "build finished" }), { ok: true });
    const ack = await heartbeat(session, 1);
    assert.deepEqual([ack.status, ack.reason, ack.channel], ["ok-empty", "wake", "irc"]);
    const asked = upstream.requestsOf("hb")[0] as { messages: { role: string; content: unknown }[] };
    const prompt = String(asked.messages.at(-1)!.content);
    assert.match(prompt, /System: \[[^\]]+\] check the disk\\nSystem: \[[^\]]+\] build finished/);
    assert.deepEqual(alice.messages.filter((m) => m.from === BOT), [], "an acknowledgement is delivered to nobody");
    assert.deepEqual((await session.request<{ queuedSystemEvents: string[] }>("status")).queuedSystemEvents, []);
    assert.deepEqual(await session.request("last-heartbeat"), ack);

    // Content is an alert: delivered to #ops and reported as sent.
    await session.request("wake", { mode: "now", text: "check again" });
    const sent = await heartbeat(session, 2);
    assert.deepEqual([sent.status, sent.preview, sent.channel, sent.to], ["sent", ALERT, "irc", "#ops"]);
    const received = await alice.waitFor((m) => m.some((x) => x.from === BOT));
    assert.deepEqual(received.filter((m) => m.from === BOT).map((m) => [m.target, m.text]), [["#ops", ALERT]]);

    // A cron job's system event for the main session, wakeMode now: the heartbeat runs it and its answer is delivered.
    const job = await session.request<{ id: string }>("cron.add", {
      name: "backup check",
      schedule: { kind: "every", everyMs: 3_600_000 },
      sessionTarget: "main",
      wakeMode: "now",
      payload: { kind: "systemEvent", text: "Backup job finished." },
    });
    await session.request("cron.run", { id: job.id, mode: "force" });
    const fromCron = await heartbeat(session, 3);
    assert.deepEqual([fromCron.status, fromCron.preview, fromCron.to], ["sent", CRON_ALERT, "#ops"]);
    const cronPrompt = String(
      (upstream.requestsOf("hb")[2] as { messages: { content: unknown }[] }).messages.at(-1)!.content,
    );
    assert.match(cronPrompt, /System: \[[^\]]+\] Backup job finished\./);
    await alice.waitFor((m) => m.some((x) => x.from === BOT && x.text === CRON_ALERT));

    // Outside active hours (a zero-width window) a wake asks no model.
    const before = (await session.request<{ hash: string }>("config.get")).hash;
    await session.request("config.patch", {
      raw: JSON.stringify({ agents: { defaults: { heartbeat: { activeHours: { start: "08:00", end: "08:00" } } } } }),
      baseHash: before,
    });
    await proc.waitForLine(/config hot reload applied/);
    await session.request("wake", { mode: "now", text: "anything?" });
    const quiet = await heartbeat(session, 4);
    assert.deepEqual([quiet.status, quiet.reason], ["skipped", "quiet-hours"]);
    assert.equal(upstream.requestsOf("hb").length, 3);

    // The interval: a 1 s cadence set by reload runs turns by itself.
    const hash = (await session.request<{ hash: string }>("config.get")).hash;
    await session.request("config.patch", {
      raw: JSON.stringify({ agents: { defaults: { heartbeat: { every: "1s", activeHours: null } } } }),
      baseHash: hash,
    });
    const ticked = await heartbeat(session, 5);
    assert.deepEqual([ticked.status, ticked.reason], ["ok-empty", "interval"]);
    const status = await session.request<{ heartbeat: { agents: { enabled: boolean; everyMs: number }[] } }>("status");
    assert.deepEqual([status.heartbeat.agents[0]!.enabled, status.heartbeat.agents[0]!.everyMs], [true, 1000]);

    // set-heartbeats off stops the schedule (the unit tests show no turn runs after it).
    assert.deepEqual(await session.request("set-heartbeats", { enabled: false }), { ok: true, enabled: false });
  } finally {
    session?.stop();
    await alice?.close();
    await proc.stop();
    await upstream.stop();
    await irc.stop();
    await home.cleanup();
  }
});

Deno.test("openclaw system event / heartbeat last / heartbeat disable, as the reference's system CLI", async () => {
  const upstream = startFakeUpstream();
  upstream.script("hb", [{ text: "Nothing new. HEARTBEAT_OK" }]);
  const port = freePort();
  const home = await tempHome({
    gateway: { mode: "local", port, auth: { token: TOKEN } },
    models: { providers: { fake: { baseUrl: upstream.url, api: "openai-completions", models: ["hb"] } } },
    agents: { defaults: { model: { primary: "fake/hb" }, heartbeat: { every: "0m", target: "none" } } },
  });
  const { proc } = await startGateway({ home: home.home, port });
  const cli = (args: string[]) => runOpenclaw(args, { home: home.home });
  try {
    // The reference logs this once its heartbeat runner is up.
    await proc.waitForLine(/\[heartbeat\] started/);
    assert.deepEqual(JSON.parse((await cli(["system", "heartbeat", "last", "--json"])).stdout), null);
    const bad = await cli(["system", "event", "--text", "x", "--mode", "later"]);
    assert.deepEqual([bad.code, bad.stderr.trim()], [1, "--mode must be now or next-heartbeat"]);
    const event = await cli(["system", "event", "--text", "deploy finished", "--mode", "now"]);
    assert.deepEqual([event.code, event.stdout.trim()], [0, "ok"], event.stderr);
    let last: Outcome | null = null;
    await until(async () => {
      last = JSON.parse((await cli(["system", "heartbeat", "last", "--json"])).stdout);
      return last !== null;
    }, "a heartbeat after system event --mode now");
    assert.deepEqual([last!.status, last!.reason], ["ok-token", "wake"]);
    const off = await cli(["system", "heartbeat", "disable", "--json"]);
    assert.deepEqual(JSON.parse(off.stdout), { ok: true, enabled: false });
  } finally {
    await proc.stop();
    await upstream.stop();
    await home.cleanup();
  }
});
