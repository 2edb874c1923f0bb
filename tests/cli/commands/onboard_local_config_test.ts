// What local onboarding merges into the config as written: defaults for what is unset, existing
// settings kept, the reference's refusals of password auth without a password and custom bind.
import assert from "node:assert/strict";
import { type LocalRequest, onboardGateway, onboardTree } from "../../../src/cli/commands/onboard_local_config.ts";

const request: LocalRequest = {
  workspace: "/h/.openclaw/workspace",
  keepWorkspace: false,
  skipBootstrap: false,
  skipSkills: true,
  skipHooks: false,
  generatedToken: "generated",
  now: new Date("2026-12-01T00:00:00.000Z"),
  version: "9.9.9",
};

Deno.test("onboard config: a fresh tree gets token auth on loopback:18789 and the reference's defaults", () => {
  const { tree, gateway } = onboardTree({}, request);
  assert.deepEqual(gateway, { port: 18789, bind: "loopback", authMode: "token", tailscaleMode: "off" });
  assert.deepEqual(tree, {
    agents: { defaults: { workspace: "/h/.openclaw/workspace" } },
    gateway: {
      mode: "local",
      auth: { mode: "token", token: "generated" },
      port: 18789,
      bind: "loopback",
      tailscale: { mode: "off" },
    },
    tools: { profile: "full" },
    hooks: { internal: { entries: { "session-memory": { enabled: true } } } },
    wizard: {
      lastRunAt: "2026-12-01T00:00:00.000Z",
      lastRunVersion: "9.9.9",
      lastRunCommand: "onboard",
      lastRunMode: "local",
    },
  });
});

Deno.test("onboard config: existing settings are kept: password mode, port, a switched-off hook, tools profile", () => {
  const before = {
    gateway: { mode: "local", port: 19999, auth: { mode: "password", password: "keep" } },
    tools: { profile: "coding" },
    hooks: { internal: { entries: { "session-memory": { enabled: false } } } },
    logging: { level: "debug" },
  };
  const { tree, gateway } = onboardTree(before, { ...request, skipSkills: false, skipBootstrap: true });
  assert.deepEqual(gateway, { port: 19999, bind: "loopback", authMode: "password", tailscaleMode: "off" });
  assert.deepEqual(tree.gateway, {
    mode: "local",
    port: 19999,
    auth: { mode: "password", password: "keep" },
    bind: "loopback",
    tailscale: { mode: "off" },
  });
  assert.deepEqual(tree.tools, before.tools);
  assert.deepEqual(tree.hooks, before.hooks);
  assert.deepEqual(tree.logging, before.logging);
  assert.deepEqual(tree.skills, { install: { nodeManager: "npm" } });
  assert.deepEqual(tree.agents, { defaults: { workspace: "/h/.openclaw/workspace", skipBootstrap: true } });
});

Deno.test("onboard config: a configured token is reused; a token ref is left in place", () => {
  const plain = onboardGateway({ gateway: { auth: { token: "mine" } } }, request).gateway;
  assert.deepEqual(plain.auth, { token: "mine", mode: "token" });
  const ref = { source: "env", provider: "default", id: "OPENCLAW_GATEWAY_TOKEN" };
  assert.deepEqual(onboardGateway({ gateway: { auth: { token: ref } } }, request).gateway.auth, {
    token: ref,
    mode: "token",
  });
  assert.deepEqual(onboardGateway({ gateway: { auth: { token: ref } } }, { ...request, token: "given" }).gateway.auth, {
    token: "given",
    mode: "token",
  });
});

Deno.test("onboard config: password auth needs a password; custom bind needs gateway.customBindHost", () => {
  assert.throws(() => onboardGateway({}, { ...request, authMode: "password" }), {
    name: "OnboardRefusal",
    message: "Missing --gateway-password for password auth. Pass --gateway-password or use --gateway-auth token.",
  });
  assert.equal(
    onboardGateway({}, { ...request, authMode: "password", envPassword: "env" }).summary.authMode,
    "password",
  );
  assert.throws(() => onboardGateway({}, { ...request, bind: "custom" }), {
    message:
      "--gateway-bind custom requires gateway.customBindHost: IP address is required for custom bind mode. Set it with openclaw config set gateway.customBindHost <ipv4> and rerun, or run openclaw onboard interactively to be prompted for it.",
  });
  assert.throws(
    () => onboardGateway({ gateway: { customBindHost: "10.0.0.02" } }, { ...request, bind: "custom" }),
    { message: /: Invalid IPv4 address \(e\.g\., 192\.168\.1\.100\)\. Set it/ },
  );
  assert.equal(
    onboardGateway({ gateway: { customBindHost: "10.0.0.2" } }, { ...request, bind: "custom" }).summary.bind,
    "custom",
  );
});
