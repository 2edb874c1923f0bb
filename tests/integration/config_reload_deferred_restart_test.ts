// A config edit that needs a restart waits for the run in progress, as the reference's reload does: the gateway
// says what it waits for, keeps serving (and names the pending restart in health), lets the run finish with its
// whole answer, then restarts in place and applies the edit. An edit undone while it waits calls the restart off.
import assert from "node:assert/strict";
import { startFakeUpstream } from "../support/fake_upstream.ts";
import { referenceCliConfig } from "../support/reference_cli.ts";
import { connectReference, type ReferenceSession } from "../support/reference_client.ts";
import { freePort, type OpenclawProcess, startGateway, tempHome } from "../support/spawn_gateway.ts";
import { until } from "../support/until.ts";

const TOKEN = "deferred-restart-token-0123456789abcdef";

/** A gateway with one agent run held open at its model; `body` edits the config meanwhile and releases the run. */
async function withHeldRun(
  body: (ctx: {
    port: number;
    config: ReturnType<typeof referenceCliConfig>;
    configPath: string;
    proc: OpenclawProcess;
    client: ReferenceSession;
    release(): void;
    final: Promise<{ status: string }>;
  }) => Promise<void>,
  env: Record<string, string> = {},
): Promise<void> {
  const upstream = startFakeUpstream();
  const port = freePort();
  const config = referenceCliConfig({ port, token: TOKEN, upstreamUrl: upstream.url });
  const home = await tempHome(config);
  const { proc } = await startGateway({ home: home.home, port, env });
  const client = await connectReference({ port, token: TOKEN, scopes: ["operator.admin"] });
  const held = Promise.withResolvers<void>();
  try {
    upstream.script("m1", [{ text: "A long answer, held open.", hold: held.promise }]);
    const final = client.request<{ status: string }>("agent", {
      message: "take your time",
      sessionKey: "agent:main:main",
      idempotencyKey: crypto.randomUUID(),
    }, { expectFinal: true, timeoutMs: 30_000 });
    await until(() => upstream.requestsOf("m1").length === 1, "the run reached the model");
    await body({ port, config, configPath: home.configPath, proc, client, release: () => held.resolve(), final });
  } finally {
    held.resolve();
    client.stop();
    await proc.stop();
    await upstream.stop();
    await home.cleanup();
  }
}

/** The config with the Control UI moved to `basePath`: a key that needs a restart. */
function withBasePath(config: ReturnType<typeof referenceCliConfig>, basePath: string): string {
  return JSON.stringify({ ...config, gateway: { ...config.gateway, controlUi: { basePath } } }, null, 2);
}

Deno.test("a config edit that needs a restart waits for the run in progress, then restarts and applies it", async () => {
  await withHeldRun(async ({ port, config, configPath, proc, client, release, final }) => {
    // The operator's hand edit.
    await Deno.writeTextFile(configPath, withBasePath(config, "/ui"));
    await proc.waitForLine(
      /config change requires gateway restart \(gateway\.controlUi\.basePath\) — deferring until 1 operation\(s\), 1 embedded run\(s\), 1 gateway request\(s\) complete/,
    );
    const health = await client.request<{ ok: boolean; configReload: { pendingRestart: string[] } }>("health");
    assert.equal(health.ok, true, "still serving while it waits");
    assert.deepEqual(health.configReload.pendingRestart, ["gateway.controlUi.basePath"]);
    assert.ok(!proc.output.includes("restarted in place"), "nothing restarted while the run went on");

    release();
    assert.equal((await final).status, "ok", "the run finished, not cut off");
    await proc.waitForLine(/restarted in place \(config reload: gateway\.controlUi\.basePath\)$/, 15_000);
    assert.equal(proc.output.match(/restarted in place/g)?.length, 1, "one restart for the edit (seen once)");
    const after = await connectReference({ port, token: TOKEN, scopes: ["operator.admin"] });
    try {
      const got = await after.request<{ appliedConfigHash: string; hash: string }>("config.get");
      assert.equal(got.appliedConfigHash, got.hash, "the edit is in force after the restart");
      const idle = await after.request<{ configReload: { pendingRestart: string[] } }>("health");
      assert.deepEqual(idle.configReload.pendingRestart, []);

      // Nothing running: a write over RPC restarts (once its own answer is out, if its request is still counted).
      await after.request("config.patch", {
        raw: JSON.stringify({ gateway: { controlUi: { basePath: "/console" } } }),
        baseHash: got.hash,
      });
      await until(() => (proc.output.match(/restarted in place/g)?.length ?? 0) === 2, "the second restart");
    } finally {
      after.stop();
    }
  });
});

Deno.test("an edit undone while its restart waits for a run calls the restart off", async () => {
  await withHeldRun(async ({ config, configPath, proc, client, release, final }) => {
    const original = await Deno.readTextFile(configPath);
    await Deno.writeTextFile(configPath, withBasePath(config, "/ui"));
    await proc.waitForLine(/config change requires gateway restart \(gateway\.controlUi\.basePath\) — deferring/);
    // Undone by hand: the file is the config in force again.
    await Deno.writeTextFile(configPath, original);
    await proc.waitForLine(/deferred gateway restart called off: the config in force no longer needs it/);
    const health = await client.request<{ configReload: { pendingRestart: string[] } }>("health");
    assert.deepEqual(health.configReload.pendingRestart, []);
    release();
    assert.equal((await final).status, "ok");
    // Three ticks after the run (300 ms each here), on the same connection: no restart came.
    const ticks = () => client.events.filter((e) => e.event === "tick").length;
    const seen = ticks();
    await until(() => ticks() >= seen + 3, "three more ticks");
    assert.ok(!proc.output.includes("restarted in place"), "the called-off restart did not happen");
    assert.equal(client.events.some((e) => e.event === "shutdown"), false);
  }, { OPENCLAW_TICK_INTERVAL_MS: "300" });
});
