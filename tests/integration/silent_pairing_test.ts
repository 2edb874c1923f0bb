// Silent local pairing as the reference runs it (docs/gateway/pairing.md): a device that pairs silently on
// loopback is announced (`device.pair.resolved`, approved) and retires the older silent pairings of the same
// local client (an ephemeral state dir mints a new key per run), announcing a retired node removed; the
// reference CLI's `devices list` then shows only the live one. With `gateway.nodes.pairing.autoApproveLocal`
// turned off (applied hot), a new local device waits for approval instead.
import assert from "node:assert/strict";
import { DeviceStore } from "../../src/auth/device_store.ts";
import { openStateDb } from "../../src/state/state_db.ts";
import { newTestDevice } from "../support/device_keys.ts";
import { requirePeer, runPeer } from "../support/peer.ts";
import { referenceCliConfig } from "../support/reference_cli.ts";
import { connectReference } from "../support/reference_client.ts";
import { freePort, startGateway, tempHome } from "../support/spawn_gateway.ts";
import { until } from "../support/until.ts";

const TOKEN = "silent-pairing-token-0123456789abcdef";
const STALE = "stale-ephemeral-node";

Deno.test("a silent local pairing is announced and retires the same client's stale silent pairings", async () => {
  requirePeer();
  const port = freePort();
  const home = await tempHome(referenceCliConfig({ port, token: TOKEN, upstreamUrl: "http://127.0.0.1:9" }));
  // A previous run of the same node host (its own, now lost, key), paired silently two minutes ago.
  const db = openStateDb(home.stateDir);
  try {
    const earlier = new DeviceStore(() => Promise.resolve(db), { now: () => Date.now() - 120_000 });
    await earlier.pair(
      {
        deviceId: STALE,
        publicKey: "pk-stale",
        clientId: "node-host",
        clientMode: "node",
        displayName: "ci-node",
        platform: "linux",
      },
      { role: "node", scopes: [], approvedVia: "silent" },
    );
  } finally {
    db.close();
  }
  const { proc } = await startGateway({ home: home.home, port });
  const watcher = await connectReference({ port, token: TOKEN, scopes: ["operator.admin", "operator.pairing"] });
  const sessions = [watcher];
  try {
    const pruned = proc.waitForLine(
      new RegExp(`device pairing pruned superseded silent pairing device=${STALE} roles=node`),
    );
    const device = newTestDevice();
    const node = await connectReference({
      port,
      token: TOKEN,
      role: "node",
      mode: "node",
      clientName: "node-host",
      displayName: "ci-node",
      scopes: [],
      deviceIdentity: device.deviceIdentity,
      hostDeps: device.hostDeps,
    });
    sessions.push(node);
    const newId = device.deviceIdentity.deviceId;
    await pruned;
    await until(
      () =>
        watcher.events.some((e) =>
          e.event === "device.pair.resolved" &&
          (e.payload as { deviceId: string; decision: string }).deviceId === newId &&
          (e.payload as { decision: string }).decision === "approved"
        ),
      "device.pair.resolved for the silent approval",
    );
    const removed = (await watcher.waitForEvent("node.pair.resolved")).payload as Record<string, unknown>;
    assert.deepEqual({ ...removed, ts: 0 }, { requestId: "", nodeId: STALE, decision: "removed", ts: 0 });

    const where = { home: home.home, stateDir: home.stateDir, configPath: home.configPath };
    const listed = await runPeer(["devices", "list", "--json"], where, { OPENCLAW_GATEWAY_PORT: String(port) });
    assert.equal(listed.code, 0, listed.stdout + listed.stderr);
    const paired = (JSON.parse(listed.stdout).paired as { deviceId: string }[]).map((d) => d.deviceId);
    assert.ok(paired.includes(newId), listed.stdout);
    assert.ok(!paired.includes(STALE), "the stale silent pairing is gone");

    // autoApproveLocal off (hot): a new local device now waits for an operator.
    const hash = (await watcher.request<{ hash: string }>("config.get")).hash;
    const applied = proc.waitForLine(/config hot reload applied/);
    await watcher.request("config.patch", {
      raw: JSON.stringify({ gateway: { nodes: { pairing: { autoApproveLocal: false } } } }),
      baseHash: hash,
    });
    await applied;
    const strict = newTestDevice();
    await assert.rejects(
      connectReference({
        port,
        token: TOKEN,
        scopes: ["operator.read"],
        deviceIdentity: strict.deviceIdentity,
        hostDeps: strict.hostDeps,
      }),
      /pairing required/,
    );
    const pending = await watcher.request<{ pending: { deviceId: string }[] }>("device.pair.list");
    assert.deepEqual(pending.pending.map((p) => p.deviceId), [strict.deviceIdentity.deviceId]);
  } finally {
    for (const session of sessions) session.stop();
    await proc.stop();
    await home.cleanup();
  }
});
