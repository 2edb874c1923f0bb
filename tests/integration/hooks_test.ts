import assert from "node:assert/strict";
import { startFakeUpstream } from "../support/fake_upstream.ts";
import { freePort, spawnOpenclaw, startGateway, tempHome } from "../support/spawn_gateway.ts";

const TOKEN = "gateway-token-0123456789abcdef";
const HOOK_TOKEN = "hook-token-0123456789abcdef";

Deno.test("hooks: token from headers only, never the gateway token; wake and agent answer as the reference", async () => {
  const upstream = startFakeUpstream();
  const home = await tempHome({
    gateway: { mode: "local", auth: { token: TOKEN } },
    hooks: { enabled: true, token: HOOK_TOKEN },
    models: { providers: { fake: { baseUrl: upstream.url, models: ["m1"] } } },
    agents: { defaults: { model: { primary: "fake/m1" } } },
  });
  const { proc, port } = await startGateway({ home: home.home });
  const base = `http://127.0.0.1:${port}/hooks`;
  const post = (path: string, body: unknown, token: string | undefined = HOOK_TOKEN) =>
    fetch(`${base}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: typeof body === "string" ? body : JSON.stringify(body),
    });
  try {
    const query = await fetch(`${base}/wake?token=${HOOK_TOKEN}`, { method: "POST" });
    assert.equal(query.status, 400);
    assert.match(await query.text(), /query parameters are not allowed/);
    const get = await fetch(`${base}/wake`, { headers: { authorization: `Bearer ${HOOK_TOKEN}` } });
    assert.equal(get.status, 405);
    assert.equal(get.headers.get("allow"), "POST");
    await get.body?.cancel();
    const operator = await post("/wake", { text: "x" }, TOKEN);
    assert.equal(operator.status, 401, "the gateway token is not a hook token");
    assert.equal(await operator.text(), "Unauthorized");

    assert.deepEqual(await (await post("/wake", { text: "ping" })).json(), {
      ok: true,
      mode: "now",
      eventOutcome: "queued",
    });
    assert.deepEqual(await (await post("/wake", { text: "ping" })).json(), {
      ok: true,
      mode: "now",
      eventOutcome: "coalesced",
    });
    const noText = await post("/wake", {});
    assert.equal(noText.status, 400);
    assert.deepEqual(await noText.json(), { ok: false, error: "text required" });

    const viaHeader = await fetch(`${base}/agent`, {
      method: "POST",
      headers: { "x-openclaw-token": HOOK_TOKEN, "content-type": "application/json" },
      body: JSON.stringify({ message: "hello", waitForCompletion: true }),
    });
    const done = await viaHeader.json();
    assert.equal(done.ok, true);
    assert.equal(done.completion.status, "ok");
    const fireAndForget = await (await post("/agent", { message: "hi" })).json();
    assert.equal(typeof fireAndForget.runId, "string");
    assert.match(
      (await (await post("/agent", { message: "x", sessionKey: "agent:main:main" })).json()).error,
      /allowRequestSessionKey/,
    );
    assert.deepEqual(await (await post("/agent", { message: "x", agentId: "nope" })).json(), {
      ok: false,
      error: 'unknown agentId "nope"',
    });
    const big = await post("/wake", JSON.stringify({ text: "x".repeat(300_000) }));
    assert.equal(big.status, 413);
    await big.body?.cancel();
    const unknown = await post("/nothing-here", { text: "x" });
    assert.equal(unknown.status, 404);
    await unknown.body?.cancel();
  } finally {
    await proc.stop();
    await upstream.stop();
    await home.cleanup();
  }
});

Deno.test("hooks: disabled hooks fall through to 404; an enabled hook needs its own token (exit 78)", async () => {
  const off = await tempHome({ gateway: { mode: "local", auth: { token: TOKEN } } });
  const { proc, port } = await startGateway({ home: off.home });
  try {
    const res = await fetch(`http://127.0.0.1:${port}/hooks/wake`, {
      method: "POST",
      headers: { authorization: `Bearer ${HOOK_TOKEN}` },
    });
    assert.equal(res.status, 404);
    await res.body?.cancel();
  } finally {
    assert.equal(await proc.stop(), 0);
    await off.cleanup();
  }
  for (
    const [hooks, message] of [
      [{ enabled: true }, /hooks\.enabled requires hooks\.token\./],
      [{ enabled: true, token: TOKEN }, /hooks\.token must differ from the gateway token/],
    ] as const
  ) {
    const home = await tempHome({ gateway: { mode: "local", auth: { token: TOKEN } }, hooks });
    try {
      const refused = await spawnOpenclaw(["gateway", "run", "--port", String(freePort())], { home: home.home });
      assert.equal(await refused.exited(), 78);
      assert.match(refused.output, message);
    } finally {
      await home.cleanup();
    }
  }
});
