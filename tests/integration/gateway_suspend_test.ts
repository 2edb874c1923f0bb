// Cooperative host suspension against the real program: the reference CLI's `openclaw gateway suspend` and
// `gateway resume` hold and release our gateway; while held, requests, the OpenAI-compatible API and node
// connects are fenced in the reference's words and operators still connect (hello-ok says `prepared`); every
// client hears each phase (`gateway.suspension`). A run in progress makes `suspend` busy; a drain lease waits
// for it and becomes ready when it ends. A channel message that arrives while suspended is answered after resume.
import assert from "node:assert/strict";
import { startFakeTelegram } from "../support/fake_telegram.ts";
import { startFakeUpstream } from "../support/fake_upstream.ts";
import { requirePeer, runPeer } from "../support/peer.ts";
import { referenceCliConfig } from "../support/reference_cli.ts";
import { connectReference } from "../support/reference_client.ts";
import { freePort, runOpenclaw, startGateway, tempHome } from "../support/spawn_gateway.ts";
import { until } from "../support/until.ts";

const TOKEN = "gateway-suspend-token-0123456789abcdef";

/** Our gateway on a fresh home with the reference CLI's config, `/v1/chat/completions` on, and `extra` sections. */
async function suspendableGateway(extra: (upstreamUrl: string) => Record<string, unknown> = () => ({})) {
  const upstream = startFakeUpstream();
  const port = freePort();
  const base = referenceCliConfig({ port, token: TOKEN, upstreamUrl: upstream.url });
  const home = await tempHome({
    ...base,
    gateway: { ...base.gateway, http: { endpoints: { chatCompletions: { enabled: true } } } },
    ...extra(upstream.url),
  });
  const started = await startGateway({ home: home.home, port }).catch(async (error) => {
    await upstream.stop();
    await home.cleanup();
    throw error;
  });
  const where = { home: home.home, stateDir: home.stateDir, configPath: home.configPath };
  return {
    port,
    proc: started.proc,
    upstream,
    where,
    env: { OPENCLAW_GATEWAY_PORT: String(port) },
    stop: async () => {
      await started.proc.stop();
      await upstream.stop();
      await home.cleanup();
    },
  };
}

function phasesOf(events: { event: string; payload: unknown }[]): string[] {
  return events.filter((e) => e.event === "gateway.suspension").map((e) => (e.payload as { phase: string }).phase);
}

