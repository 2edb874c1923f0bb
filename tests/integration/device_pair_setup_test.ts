// The Control UI's "pair device" dialog and `openclaw devices join-code` against our gateway, as against the
// reference (answers recorded from OpenClaw 2026.9.6): an operator asks `device.pair.setupCode` through the
// reference client library, a device redeems the code (or fetches it from its join URL), the operator hears
// `device.pair.setup.completed` and `device.pair.setupStatus` answers the completion. Then the reference CLI's
// `devices join-code --json` and `connect <join URL>` pair a reference node host through our gateway.
import assert from "node:assert/strict";
import { bootstrapConnect, deviceIdOf, newDeviceKeys } from "../support/bootstrap_connect.ts";
import { type PeerHome, requirePeer, runPeer, spawnPeer } from "../support/peer.ts";
import { connectReference, type ReferenceSession } from "../support/reference_client.ts";
import { freePort, type OpenclawProcess, startGateway, type TempHome, tempHome } from "../support/spawn_gateway.ts";

const TOKEN = "device-pair-setup-token-0123456789abcdef";
const LOOPBACK_ONLY =
  "Gateway is only bound to loopback. Set gateway.bind=lan, enable tailscale serve, or configure plugins.entries.device-pair.config.publicUrl.";

/** Our gateway on loopback whose setup codes name it by `plugins.entries.device-pair.config.publicUrl`. */
async function setupGateway(
  options: { publicUrl?: boolean } = {},
): Promise<{ proc: OpenclawProcess; port: number; home: TempHome; stop(): Promise<void> }> {
  const port = freePort();
  const home = await tempHome({
    gateway: { mode: "local", port, bind: "loopback", auth: { mode: "token", token: TOKEN } },
    discovery: { mdns: { mode: "off" } },
    update: { checkOnStart: false },
    ...(options.publicUrl === false
      ? {}
      : { plugins: { entries: { "device-pair": { config: { publicUrl: `ws://127.0.0.1:${port}` } } } } }),
  });
  const { proc } = await startGateway({ home: home.home, port });
  return {
    proc,
    port,
    home,
    stop: async () => {
      await proc.stop();
      await home.cleanup();
    },
  };
}

function operator(port: number): Promise<ReferenceSession> {
  return connectReference({ port, token: TOKEN, scopes: ["operator.admin", "operator.pairing", "operator.read"] });
}

function decodeSetupCode(code: string): { url: string; bootstrapToken: string; expiresAtMs: number } {
  return JSON.parse(atob(code.replace(/-/g, "+").replace(/_/g, "/")));
}

Deno.test("device.pair.setupCode's code pairs a phone; operators hear device.pair.setup.completed; setupStatus answers it", async () => {
  const gateway = await setupGateway();
  const session = await operator(gateway.port);
  try {
    // As the reference: callable, not advertised; the setup events are.
    const features = session.hello.features as { methods: string[]; events: string[] };
    assert.equal(features.methods.includes("device.pair.setupCode"), false);
    assert.ok(features.events.includes("device.pair.setup.completed"));
    assert.ok(features.events.includes("device.pair.setup.deliveryUncertain"));

    const setup = await session.request<Record<string, unknown>>("device.pair.setupCode", {});
    assert.deepEqual(Object.keys(setup), [
      "setupId",
      "expiresAtMs",
      "setupCode",
      "qrDataUrl",
      "gatewayUrl",
      "auth",
      "urlSource",
      "access",
    ]);
    assert.match(setup.qrDataUrl as string, /^data:image\/png;base64,/);
    assert.deepEqual([setup.gatewayUrl, setup.auth, setup.urlSource, setup.access], [
      `ws://127.0.0.1:${gateway.port}`,
      "token",
      "plugins.entries.device-pair.config.publicUrl",
      "full",
    ]);
    const setupId = setup.setupId as string;
    assert.deepEqual(await session.request("device.pair.setupStatus", { setupId }), {});

    const payload = decodeSetupCode(setup.setupCode as string);
    assert.equal(payload.expiresAtMs, setup.expiresAtMs);
    const phone = await newDeviceKeys();
    const paired = await bootstrapConnect(gateway.port, {
      keys: phone,
      auth: { bootstrapToken: payload.bootstrapToken },
    });
    assert.equal(paired.response.ok, true, JSON.stringify(paired.response.error));

    const completed = await session.waitForEvent("device.pair.setup.completed");
    const outcome = completed.payload as Record<string, unknown>;
    assert.deepEqual({ ...outcome, ts: typeof outcome.ts }, {
      setupId,
      deviceId: await deviceIdOf(phone),
      deviceName: "Test iPhone",
      access: "full",
      ts: "number",
    });
    assert.deepEqual(await session.request("device.pair.setupStatus", { setupId }), { completion: outcome });
    assert.equal(session.events.some((e) => e.event === "device.pair.setup.deliveryUncertain"), false);
    // The handoff's pairing is announced as the reference announces an approval no operator gave.
    const resolved = (await session.waitForEvent("device.pair.resolved")).payload as Record<string, unknown>;
    assert.deepEqual([resolved.deviceId, resolved.decision], [await deviceIdOf(phone), "approved"]);
  } finally {
    session.stop();
    await gateway.stop();
  }
});

