import assert from "node:assert/strict";
import type { ConfigSnapshot } from "../../src/config/load.ts";
import { devicePairPublicUrl, pairingSetupFacts } from "../../src/config/pairing_setup_facts.ts";
import type { ResolvedConfig } from "../../src/config/resolve.ts";

Deno.test("devicePairPublicUrl() reads plugins.entries.device-pair.config.publicUrl, trimmed", () => {
  const config = (publicUrl: unknown) => ({ plugins: { entries: { "device-pair": { config: { publicUrl } } } } });
  assert.equal(devicePairPublicUrl(config(" wss://gw.example.com ")), "wss://gw.example.com");
  assert.equal(devicePairPublicUrl(config("  ")), undefined);
  assert.equal(devicePairPublicUrl(config(5)), undefined);
  assert.equal(devicePairPublicUrl({}), undefined);
});

Deno.test("pairingSetupFacts() takes the auth mode as written but the port and secrets in force", () => {
  const authored = {
    gateway: {
      mode: "remote",
      bind: "lan",
      tls: { enabled: true },
      remote: { url: "wss://gw.example.com" },
      auth: { token: { source: "env", provider: "default", id: "GW_TOKEN" } },
    },
    plugins: { entries: { "device-pair": { config: { publicUrl: "wss://pair.example.com" } } } },
  };
  const snapshot = { authored, config: authored } as unknown as ConfigSnapshot;
  const resolved = {
    port: 19001,
    auth: { mode: "token", token: "resolved", password: undefined },
  } as unknown as ResolvedConfig;
  assert.deepEqual(pairingSetupFacts(resolved, snapshot), {
    authMode: undefined,
    token: "resolved",
    password: undefined,
    bind: "lan",
    customBindHost: undefined,
    tlsEnabled: true,
    port: 19001,
    remoteUrl: "wss://gw.example.com",
    tailscaleMode: undefined,
    configuredPublicUrl: "wss://pair.example.com",
    remoteMode: true,
  });
});