Deno.test("the reference CLI suspends and resumes our gateway; while suspended, new work is fenced", async () => {
  requirePeer();
  const gateway = await suspendableGateway();
  const watcher = await connectReference({ port: gateway.port, token: TOKEN, scopes: ["operator.read"] });
  try {
    assert.ok((watcher.hello.features as { methods: string[] }).methods.includes("gateway.suspend.prepare"));
    assert.ok((watcher.hello.features as { events: string[] }).events.includes("gateway.suspension"));
    assert.deepEqual((watcher.hello.snapshot as { suspension: unknown }).suspension, { phase: "accepting" });

    const closed = gateway.proc.waitForLine(/admission closed: suspend phase/);
    const suspended = await runPeer(["gateway", "suspend", "--json"], gateway.where, gateway.env);
    assert.equal(suspended.code, 0, suspended.stdout + suspended.stderr);
    const lease = JSON.parse(suspended.stdout);
    assert.equal(lease.status, "ready");
    assert.match(lease.requestId, /^cli-[0-9a-f]{8}$/);
    assert.equal(typeof lease.suspensionId, "string");
    assert.ok(lease.expiresAtMs > Date.now() + 100_000 && lease.expiresAtMs <= Date.now() + 120_000);
    assert.equal(lease.activeCount, 0);
    assert.deepEqual(lease.blockers, []);
    await closed;
    await until(() => phasesOf(watcher.events).length === 2, "both phases heard");
    assert.deepEqual(phasesOf(watcher.events), ["preparing", "prepared"]);

    // A request on a live connection: refused as the reference refuses it.
    await assert.rejects(watcher.request("health"), (error: Error & { gatewayCode?: string; details?: unknown }) => {
      assert.equal(error.message, "health unavailable during gateway suspension");
      assert.equal(error.gatewayCode, "UNAVAILABLE");
      assert.deepEqual(error.details, { method: "health", reason: "gateway-suspending", phase: "prepared" });
      return true;
    });
    // An operator still connects (to check or resume) and is told the phase; it may read the lease.
    const operator = await connectReference({ port: gateway.port, token: TOKEN, scopes: ["operator.read"] });
    try {
      assert.deepEqual((operator.hello.snapshot as { suspension: unknown }).suspension, { phase: "prepared" });
      const status = await operator.request("gateway.suspend.status", { suspensionId: lease.suspensionId });
      assert.deepEqual(status, { status: "ready", expiresAtMs: lease.expiresAtMs, writeCustody: [] });
    } finally {
      operator.stop();
    }
    // A node may not connect while suspended.
    await assert.rejects(
      connectReference({ port: gateway.port, token: TOKEN, role: "node", mode: "node", clientName: "node-host" }),
      /connect unavailable during gateway suspension/,
    );
    // The OpenAI-compatible API answers 503, before auth.
    const api = await fetch(`http://127.0.0.1:${gateway.port}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "openclaw", messages: [{ role: "user", content: "hi" }] }),
    });
    assert.equal(api.status, 503);
    assert.equal(api.headers.get("retry-after"), "1");
    assert.deepEqual(await api.json(), {
      error: {
        message: "Gateway is temporarily unavailable while suspending or restarting",
        type: "service_unavailable",
        code: "gateway_unavailable",
      },
    });
    // Not ready while suspended (a balancer routes elsewhere), still live.
    const readyz = await fetch(`http://127.0.0.1:${gateway.port}/readyz`);
    assert.equal(readyz.status, 503);
    assert.deepEqual((await readyz.json()).failing, ["gateway-draining"]);
    assert.equal(
      await fetch(`http://127.0.0.1:${gateway.port}/healthz`).then(async (r) => (await r.body?.cancel(), r.status)),
      200,
    );
    // A second suspension is refused while this one holds.
    const second = await runPeer(["gateway", "suspend", "--json"], gateway.where, gateway.env);
    assert.equal(second.code, 1);
    const refused = JSON.parse(second.stdout);
    assert.equal(refused.error.message, "another gateway suspension is already prepared");
    assert.equal(refused.error.details.reason, "gateway-suspension-conflict");

    const reopened = gateway.proc.waitForLine(/admission reopened: suspend phase/);
    const resumed = await runPeer(["gateway", "resume", lease.suspensionId, "--json"], gateway.where, gateway.env);
    assert.equal(resumed.code, 0, resumed.stdout + resumed.stderr);
    assert.deepEqual(JSON.parse(resumed.stdout), { ok: true, status: "running", resumed: true });
    await reopened;
    await until(() => phasesOf(watcher.events).length === 3, "the reopening heard");
    assert.equal(phasesOf(watcher.events)[2], "accepting");
    assert.equal((await watcher.request<{ ok: boolean }>("health")).ok, true, "requests admitted again");
    const again = await runPeer(["gateway", "resume", lease.suspensionId], gateway.where, gateway.env);
    assert.equal(again.code, 0, again.stderr);
    assert.match(
      again.stdout,
      /No matching suspension was held \(lease already expired or resumed\); gateway is running\./,
    );

    // Our own CLI runs the same handshake, in the reference's words.
    const ours = await runOpenclaw(["gateway", "suspend", "--request-id", "snapshot-1"], {
      home: gateway.where.home,
      env: { ...gateway.env, OPENCLAW_GATEWAY_TOKEN: TOKEN },
    });
    assert.equal(ours.code, 0, ours.stderr);
    const id = /Suspension ID: (\S+)/.exec(ours.stdout)?.[1];
    assert.ok(id, ours.stdout);
    assert.match(ours.stdout, /^Gateway suspension prepared\.$/m);
    assert.match(ours.stdout, new RegExp(`^Resume with: openclaw gateway resume ${id}$`, "m"));
    const oursResumed = await runOpenclaw(["gateway", "resume", id], {
      home: gateway.where.home,
      env: { ...gateway.env, OPENCLAW_GATEWAY_TOKEN: TOKEN },
    });
    assert.equal(oursResumed.code, 0, oursResumed.stderr);
    assert.equal(oursResumed.stdout.trim(), "Gateway resumed.");
  } finally {
    watcher.stop();
    await gateway.stop();
  }
});

Deno.test("a run in progress makes the reference CLI's suspend busy; a drain lease waits for it, then is ready", async () => {
  requirePeer();
  const gateway = await suspendableGateway();
  const client = await connectReference({ port: gateway.port, token: TOKEN, scopes: ["operator.admin"] });
  const release = Promise.withResolvers<void>();
  try {
    gateway.upstream.script("m1", [{ text: "A long answer, held open.", hold: release.promise }, { text: "Later." }]);
    const final = client.request<{ status: string }>("agent", {
      message: "take your time",
      sessionKey: "agent:main:main",
      idempotencyKey: crypto.randomUUID(),
    }, { expectFinal: true, timeoutMs: 30_000 });
    await until(() => gateway.upstream.requestsOf("m1").length === 1, "the run reached the model");

    const busy = await runPeer(["gateway", "suspend", "--json"], gateway.where, gateway.env);
    assert.equal(busy.code, 1, busy.stdout + busy.stderr);
    const answer = JSON.parse(busy.stdout);
    assert.equal(answer.status, "busy");
    assert.equal(answer.reason, "active-work");
    assert.equal(answer.retryAfterMs, 20_000);
    assert.deepEqual(answer.blockers, [
      { kind: "embedded-run", count: 1, message: "1 active embedded run(s)" },
      { kind: "root-request", count: 1, message: "1 active gateway request(s): ws:agent" },
    ]);
    assert.equal(answer.activeCount, 2);
    const human = await runPeer(["gateway", "suspend"], gateway.where, gateway.env);
    assert.equal(human.code, 1);
    assert.match(human.stderr + human.stdout, /Gateway suspension is busy \(active-work; 2 active\)\./);
    assert.match(human.stderr + human.stdout, /- 1 active embedded run\(s\)/);
    assert.equal((await client.request<{ ok: boolean }>("health")).ok, true, "a busy answer closes nothing");

    const draining = await client.request<{ status: string; suspensionId: string; blockers: { kind: string }[] }>(
      "gateway.suspend.prepare",
      { requestId: "host-drain-1", drain: true },
    );
    assert.equal(draining.status, "draining");
    assert.deepEqual(draining.blockers.map((b) => b.kind), ["embedded-run", "root-request"]);
    await assert.rejects(
      client.request("chat.send", { sessionKey: "agent:main:other", message: "hi", idempotencyKey: "k1" }),
      /chat\.send unavailable during gateway suspension/,
    );
    release.resolve();
    assert.equal((await final).status, "ok", "the admitted run finished");
    // Polled as a host polls it: the lease becomes ready once the run's bookkeeping has ended too.
    await until(
      async () =>
        (await client.request<{ status: string }>("gateway.suspend.status", { suspensionId: draining.suspensionId }))
          .status === "ready",
      "the drained lease ready",
    );
    assert.deepEqual(await client.request("gateway.suspend.resume", { suspensionId: draining.suspensionId }), {
      ok: true,
      status: "running",
      resumed: true,
    });
  } finally {
    release.resolve();
    client.stop();
    await gateway.stop();
  }
});

Deno.test("a Telegram message that arrives while the gateway is suspended is answered once it resumes", async () => {
  requirePeer();
  const botToken = "123456:suspend-test-token";
  const telegram = startFakeTelegram(botToken);
  const gateway = await suspendableGateway(() => ({
    channels: { telegram: { enabled: true, botToken, apiRoot: telegram.url, dmPolicy: "open", allowFrom: ["*"] } },
  }));
  const client = await connectReference({ port: gateway.port, token: TOKEN, scopes: ["operator.admin"] });
  try {
    await gateway.proc.waitForLine(/telegram\/default: polling as @oc_test_bot/, 20_000);
    const lease = await client.request<{ status: string; suspensionId: string }>("gateway.suspend.prepare", {
      requestId: "host-1",
    });
    assert.equal(lease.status, "ready");
    const held = gateway.proc.waitForLine(/telegram: message held until the gateway resumes \(host suspension\)/);
    telegram.push(telegram.text(42, "are you there?"));
    await held;
    // Held at the fence: no model call, no reply while suspended.
    assert.equal(gateway.upstream.requests.length, 0);
    assert.equal(telegram.sent.filter((m) => m.chatId === 42).length, 0);
    await client.request("gateway.suspend.resume", { suspensionId: lease.suspensionId });
    await telegram.waitForSent((sent) => sent.some((m) => m.chatId === 42), 15_000);
    assert.equal(gateway.upstream.requests.length, 1, "answered once, after the resume");
  } finally {
    client.stop();
    await gateway.stop();
    await telegram.stop();
  }
});
