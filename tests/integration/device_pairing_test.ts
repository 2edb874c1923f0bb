// Device pairing through the real program: a remote device files a request that survives a
// restart, operators hear of it, the real CLI approves it, rotates and revokes its token and
// removes it, and a removed device's connection is closed.
import assert from "node:assert/strict";
import { connectReference, type ReferenceSession } from "../support/reference_client.ts";
import { rawConnect, signDevice } from "../support/raw_socket.ts";
import { freePort, runOpenclaw, startGateway, tempHome } from "../support/spawn_gateway.ts";
import { until } from "../support/until.ts";

const TOKEN = "device-pairing-token-0123456789";
const REMOTE = { headers: { "x-forwarded-for": "203.0.113.50" } };
const READ = ["operator.read"];

Deno.test("a remote device waits for approval across a restart; devices approve/rotate/revoke/remove as the reference", async () => {
  const port = freePort();
  // The trusted proxy lets a socket appear to come from elsewhere (X-Forwarded-For).
  const home = await tempHome({
    gateway: { mode: "local", port, auth: { token: TOKEN }, trustedProxies: ["127.0.0.1"] },
  });
  let { proc } = await startGateway({ home: home.home, port });
  const sessions: ReferenceSession[] = [];
  const cli = async (...args: string[]) => {
    const result = await runOpenclaw(["devices", ...args], { home: home.home });
    assert.equal(result.code, 0, `devices ${args.join(" ")}: ${result.stderr}`);
    return result.stdout;
  };
  try {
    const keys = await crypto.subtle.generateKey({ name: "Ed25519" }, true, ["sign", "verify"]) as CryptoKeyPair;
    const attempt = async () => {
      const socket = await rawConnect(port, REMOTE);
      socket.connect({
        token: TOKEN,
        scopes: READ,
        device: await signDevice(keys, socket.nonce, { token: TOKEN, scopes: READ }),
      });
      return { socket, response: await socket.nextResponse() };
    };
    const first = await attempt();
    const details = (first.response.error as { details: { code: string; requestId: string } }).details;
    assert.equal(details.code, "PAIRING_REQUIRED");

    // Pending requests are kept in the state database: a restart keeps them.
    await proc.stop();
    ({ proc } = await startGateway({ home: home.home, port }));
    const listed = JSON.parse(await cli("list", "--json")) as { pending: { requestId: string; remoteIp: string }[] };
    assert.deepEqual(listed.pending.map((r) => [r.requestId, r.remoteIp]), [[details.requestId, "203.0.113.50"]]);

    const operator = await connectReference({ port, token: TOKEN });
    sessions.push(operator);
    // A retry asking for more supersedes the request: operators hear both.
    const wider = await rawConnect(port, REMOTE);
    const admin = ["operator.admin"];
    wider.connect({
      token: TOKEN,
      scopes: admin,
      device: await signDevice(keys, wider.nonce, { token: TOKEN, scopes: admin }),
    });
    const widerId = ((await wider.nextResponse()).error as { details: { requestId: string } }).details.requestId;
    const requested = await operator.waitForEvent("device.pair.requested");
    assert.equal((requested.payload as { requestId: string }).requestId, widerId);
    const superseded = await operator.waitForEvent("device.pair.resolved");
    assert.deepEqual(
      [(superseded.payload as { requestId: string }).requestId, (superseded.payload as { decision: string }).decision],
      [details.requestId, "rejected"],
    );

    await cli("approve", widerId);
    await until(
      () => operator.events.filter((e) => e.event === "device.pair.resolved").length === 2,
      "device.pair.resolved for the approval",
    );
    const approved = await attempt();
    assert.equal(approved.response.ok, true, JSON.stringify(approved.response));
    const issued = (approved.response.payload as { auth: { deviceToken: string } }).auth;
    assert.equal(typeof issued.deviceToken, "string");
    const { id } = await signDevice(keys, "n", { token: TOKEN });

    const rotated = JSON.parse(await cli("rotate", "--device", id, "--role", "operator")) as Record<string, unknown>;
    assert.equal(rotated.tokenDelivery, "withheld-cross-device");
    assert.equal(rotated.token, undefined);
    const stale = await rawConnect(port, REMOTE);
    stale.connect({
      deviceToken: issued.deviceToken,
      device: await signDevice(keys, stale.nonce, { token: issued.deviceToken }),
    });
    assert.match(((await stale.nextResponse()).error as { message: string }).message, /device token mismatch/);
    const renamed = JSON.parse(await cli("rename", "--device", id, "--name", "Lab laptop", "--json"));
    assert.deepEqual(renamed, { deviceId: id, label: "Lab laptop" });

    // Revoking its token closes its live connection with the reference's 4001; removing forgets it.
    const revoked = JSON.parse(await cli("revoke", "--device", id, "--role", "operator")) as Record<string, unknown>;
    assert.deepEqual([revoked.deviceId, revoked.role, typeof revoked.revokedAtMs], [id, "operator", "number"]);
    assert.deepEqual(await approved.socket.closed, { code: 4001, reason: "device removed" });
    await cli("remove", id);
    const after = JSON.parse(await cli("list", "--json")) as { paired: unknown[] };
    assert.deepEqual(after.paired, []);
  } finally {
    for (const session of sessions) session.stop();
    await proc.stop();
    await home.cleanup();
  }
});
