import assert from "node:assert/strict";
import {
  encodeSetupCode,
  joinUrlBase,
  normalizeGatewayUrl,
  parseSetupPayload,
  type QrSetupInput,
  resolveQrSetup,
} from "../../src/state/pairing_setup.ts";
import { LIMITED_SETUP_PROFILE, VOICE_NODE_SETUP_PROFILE } from "../../src/state/bootstrap_profile.ts";

const BASE: QrSetupInput = { authMode: "token", token: "t", port: 18789, preferRemoteUrl: false, addresses: [] };

Deno.test("resolveQrSetup() refuses as the recorded reference: no auth, loopback only, public ws://", () => {
  assert.deepEqual(resolveQrSetup({ ...BASE, authMode: undefined, token: undefined }), {
    ok: false,
    error: "Gateway auth is not configured (no token or password).",
  });
  assert.deepEqual(resolveQrSetup(BASE), {
    ok: false,
    error:
      "Gateway is only bound to loopback. Set gateway.bind=lan, enable tailscale serve, or configure plugins.entries.device-pair.config.publicUrl.",
  });
  const publicUrl = resolveQrSetup({ ...BASE, publicUrl: "ws://8.8.8.8:18789" });
  assert.equal(publicUrl.ok, false);
  assert.match(
    (publicUrl as { error: string }).error,
    /^Tailscale and public mobile pairing require a secure gateway URL \(wss:\/\/\).*Resolved source: plugins\.entries\.device-pair\.config\.publicUrl\./,
  );
  assert.deepEqual(resolveQrSetup({ ...BASE, bind: "lan" }), {
    ok: false,
    error: "gateway.bind=lan set, but no private LAN IP was found.",
  });
});

Deno.test("resolveQrSetup() keeps full access on loopback and wss://, downgrades private-LAN ws://", () => {
  const loopback = resolveQrSetup({ ...BASE, publicUrl: "ws://127.0.0.1:18789" });
  assert.ok(loopback.ok);
  assert.deepEqual([loopback.url, loopback.urlSource, loopback.accessDowngraded], [
    "ws://127.0.0.1:18789",
    "plugins.entries.device-pair.config.publicUrl",
    false,
  ]);
  const lan = resolveQrSetup({ ...BASE, publicUrl: "ws://192.168.1.5:18789" });
  assert.ok(lan.ok);
  assert.equal(lan.accessDowngraded, true);
  assert.deepEqual(lan.profile, LIMITED_SETUP_PROFILE);
  const secure = resolveQrSetup({
    ...BASE,
    authMode: "password",
    token: undefined,
    password: "pw",
    publicUrl: "wss://gw.example.com",
  });
  assert.ok(secure.ok);
  assert.deepEqual([secure.authLabel, secure.url, secure.accessDowngraded], [
    "password",
    "wss://gw.example.com",
    false,
  ]);
  const voice = resolveQrSetup({ ...BASE, publicUrl: "ws://192.168.1.5:18789", profile: VOICE_NODE_SETUP_PROFILE });
  assert.ok(voice.ok);
  assert.equal(voice.accessDowngraded, false);
});

Deno.test("resolveQrSetup() takes gateway.bind=lan's private address and gateway.remote.url", () => {
  const lan = resolveQrSetup({ ...BASE, bind: "lan", addresses: ["203.0.113.9", "10.1.2.3"] });
  assert.ok(lan.ok);
  assert.deepEqual([lan.url, lan.urlSource], ["ws://10.1.2.3:18789", "gateway.bind=lan"]);
  const remote = resolveQrSetup({ ...BASE, remoteUrl: "wss://gw.example.com/", preferRemoteUrl: true });
  assert.ok(remote.ok);
  assert.deepEqual([remote.url, remote.urlSource], ["wss://gw.example.com", "gateway.remote.url"]);
});

Deno.test("normalizeGatewayUrl() accepts bare hosts and http(s), refuses credentials", () => {
  assert.equal(normalizeGatewayUrl("gw.example.com:8443/path", "wss"), "wss://gw.example.com:8443");
  // As WHATWG URLs (and so the reference) do, the scheme's default port is dropped.
  assert.equal(normalizeGatewayUrl("gw.example.com:443", "wss"), "wss://gw.example.com");
  assert.equal(normalizeGatewayUrl("https://gw.example.com", "ws"), "wss://gw.example.com");
  assert.equal(normalizeGatewayUrl("ws://user:pw@gw.example.com", "ws"), null);
});

Deno.test("encodeSetupCode() is base64url JSON without padding, as the recorded setup codes", () => {
  const code = encodeSetupCode({ url: "ws://127.0.0.1:18789", bootstrapToken: "abc", expiresAtMs: 1 });
  assert.equal(code, "eyJ1cmwiOiJ3czovLzEyNy4wLjAuMToxODc4OSIsImJvb3RzdHJhcFRva2VuIjoiYWJjIiwiZXhwaXJlc0F0TXMiOjF9");
  assert.doesNotMatch(code, /[=+/]/);
});

Deno.test("joinUrlBase() serves joins over https for wss://, plain http on loopback only", () => {
  assert.equal(joinUrlBase("wss://gw.example.com/base/"), "https://gw.example.com/base");
  assert.equal(joinUrlBase("wss://gw.example.com:8443"), "https://gw.example.com:8443");
  assert.equal(joinUrlBase("ws://127.0.0.1:18789"), "http://127.0.0.1:18789");
  assert.equal(joinUrlBase("ws://localhost:18789"), "http://localhost:18789");
  assert.equal(joinUrlBase("ws://192.168.1.5:18789"), undefined);
});

Deno.test("parseSetupPayload() keeps a live, normalized payload and refuses the rest", () => {
  const payload = { url: "ws://127.0.0.1:18789", bootstrapToken: "t", expiresAtMs: 10 };
  assert.deepEqual(parseSetupPayload({ ...payload, extra: 1 }, 9), payload);
  assert.equal(parseSetupPayload(payload, 10), undefined);
  assert.equal(parseSetupPayload({ ...payload, url: "ws://127.0.0.1:18789/" }, 9), undefined);
  assert.equal(parseSetupPayload({ ...payload, bootstrapToken: " " }, 9), undefined);
  assert.equal(parseSetupPayload({ ...payload, expiresAtMs: 1.5 }, 0), undefined);
  assert.equal(parseSetupPayload("x", 0), undefined);
});
