import assert from "node:assert/strict";
import { dispatch } from "../../../src/rpc/dispatch.ts";
import type { PairingSetupFacts } from "../../../src/config/pairing_setup_facts.ts";
import { devicePairSetupMethods, JOIN_URL_NEEDS_TLS } from "../../../src/rpc/methods/device_pair_setup.ts";
import { advertisedMethods } from "../../../src/rpc/registry.ts";
import { ProtocolValidators } from "../../../src/rpc/validators.ts";
import { getBootstrapToken } from "../../../src/state/bootstrap_tokens.ts";
import { redeemJoinCode } from "../../../src/state/join_codes.ts";
import { confirmSetupCompletion, recordSetupCompletion } from "../../../src/state/setup_completions.ts";
import { operatorCaller } from "../../support/rpc_caller.ts";
import { tempStateDb } from "../../support/temp_devices.ts";

const NOW = 1_800_000_000_000;
const LOOPBACK_ONLY =
  "Gateway is only bound to loopback. Set gateway.bind=lan, enable tailscale serve, or configure plugins.entries.device-pair.config.publicUrl.";

const FACTS: PairingSetupFacts = {
  authMode: "token",
  token: "secret",
  tlsEnabled: false,
  port: 18789,
  configuredPublicUrl: "ws://127.0.0.1:18789",
  remoteMode: false,
};

function harness(facts: PairingSetupFacts = FACTS) {
  const { db } = tempStateDb();
  const methods = devicePairSetupMethods({
    stateDb: () => Promise.resolve(db),
    facts: () => facts,
    addresses: () => [],
    now: () => NOW,
  });
  const deps = { methods, validators: new ProtocolValidators(), onUnexpected: () => {} };
  const call = (method: string, params: unknown, scopes = ["operator.admin"]) =>
    dispatch(deps, { method, params, caller: operatorCaller(scopes) });
  return { db, methods, call };
}

function decode(code: string) {
  return JSON.parse(atob(code.replace(/-/g, "+").replace(/_/g, "/")));
}

Deno.test("device.pair.setupCode issues a full code with its QR, as the reference answers the Control UI", async () => {
  const { db, call } = harness();
  const answer = await call("device.pair.setupCode", {});
  assert.ok(answer.ok);
  const result = answer.payload as Record<string, unknown>;
  assert.deepEqual(Object.keys(result), [
    "setupId",
    "expiresAtMs",
    "setupCode",
    "qrDataUrl",
    "gatewayUrl",
    "auth",
    "urlSource",
    "access",
  ]);
  assert.equal(result.expiresAtMs, NOW + 600_000);
  assert.match(result.qrDataUrl as string, /^data:image\/png;base64,iVBORw0KGgo/);
  assert.deepEqual([result.gatewayUrl, result.auth, result.urlSource, result.access], [
    "ws://127.0.0.1:18789",
    "token",
    "plugins.entries.device-pair.config.publicUrl",
    "full",
  ]);
  const payload = decode(result.setupCode as string);
  assert.deepEqual(Object.keys(payload), ["url", "bootstrapToken", "expiresAtMs"]);
  const row = getBootstrapToken(db, payload.bootstrapToken);
  assert.equal(row?.setupId, result.setupId);
  assert.equal(row?.profile.purpose, "mobile-full");
});

Deno.test("device.pair.setupCode: limited and node profiles, a request publicUrl, the plain-ws downgrade", async () => {
  const { call } = harness();
  const limited = await call("device.pair.setupCode", { bootstrapProfile: "limited", includeQr: false });
  assert.equal((limited.payload as { access: string }).access, "limited");
  assert.equal("qrDataUrl" in (limited.payload as object), false);
  const node = await call("device.pair.setupCode", { bootstrapProfile: "node", includeQr: false });
  assert.equal((node.payload as { access: string }).access, "node");
  const lan = await call("device.pair.setupCode", { includeQr: false, publicUrl: "ws://192.168.1.5:1234" });
  assert.deepEqual(
    ((p) => [p.gatewayUrl, p.urlSource, p.access, p.accessDowngraded])(lan.payload as Record<string, unknown>),
    ["ws://192.168.1.5:1234", "request.publicUrl", "limited", true],
  );
});

