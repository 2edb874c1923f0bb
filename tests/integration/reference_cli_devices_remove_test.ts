// The reference CLI's `openclaw devices remove` against our gateway: it connects with the shared token and asks for
// `operator.pairing` only, and, as on the reference, that is enough to remove a paired device (a connection that is
// itself another paired device could not).
import assert from "node:assert/strict";
import { newTestDevice } from "../support/device_keys.ts";
import { requirePeer, runPeer } from "../support/peer.ts";
import { startReferenceCliGateway } from "../support/reference_cli_gateway.ts";
import { connectReference } from "../support/reference_client.ts";

const TOKEN = "reference-cli-devices-token-0123456789abcdef";

Deno.test("the reference CLI's devices remove, with the shared token's pairing scope, removes a paired device", async () => {
  requirePeer();
  const gateway = await startReferenceCliGateway(TOKEN);
  const { where, env, port } = gateway;
  try {
    // A device connecting over direct loopback is paired silently.
    const device = newTestDevice();
    const client = await connectReference({
      port,
      token: TOKEN,
      scopes: ["operator.read"],
      deviceIdentity: device.deviceIdentity,
      hostDeps: device.hostDeps,
    });
    client.stop();
    const deviceId = device.deviceIdentity.deviceId;
    const before = await runPeer(["devices", "list", "--json"], where, env);
    assert.equal(before.code, 0, before.stdout + before.stderr);
    assert.ok(JSON.parse(before.stdout).paired.some((d: { deviceId: string }) => d.deviceId === deviceId));

    const removed = await runPeer(["devices", "remove", deviceId, "--json"], where, env);
    assert.equal(removed.code, 0, removed.stdout + removed.stderr);
    assert.equal(JSON.parse(removed.stdout).deviceId, deviceId);
    const after = await runPeer(["devices", "list", "--json"], where, env);
    assert.equal(JSON.parse(after.stdout).paired.some((d: { deviceId: string }) => d.deviceId === deviceId), false);
  } finally {
    await gateway.stop();
  }
});