Deno.test("a join URL hands its node code out once; the node host that uses it completes the setup", async () => {
  const gateway = await setupGateway();
  const session = await operator(gateway.port);
  try {
    const setup = await session.request<Record<string, string>>("device.pair.setupCode", {
      includeQr: false,
      joinUrl: true,
    });
    assert.equal(setup.access, "node");
    assert.equal("qrDataUrl" in setup, false);
    assert.match(setup.joinUrl!, new RegExp(`^http://127\\.0\\.0\\.1:${gateway.port}/j/[A-Za-z0-9_-]{22}$`));
    const first = await fetch(setup.joinUrl!);
    assert.equal(first.status, 200);
    assert.equal(first.headers.get("cache-control"), "no-store");
    const payload = await first.json();
    assert.deepEqual(payload, decodeSetupCode(setup.setupCode!));
    const again = await fetch(setup.joinUrl!);
    assert.deepEqual([again.status, await again.json()], [404, { error: "not_found" }]);

    const node = await newDeviceKeys();
    const client = { id: "node-host", version: "2026.9.6", platform: "linux", mode: "node", displayName: "Lab box" };
    const paired = await bootstrapConnect(gateway.port, {
      keys: node,
      client,
      auth: { bootstrapToken: payload.bootstrapToken },
    });
    assert.equal(paired.response.ok, true, JSON.stringify(paired.response.error));
    const completed = await session.waitForEvent("device.pair.setup.completed");
    assert.deepEqual(
      ((p) => [p.setupId, p.deviceId, p.deviceName, p.access])(completed.payload as Record<string, unknown>),
      [setup.setupId, await deviceIdOf(node), "Lab box", "node"],
    );

    // The reference's refusals, in its words and codes.
    await assert.rejects(
      session.request("device.pair.setupCode", { joinUrl: true, bootstrapProfile: "limited" }),
      /Join URLs require bootstrapProfile=node\./,
    );
    await assert.rejects(
      session.request("device.pair.setupCode", { joinUrl: true, publicUrl: "ws://192.168.1.5:1234" }),
      /Error: Join URLs require a TLS gateway endpoint, except for loopback\. Use the setup code directly/,
    );
  } finally {
    session.stop();
    await gateway.stop();
  }
});

Deno.test("device.pair.setupCode refuses a loopback-only gateway in the reference's words", async () => {
  const gateway = await setupGateway({ publicUrl: false });
  const session = await operator(gateway.port);
  try {
    await assert.rejects(session.request("device.pair.setupCode", { includeQr: false, joinUrl: true }), (error) => {
      assert.equal((error as Error).message, LOOPBACK_ONLY);
      return true;
    });
  } finally {
    session.stop();
    await gateway.stop();
  }
});

Deno.test("the reference CLI's devices join-code mints a join URL its connect pairs a node host with", async () => {
  requirePeer();
  const gateway = await setupGateway();
  const where: PeerHome = {
    home: gateway.home.home,
    stateDir: gateway.home.stateDir,
    configPath: gateway.home.configPath,
  };
  const env = { OPENCLAW_GATEWAY_PORT: String(gateway.port) };
  const session = await operator(gateway.port);
  const nodeHome = await tempHome({});
  try {
    const minted = await runPeer(["devices", "join-code", "--json"], where, env);
    assert.equal(minted.code, 0, minted.stdout + minted.stderr);
    const { joinUrl, command } = JSON.parse(minted.stdout);
    assert.match(joinUrl, new RegExp(`^http://127\\.0\\.0\\.1:${gateway.port}/j/[A-Za-z0-9_-]{22}$`));
    assert.equal(command, `npx openclaw connect ${joinUrl}`);
    const text = await runPeer(["devices", "join-code"], where, env);
    assert.equal(text.code, 0, text.stdout + text.stderr);
    assert.match(
      text.stdout,
      /^http:\/\/127\.0\.0\.1:\d+\/j\/\S+\nnpx openclaw connect http:\/\/127\.0\.0\.1:\d+\/j\/\S+\n$/,
    );

    // The reference's node host, in its own home, fetches the payload and connects with its bootstrap token.
    const host = spawnPeer(["connect", joinUrl], {
      home: nodeHome.home,
      stateDir: nodeHome.stateDir,
      configPath: nodeHome.configPath,
    });
    try {
      const completed = await session.waitForEvent("device.pair.setup.completed", 60_000);
      assert.equal((completed.payload as { access: string }).access, "node");
      const list = await runPeer(["devices", "list", "--json"], where, env);
      const { paired } = JSON.parse(list.stdout) as { paired: { deviceId: string; roles: string[] }[] };
      const device = paired.find((d) => d.deviceId === (completed.payload as { deviceId: string }).deviceId);
      assert.deepEqual(device?.roles, ["node"]);
    } finally {
      host.kill("SIGKILL");
      await host.output();
    }
  } finally {
    session.stop();
    await gateway.stop();
    await nodeHome.cleanup();
  }
});