Deno.test("device.pair.setupCode with joinUrl: a node code behind /j/<shortcode>, loopback or TLS only", async () => {
  const { db, call } = harness();
  const answer = await call("device.pair.setupCode", { includeQr: false, joinUrl: true });
  assert.ok(answer.ok);
  const result = answer.payload as Record<string, string>;
  assert.equal(result.access, "node");
  const match = /^http:\/\/127\.0\.0\.1:18789\/j\/([A-Za-z0-9_-]{22})$/.exec(result.joinUrl ?? "");
  assert.ok(match, `not a join URL: ${result.joinUrl}`);
  assert.deepEqual(redeemJoinCode(db, match[1]!, NOW + 1), decode(result.setupCode!));

  const limited = await call("device.pair.setupCode", { joinUrl: true, bootstrapProfile: "limited" });
  assert.deepEqual(limited, {
    ok: false,
    error: { code: "INVALID_REQUEST", message: "Join URLs require bootstrapProfile=node." },
  });
  const lan = await call("device.pair.setupCode", { joinUrl: true, publicUrl: "ws://192.168.1.5:1234" });
  assert.deepEqual(lan, { ok: false, error: { code: "UNAVAILABLE", message: JOIN_URL_NEEDS_TLS } });
});

Deno.test("device.pair.setupCode refuses in the reference's words: loopback only, no auth, bad params, no admin", async () => {
  const loopback = harness({ ...FACTS, configuredPublicUrl: undefined });
  assert.deepEqual(await loopback.call("device.pair.setupCode", {}), {
    ok: false,
    error: { code: "INVALID_REQUEST", message: LOOPBACK_ONLY },
  });
  const none = harness({ ...FACTS, authMode: undefined, token: undefined });
  assert.deepEqual(await none.call("device.pair.setupCode", {}), {
    ok: false,
    error: { code: "INVALID_REQUEST", message: "Gateway auth is not configured (no token or password)." },
  });
  const { call } = harness();
  const extra = await call("device.pair.setupCode", { foo: 1 });
  assert.equal(extra.ok, false);
  assert.equal(
    (extra as { error: { message: string } }).error.message,
    "invalid device.pair.setupCode params: at root: unexpected property 'foo'",
  );
  const pairing = await call("device.pair.setupCode", {}, ["operator.pairing"]);
  assert.equal((pairing as { error: { message: string } }).error.message, "missing scope: operator.admin");
});

Deno.test("device.pair.setupCode prefers gateway.remote.url with preferRemoteUrl, ignores it in remote mode", async () => {
  const remote = { ...FACTS, configuredPublicUrl: undefined, remoteUrl: "wss://gw.example.com" };
  const preferred = await harness(remote).call("device.pair.setupCode", { includeQr: false, preferRemoteUrl: true });
  assert.equal((preferred.payload as { urlSource: string }).urlSource, "gateway.remote.url");
  const remoteMode = await harness({ ...remote, remoteMode: true }).call("device.pair.setupCode", {});
  assert.deepEqual(remoteMode, { ok: false, error: { code: "INVALID_REQUEST", message: LOOPBACK_ONLY } });
});

Deno.test("device.pair.setupStatus answers {}, deliveryUncertain, then completion; both methods stay out of hello-ok", async () => {
  const { db, methods, call } = harness();
  assert.deepEqual(await call("device.pair.setupStatus", { setupId: "s1" }), { ok: true, payload: {} });
  const outcome = { setupId: "s1", deviceId: "d1", access: "node", ts: NOW };
  recordSetupCompletion(db, { setupId: "s1", deviceId: "d1", access: "node", now: NOW });
  assert.deepEqual(await call("device.pair.setupStatus", { setupId: "s1" }), {
    ok: true,
    payload: { deliveryUncertain: outcome },
  });
  confirmSetupCompletion(db, { setupId: "s1", deviceId: "d1", now: NOW });
  assert.deepEqual(await call("device.pair.setupStatus", { setupId: "s1" }), {
    ok: true,
    payload: { completion: outcome },
  });
  assert.deepEqual(advertisedMethods(methods), []);
});
