import assert from "node:assert/strict";
import { tempDeviceStore } from "../support/temp_devices.ts";
import { toBase64Url } from "../../src/auth/device_identity.ts";
import { AuthRateLimiter } from "../../src/auth/rate_limit.ts";
import { type ConnectParams, decideConnect, grantScopes, type HandshakeInput } from "../../src/protocol/handshake.ts";
import { pairedDecision } from "../../src/protocol/pairing_decision.ts";
import { deviceMethods } from "../../src/rpc/methods/devices.ts";
import { OPERATOR_SCOPES } from "../../src/rpc/scopes.ts";
import { operatorCaller } from "../support/rpc_caller.ts";

const TOKEN = "handshake-token-0123456789abcdef";
const UI = { id: "openclaw-control-ui", version: "control-ui", platform: "web", mode: "ui" };
const CLI = { id: "cli", version: "test", platform: "linux", mode: "cli" };

function input(params: Partial<ConnectParams>, extra: Partial<HandshakeInput> = {}): HandshakeInput {
  return {
    params: { minProtocol: 4, maxProtocol: 4, client: CLI, role: "operator", auth: { token: TOKEN }, ...params },
    remoteAddr: "127.0.0.1",
    nonce: "nonce-1",
    auth: { mode: "token", token: TOKEN, password: undefined },
    limiter: new AuthRateLimiter({ maxAttempts: 10, windowMs: 60_000, lockoutMs: 300_000, exemptLoopback: true }),
    devices: tempDeviceStore(),
    direct: true,
    ...extra,
  };
}

/** A browser-like device: signs the v3 payload for the given client, scopes and token. */
async function device(
  keys: CryptoKeyPair,
  client: typeof UI,
  scopes: string[],
  nonce = "nonce-1",
  signed: { role: string; token: string } = { role: "operator", token: TOKEN },
) {
  const raw = new Uint8Array(await crypto.subtle.exportKey("raw", keys.publicKey));
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", raw));
  const id = Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
  const signedAt = Date.now();
  const payload = [
    "v3",
    id,
    client.id,
    client.mode,
    signed.role,
    scopes.join(","),
    signedAt,
    signed.token,
    nonce,
    client.platform,
    "",
  ]
    .join("|");
  const signature = new Uint8Array(
    await crypto.subtle.sign("Ed25519", keys.privateKey, new TextEncoder().encode(payload)),
  );
  return { id, publicKey: toBase64Url(raw), signature: toBase64Url(signature), signedAt, nonce };
}

const newKeys = async () => await crypto.subtle.generateKey("Ed25519", true, ["sign", "verify"]) as CryptoKeyPair;
const ADMIN = ["operator.admin", "operator.read", "operator.write"];

Deno.test("grantScopes: unknown scopes grant nothing; none asked is the ceiling; known ones stay within it", () => {
  assert.deepEqual(grantScopes(["operator.bogus"], OPERATOR_SCOPES), []);
  assert.deepEqual(grantScopes(["admin", "*", "operator.*"], OPERATOR_SCOPES), []);
  assert.deepEqual(grantScopes(["operator.bogus", "operator.read"], OPERATOR_SCOPES), ["operator.read"]);
  assert.deepEqual(grantScopes(undefined, OPERATOR_SCOPES), [...OPERATOR_SCOPES]);
  assert.deepEqual(grantScopes([], OPERATOR_SCOPES), [...OPERATOR_SCOPES]);
  assert.deepEqual(grantScopes(["operator.admin"], ["operator.read"]), []);
});

Deno.test("decideConnect: a connect asking only for unknown scopes gets no scope, admin least of all", async () => {
  const decision = await decideConnect(input({ scopes: ["operator.everything"] }));
  assert.ok(decision.ok);
  assert.deepEqual(decision.identity.scopes, []);
});

Deno.test("decideConnect: a browser client without a device gets no scope from the token alone", async () => {
  // By client id, and by Origin whatever the client claims to be.
  for (const extra of [{ params: { client: UI } }, { params: {}, origin: "http://127.0.0.1:18789" }]) {
    const decision = await decideConnect(input({ ...extra.params, scopes: ADMIN }, { origin: extra.origin }));
    assert.ok(decision.ok);
    assert.deepEqual(decision.identity.scopes, []);
  }
  // A CLI keeps what it asked for.
  const cli = await decideConnect(input({ scopes: ADMIN }));
  assert.ok(cli.ok);
  assert.deepEqual(cli.identity.scopes, ADMIN);
});

Deno.test("decideConnect: a browser device over direct loopback is paired silently and gets a device token", async () => {
  const keys = await newKeys();
  const base = input({ client: UI, scopes: ADMIN, device: await device(keys, UI, ADMIN) }, { origin: "http://x" });
  const decision = await decideConnect(base);
  assert.ok(decision.ok);
  assert.deepEqual(decision.identity.scopes, ADMIN);
  assert.equal(typeof decision.identity.deviceToken?.token, "string");
  assert.equal((await base.devices.get(decision.identity.deviceId!))?.approvedVia, "silent");
  assert.equal(decision.identity.autoApproved, "silent", "announced as a silent approval");
  const again = await decideConnect({ ...base, nonce: "nonce-1" });
  assert.ok(again.ok);
  assert.equal(again.identity.autoApproved, undefined, "a paired device's reconnect approves nothing new");
});

