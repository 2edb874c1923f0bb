import assert from "node:assert/strict";
import { startFakeUpstream } from "../support/fake_upstream.ts";
import { IrcTestClient, startIrcServer } from "../support/ngircd.ts";
import { freePort, runOpenclaw, startGateway, tempHome } from "../support/spawn_gateway.ts";
import { until } from "../support/until.ts";

const TOKEN = "cron-irc-token-0123456789abcdef";
const BOT = "cronbot";

Deno.test("cron: an isolated job's answer reaches an IRC channel, and `last` reaches the chat the main session talked on", async () => {
  const irc = await startIrcServer();
  const upstream = startFakeUpstream();
  // The chat model answers the DM; the job's own model (payload.model) writes the digests.
  upstream.script("chat", [{ text: "Hi alice." }]);
  upstream.script("digest", [
    { text: "Digest: all green." },
    { text: "Digest for you: still green." },
    { text: "Nobody's digest." },
  ]);
  const port = freePort();
  const home = await tempHome({
    gateway: { mode: "local", port, auth: { token: TOKEN } },
    models: {
      providers: { fake: { baseUrl: upstream.url, api: "openai-completions", models: ["chat", "digest", "fail"] } },
    },
    agents: { defaults: { model: { primary: "fake/chat" } } },
    channels: {
      irc: {
        host: "127.0.0.1",
        port: irc.port,
        tls: false,
        nick: BOT,
        channels: ["#ops"],
        dmPolicy: "open",
        allowFrom: ["*"],
        messagesPerSecond: 20,
      },
    },
  });
  const { proc } = await startGateway({ home: home.home, port });
  const call = async (method: string, params: unknown) => {
    const out = await runOpenclaw(
      [
        "gateway",
        "call",
        method,
        "--port",
        String(port),
        "--token",
        TOKEN,
        "--json",
        "--params",
        JSON.stringify(params),
      ],
      { home: home.home },
    );
    assert.equal(out.code, 0, `${method}: ${out.stdout}${out.stderr}`);
    return JSON.parse(out.stdout.slice(out.stdout.indexOf("{")));
  };
  let alice: IrcTestClient | undefined;
  try {
    alice = await IrcTestClient.connect(irc.port, "alice");
    await alice.join("#ops");
    await alice.waitForMember("#ops", BOT);

    // An `at` job two seconds out, announced to #ops: the scheduler fires it and the answer arrives there.
    const at = new Date(Date.now() + 2_000).toISOString();
    const added = await call("cron.add", {
      name: "ops digest",
      schedule: { kind: "at", at },
      sessionTarget: "isolated",
      wakeMode: "now",
      payload: { kind: "agentTurn", message: "Write the ops digest.", model: "fake/digest" },
      delivery: { mode: "announce", channel: "irc", to: "#ops" },
    });
    const jobId = added.id as string;
    assert.ok(jobId, JSON.stringify(added));
    const inChannel = await alice.waitFor((m) => m.some((x) => x.target === "#ops" && x.from === BOT));
    assert.deepEqual(inChannel.filter((x) => x.target === "#ops").map((x) => x.text), ["Digest: all green."]);
    await until(async () => {
      const runs = await call("cron.runs", { id: jobId });
      return runs.entries?.length === 1 && runs.entries[0].status === "ok";
    }, "the run in cron.runs");
    const { entries: [run] } = await call("cron.runs", { id: jobId });
    assert.equal(run.deliveryStatus, "delivered");
    assert.equal(run.delivered, true);
    assert.equal(run.summary, "Digest: all green.");
    assert.match(run.sessionKey, new RegExp(`^agent:main:cron:${jobId}`));
    // The delivery trace, in the shape the reference writes (tests/fixtures/reference_cron/delivery_trace.json).
    assert.deepEqual(run.delivery, {
      intended: { channel: "irc", to: "#ops", source: "explicit" },
      resolved: { ok: true, channel: "irc", to: "#ops", accountId: "default", source: "explicit" },
      fallbackUsed: true,
      delivered: true,
    });

    // alice DMs the bot: the main session now last talked on IRC with her.
    await alice.say(BOT, "hello");
    await alice.waitFor((m) => m.some((x) => x.target === "alice" && x.text === "Hi alice."));
    // A job delivering to `last` from the main session (its creating session) goes to that chat.
    const last = await call("cron.add", {
      name: "dm digest",
      schedule: { kind: "every", everyMs: 3_600_000 },
      sessionTarget: "isolated",
      sessionKey: "agent:main:main",
      wakeMode: "now",
      payload: { kind: "agentTurn", message: "Write alice's digest.", model: "fake/digest" },
      delivery: { mode: "announce", channel: "last" },
    });
    await call("cron.run", { id: last.id, mode: "force" });
    await alice.waitFor((m) => m.some((x) => x.target === "alice" && x.text === "Digest for you: still green."));
    // Without a session of its own, the job refuses to inherit the main session's last chat, as the reference does.
    const orphan = await call("cron.add", {
      name: "orphan digest",
      schedule: { kind: "every", everyMs: 3_600_000 },
      sessionTarget: "isolated",
      wakeMode: "now",
      payload: { kind: "agentTurn", message: "Write a digest.", model: "fake/digest" },
      delivery: { mode: "announce" },
    });
    await call("cron.run", { id: orphan.id, mode: "force" });
    await until(async () => (await call("cron.runs", { id: orphan.id })).entries?.length === 1, "the orphan's run");
    const { entries: [refused] } = await call("cron.runs", { id: orphan.id });
    assert.equal(refused.status, "ok");
    assert.equal(refused.deliveryStatus, "not-delivered");
    assert.match(refused.deliveryError, /^Refusing implicit isolated cron delivery/);
    assert.deepEqual(refused.delivery?.resolved?.ok, false);
    assert.equal(refused.delivery?.delivered, false);
    assert.equal(alice.messages.filter((x) => x.from === BOT).length, 3, "nothing more reached IRC");

    // A job that keeps failing: its second consecutive failure alerts its announce target (#ops) once.
    const failing = await call("cron.add", {
      name: "broken digest",
      schedule: { kind: "every", everyMs: 3_600_000 },
      sessionTarget: "isolated",
      wakeMode: "now",
      payload: { kind: "agentTurn", message: "Write a digest.", model: "fake/fail", fallbacks: [] },
      delivery: { mode: "announce", channel: "irc", to: "#ops" },
    });
    const runsOf = async (id: string) => (await call("cron.runs", { id })).entries as Record<string, unknown>[];
    for (const n of [1, 2]) {
      await call("cron.run", { id: failing.id, mode: "force" });
      await until(async () => (await runsOf(failing.id)).length === n, `failing run ${n}`);
    }
    const alert = await alice.waitFor((m) => m.some((x) => x.target === "#ops" && x.text.startsWith("Automation")));
    assert.deepEqual(
      alert.filter((x) => x.target === "#ops" && x.from === BOT).slice(1).map((x) => x.text).slice(0, 2),
      ['Automation "broken digest" failed 2 times', "Cause: format"],
    );
    const [latest] = await runsOf(failing.id);
    assert.equal(latest!.status, "error");
    assert.match(String(latest!.error), /^400 the model provider rejected the request/);
    const job = await call("cron.get", { id: failing.id });
    assert.equal(job.state.consecutiveErrors, 2);
    assert.equal(job.state.lastErrorReason, "format");
    assert.equal(typeof job.state.lastFailureAlertAtMs, "number");
    assert.equal(job.state.lastFailureNotificationDeliveryStatus, "delivered");
  } finally {
    await alice?.close();
    assert.equal(await proc.stop(), 0);
    await upstream.stop();
    await irc.stop();
    await home.cleanup();
  }
});
