import assert from "node:assert/strict";
import { resolvePaths } from "../../src/config/paths.ts";
import { resolveGatewayConfig } from "../../src/config/resolve.ts";
import type { RawConfig } from "../../src/config/schema.ts";
import { checkStartGuards, hookRoutingCheck, SIGNATURES } from "../../src/server/guards.ts";
import { hookRoutingError } from "../../src/server/hook_routing.ts";

const paths = resolvePaths({ env: { HOME: "/h" } });

function guard(
  config: RawConfig,
  options: {
    exists?: boolean;
    allowUnconfigured?: boolean;
    bind?: string;
    storedToken?: boolean;
    env?: Record<string, string>;
  } = {},
) {
  const resolved = resolveGatewayConfig({ paths, config, env: options.env ?? {}, flags: { bind: options.bind } });
  return checkStartGuards({
    fileExists: options.exists ?? true,
    resolved,
    allowUnconfigured: options.allowUnconfigured ?? false,
    storedToken: options.storedToken ?? false,
    hookRoutingError,
  })?.message;
}

const local = { gateway: { mode: "local" as const } };

Deno.test("checkStartGuards() refuses a missing config unless --allow-unconfigured", () => {
  assert.equal(guard({}, { exists: false }), SIGNATURES.missingConfig);
  assert.equal(guard({}, { exists: false, allowUnconfigured: true }), undefined);
});

Deno.test("checkStartGuards() refuses a config without gateway.mode", () => {
  assert.equal(guard({ gateway: {} }), SIGNATURES.modeMissing);
});

Deno.test("checkStartGuards() refuses gateway.mode=remote with the runbook's signature", () => {
  const message = guard({ gateway: { mode: "remote" } });
  assert.match(message!, /^Gateway start blocked: set gateway\.mode=local \(current: remote\)/);
});

Deno.test("checkStartGuards() refuses a non-loopback bind without a secret with the runbook's signature", () => {
  const message = guard(local, { bind: "lan" });
  assert.equal(
    message,
    "refusing to bind gateway to 0.0.0.0:18789 without auth\n" +
      "Set gateway.auth.token/password (or OPENCLAW_GATEWAY_TOKEN/OPENCLAW_GATEWAY_PASSWORD) or pass --token/--password.",
  );
  const custom = guard({ gateway: { mode: "local", bind: "custom", customBindHost: "0.0.0.0" } });
  assert.match(custom!, /^refusing to bind gateway to 0\.0\.0\.0:18789 without auth\n/);
});

Deno.test("checkStartGuards() refuses bind lan with auth mode none, after the reference's auth=none warning", () => {
  const resolved = resolveGatewayConfig({
    paths,
    config: { gateway: { mode: "local", auth: { mode: "none" } } },
    env: {},
    flags: { bind: "lan" },
  });
  const refusal = checkStartGuards({ fileExists: true, resolved, allowUnconfigured: false, storedToken: false });
  assert.match(refusal!.message, /^refusing to bind gateway to 0\.0\.0\.0:18789 without auth\n/);
  assert.deepEqual(refusal!.preface, [SIGNATURES.authNone]);
  assert.equal(refusal!.standalone, true, "printed alone, as the reference's gateway run prints it");
});

Deno.test("checkStartGuards(): the mode, password and bind refusals are printed alone; a weak secret's is not", () => {
  const refusal = (config: RawConfig, exists = true) =>
    checkStartGuards({
      fileExists: exists,
      resolved: resolveGatewayConfig({ paths, config, env: {}, flags: {} }),
      allowUnconfigured: false,
      storedToken: false,
    })!;
  assert.equal(refusal({}, false).standalone, true);
  assert.equal(refusal({ gateway: {} }).standalone, true);
  assert.equal(refusal({ gateway: { mode: "remote" } }).standalone, true);
  assert.equal(refusal({ gateway: { mode: "local", auth: { mode: "password" } } }).standalone, true);
  assert.equal(refusal({ gateway: { mode: "local", auth: { token: "changeme" } } }).standalone, false);
});

Deno.test("checkStartGuards() accepts a non-loopback bind with a token or a stored token", () => {
  assert.equal(
    guard({ gateway: { mode: "local", auth: { token: "a-real-token-0123456789" } } }, { bind: "lan" }),
    undefined,
  );
  assert.equal(guard(local, { bind: "lan", env: { OPENCLAW_GATEWAY_PASSWORD: "a-real-password-1" } }), undefined);
  assert.equal(guard(local, { bind: "lan", storedToken: true }), undefined);
});

Deno.test("checkStartGuards() refuses password mode without a password", () => {
  const message = guard({ gateway: { mode: "local", auth: { mode: "password" } } });
  assert.match(message!, /^Gateway auth is set to password, but no password is configured\./);
});

Deno.test("checkStartGuards() refuses weak and placeholder secrets", () => {
  for (const token of ["", "  ", "undefined", "null", "change-me-to-a-long-random-token"]) {
    assert.equal(guard({ gateway: { mode: "local", auth: { token } } }), SIGNATURES.weakToken, token);
  }
  assert.equal(
    guard({ gateway: { mode: "local", auth: { mode: "password", password: "change-me-to-a-strong-password" } } }),
    SIGNATURES.weakPassword,
  );
});

Deno.test("checkStartGuards() passes a normal loopback config", () => {
  assert.equal(guard(local), undefined);
});

Deno.test("checkStartGuards() refuses a hooks config the reference refuses to resolve, in its words", () => {
  const hooks = { enabled: true, token: "hook-token-0123456789", presets: ["gmail"] };
  assert.match(
    guard({ ...local, gateway: { mode: "local", auth: { token: "gateway-token-0123456789abcdef" } }, hooks }) ?? "",
    /^hooks\.allowedSessionKeyPrefixes is required when a hook mapping sessionKey uses templates/,
  );
  assert.equal(
    guard({
      gateway: { mode: "local", auth: { token: "gateway-token-0123456789abcdef" } },
      hooks: { ...hooks, allowedSessionKeyPrefixes: ["hook:"] },
    }),
    undefined,
  );
});

Deno.test("checkStartGuards() gets the hooks routing check only with hooks enabled, and insists on it then", async () => {
  const resolve = (config: RawConfig) => resolveGatewayConfig({ paths, config, env: {}, flags: {} });
  assert.equal(await hookRoutingCheck(resolve(local)), undefined);
  const hooks = { enabled: true, token: "hook-token-0123456789" };
  const withHooks = resolve({ gateway: { mode: "local", auth: { token: "gateway-token-0123456789abcdef" } }, hooks });
  assert.equal(await hookRoutingCheck(withHooks), hookRoutingError);
  assert.throws(
    () => checkStartGuards({ fileExists: true, resolved: withHooks, allowUnconfigured: false, storedToken: false }),
    /hooks are enabled but no hookRoutingError was given/,
  );
});