Deno.test("decideConnect: with gateway.nodes.pairing.autoApproveLocal false, a loopback device waits for approval too", async () => {
  const keys = await newKeys();
  const strict = input({ client: UI, scopes: ADMIN, device: await device(keys, UI, ADMIN) }, {
    origin: "http://x",
    autoApproveLocal: false,
  });
  const refused = await decideConnect(strict);
  assert.equal(refused.ok, false);
  assert.equal(!refused.ok && (refused.error.details as { code: string }).code, "PAIRING_REQUIRED");
  assert.equal(await strict.devices.get((await strict.devices.requests.list())[0]!.deviceId), undefined);
  assert.equal((await strict.devices.requests.list()).length, 1, "a request is filed for the operator");
});

Deno.test("decideConnect: a browser device not on direct loopback waits for approval, then connects", async () => {
  const keys = await newKeys();
  const devices = tempDeviceStore();
  const attempt = async () =>
    await decideConnect(
      input({ client: UI, scopes: ADMIN, device: await device(keys, UI, ADMIN) }, {
        devices,
        direct: false,
        remoteAddr: "192.0.2.10",
        origin: "https://gateway.example.ts.net",
      }),
    );
  const first = await attempt();
  assert.ok(!first.ok);
  assert.equal(first.error.code, "NOT_PAIRED");
  assert.equal(first.error.message, "pairing required: device is not approved yet");
  const details = first.error.details as { code: string; reason: string; requestId: string };
  assert.equal(details.code, "PAIRING_REQUIRED");
  assert.equal(details.reason, "not-paired");
  assert.equal(first.closeReason, `pairing required: device is not approved yet (requestId: ${details.requestId})`);
  // A retry reuses the same request.
  const again = await attempt();
  assert.ok(!again.ok);
  assert.equal((again.error.details as { requestId: string }).requestId, details.requestId);

  const methods = deviceMethods({ devices, broadcast: () => {}, closeDevice: () => {}, connected: () => false });
  const caller = operatorCaller;
  const listed = await methods["device.pair.list"]!.handler({
    params: {},
    caller: caller(["operator.pairing"]),
    accept() {},
  });
  assert.deepEqual((listed as { pending: { requestId: string }[] }).pending.map((r) => r.requestId), [
    details.requestId,
  ]);
  // A pairing-scoped approver cannot hand out admin it does not hold.
  await assert.rejects(
    async () =>
      await methods["device.pair.approve"]!.handler({
        params: { requestId: details.requestId },
        caller: caller(["operator.pairing"]),
        accept() {},
      }),
    /missing scope: operator.admin/,
  );
  await methods["device.pair.approve"]!.handler({
    params: { requestId: details.requestId },
    caller: caller(["operator.admin"]),
    accept() {},
  });
  const approved = await attempt();
  assert.ok(approved.ok);
  assert.deepEqual(approved.identity.scopes, ADMIN);
  assert.equal(typeof approved.identity.deviceToken?.token, "string");
});

Deno.test("decideConnect: a paired device asking for more than approved is a scope upgrade, unless direct", async () => {
  const keys = await newKeys();
  const devices = tempDeviceStore();
  const read = ["operator.read"];
  const paired = await decideConnect(
    input({ client: UI, scopes: read, device: await device(keys, UI, read) }, { devices }),
  );
  assert.ok(paired.ok);
  const remote = await decideConnect(
    input({ client: UI, scopes: ADMIN, device: await device(keys, UI, ADMIN) }, { devices, direct: false }),
  );
  assert.ok(!remote.ok);
  assert.equal((remote.error.details as { reason: string }).reason, "scope-upgrade");
  // Within what was approved, a remote connect goes through.
  const narrow = await decideConnect(
    input({ client: UI, scopes: read, device: await device(keys, UI, read) }, { devices, direct: false }),
  );
  assert.ok(narrow.ok);
  assert.deepEqual(narrow.identity.scopes, read);
});

Deno.test("decideConnect: a wrong token is refused and counted; no credential at all is refused, not counted", async () => {
  const wrong = await decideConnect(input({ auth: { token: "wrong" } }, { remoteAddr: "203.0.113.4", direct: false }));
  assert.equal(wrong.ok, false);
  if (wrong.ok) return;
  assert.equal(wrong.countsAsFailure, true);
  assert.equal(wrong.closeCode, 1008);
  assert.deepEqual(wrong.error.details, {
    code: "AUTH_TOKEN_MISMATCH",
    authReason: "token_mismatch",
    canRetryWithDeviceToken: false,
    recommendedNextStep: "update_auth_credentials",
  });
  // No credential and no device: nothing to check, so nothing to count against the address.
  const missing = await decideConnect(input({ auth: {} }, { remoteAddr: "203.0.113.4", direct: false }));
  assert.equal(missing.ok, false);
  if (missing.ok) return;
  assert.equal(missing.countsAsFailure, false);
  assert.deepEqual(missing.error, {
    code: "NOT_PAIRED",
    message: "device identity required",
    details: { code: "DEVICE_IDENTITY_REQUIRED" },
  });
});

Deno.test("decideConnect: after maxAttempts wrong tokens even the right one is held off with retryAfterMs", async () => {
  const limiter = new AuthRateLimiter({ maxAttempts: 2, windowMs: 60_000, lockoutMs: 300_000, exemptLoopback: true });
  const remote = { remoteAddr: "198.51.100.8", direct: false, limiter };
  for (let i = 0; i < 2; i++) assert.equal((await decideConnect(input({ auth: { token: "no" } }, remote))).ok, false);
  const locked = await decideConnect(input({}, remote));
  assert.equal(locked.ok, false);
  if (locked.ok) return;
  assert.equal((locked.error.details as { code: string }).code, "AUTH_RATE_LIMITED");
  assert.equal(locked.error.retryable, true);
  assert.ok((locked.error.retryAfterMs ?? 0) > 0);
  // Another address is unaffected.
  assert.equal((await decideConnect(input({}, { ...remote, remoteAddr: "198.51.100.9" }))).ok, true);
});

Deno.test("decideConnect: protocol outside v4 closes 1002; an unknown role is refused; a node needs a device; auth none grants asked scopes", async () => {
  const old = await decideConnect(input({ minProtocol: 2, maxProtocol: 2 }));
  assert.equal(!old.ok && old.closeCode, 1002);
  assert.equal(!old.ok && (old.error.details as { code: string }).code, "PROTOCOL_MISMATCH");
  const worker = await decideConnect(input({ role: "worker" }));
  assert.equal(!worker.ok && worker.error.message, "invalid role");
  const node = await decideConnect(input({ role: "node" }));
  assert.equal(!node.ok && node.error.message, "device identity required");
  const open = await decideConnect(
    input({ auth: {}, scopes: ["operator.read"] }, { auth: { mode: "none", token: undefined, password: undefined } }),
  );
  assert.deepEqual(open.ok && open.identity, {
    role: "operator",
    scopes: ["operator.read"],
    method: "none",
    deviceId: undefined,
  });
});

Deno.test("pairedDecision: a device paired as operator asking for the node role from elsewhere is a role upgrade", async () => {
  const devices = tempDeviceStore();
  const meta = {
    deviceId: "d-role",
    publicKey: "pk-role",
    clientId: "node-host",
    clientMode: "node",
    platform: "linux",
  };
  await devices.pair(meta, { role: "operator", scopes: ["operator.read"] });
  const decision = await pairedDecision(input({}, { devices, direct: false, remoteAddr: "192.0.2.7" }), {
    deviceId: "d-role",
    publicKey: "pk-role",
    wanted: [],
    method: "token",
    role: "node",
  });
  assert.ok(!decision.ok);
  assert.equal(decision.error.message, "pairing required: device is asking for a higher role than currently approved");
  const details = decision.error.details as { reason: string; requestedRole: string; approvedRoles: string[] };
  assert.deepEqual([details.reason, details.requestedRole, details.approvedRoles], ["role-upgrade", "node", [
    "operator",
  ]]);
  assert.deepEqual((await devices.requests.list()).map((r) => [r.role, r.isRepair]), [["node", true]]);
});

Deno.test("decideConnect: under auth none a node still pairs (silently on loopback, else by approval), so it can be approved and invoked", async () => {
  const NODE = { id: "node-host", version: "test", platform: "linux", mode: "node" };
  const none = { mode: "none" as const, token: undefined, password: undefined };
  const keys = await newKeys();
  const proof = async () => await device(keys, NODE, [], "nonce-1", { role: "node", token: "" });
  const local = input({ client: NODE, role: "node", auth: {}, device: await proof() }, { auth: none });
  const accepted = await decideConnect(local);
  assert.ok(accepted.ok);
  assert.equal(accepted.identity.method, "none");
  assert.equal(typeof accepted.identity.deviceToken?.token, "string");
  const paired = await local.devices.get(accepted.identity.deviceId!);
  assert.deepEqual([paired?.roles, paired?.approvedVia], [["node"], "silent"]);

  const devices = tempDeviceStore();
  const remote = input({ client: NODE, role: "node", auth: {}, device: await proof() }, {
    auth: none,
    devices,
    direct: false,
    remoteAddr: "192.0.2.7",
  });
  const refused = await decideConnect(remote);
  assert.ok(!refused.ok);
  assert.equal((refused.error.details as { code: string }).code, "PAIRING_REQUIRED");
  assert.deepEqual((await devices.requests.list()).map((r) => r.role), ["node"]);
  // An operator under auth none is still let in without pairing.
  const operator = await decideConnect(input({ auth: {}, scopes: ["operator.read"] }, { auth: none, direct: false }));
  assert.ok(operator.ok);
});
