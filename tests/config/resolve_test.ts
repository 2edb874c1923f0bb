import assert from "node:assert/strict";
import { resolvePaths } from "../../src/config/paths.ts";
import {
  profilePort,
  resolveBindMode,
  resolveGatewayConfig,
  resolveListen,
  resolvePort,
} from "../../src/config/resolve.ts";

Deno.test("resolvePort() prefers --port over env, config and defaults", () => {
  assert.deepEqual(resolvePort({ flag: "1111", env: "2222", configPort: 3333 }), { port: 1111, source: "flag" });
});

Deno.test("resolvePort() prefers OPENCLAW_GATEWAY_PORT over config", () => {
  assert.deepEqual(resolvePort({ env: "2222", configPort: 3333 }), { port: 2222, source: "env" });
});

Deno.test("resolvePort() accepts host:port and [::1]:port in OPENCLAW_GATEWAY_PORT", () => {
  assert.equal(resolvePort({ env: "127.0.0.1:2223" }).port, 2223);
  assert.equal(resolvePort({ env: "[::1]:2224" }).port, 2224);
});

Deno.test("resolvePort() uses gateway.port, then 18789", () => {
  assert.deepEqual(resolvePort({ configPort: 3333 }), { port: 3333, source: "config" });
  assert.deepEqual(resolvePort({}), { port: 18789, source: "default" });
});

Deno.test("resolvePort() gives --dev 19001 above the config port but below env", () => {
  assert.equal(resolvePort({ dev: true, configPort: 3333 }).port, 19001);
  assert.equal(resolvePort({ dev: true, env: "2222" }).port, 2222);
});

Deno.test("resolvePort() derives a named profile's port as OpenClaw does", () => {
  assert.equal(profilePort("rescue"), 23532);
  assert.equal(profilePort("ops"), 55291);
  assert.deepEqual(resolvePort({ profile: "rescue" }), { port: 23532, source: "profile" });
});

Deno.test("resolvePort() rejects a bad --port with the reference's words", () => {
  assert.throws(() => resolvePort({ flag: "70000" }), /Invalid --port\. Use a port number from 1 to 65535/);
  assert.throws(() => resolvePort({ flag: "abc" }), /Invalid --port/);
  assert.throws(() => resolvePort({ env: "nope" }), /Invalid OPENCLAW_GATEWAY_PORT/);
});

Deno.test("resolveBindMode() prefers --bind, then gateway.bind, then loopback", () => {
  assert.deepEqual(resolveBindMode("lan", "tailnet"), { mode: "lan", source: "flag" });
  assert.deepEqual(resolveBindMode(undefined, "tailnet"), { mode: "tailnet", source: "config" });
  assert.deepEqual(resolveBindMode(undefined, undefined), { mode: "loopback", source: "default" });
  assert.throws(
    () => resolveBindMode("0.0.0.0", undefined),
    /Invalid --bind\. Use "loopback", "lan", "tailnet", "auto", or "custom"\./,
  );
});

Deno.test("resolveListen() maps each bind mode to addresses", () => {
  const host = { inContainer: false, tailnetAddress: undefined };
  assert.deepEqual(resolveListen({ mode: "loopback", customBindHost: undefined, host })[0], {
    host: "127.0.0.1",
    required: true,
  });
  assert.equal(resolveListen({ mode: "lan", customBindHost: undefined, host })[0]!.host, "0.0.0.0");
  assert.equal(resolveListen({ mode: "auto", customBindHost: undefined, host })[0]!.host, "127.0.0.1");
  assert.equal(
    resolveListen({ mode: "auto", customBindHost: undefined, host: { ...host, inContainer: true } })[0]!.host,
    "0.0.0.0",
  );
  assert.equal(resolveListen({ mode: "tailnet", customBindHost: undefined, host })[0]!.host, "127.0.0.1");
  assert.deepEqual(
    resolveListen({ mode: "tailnet", customBindHost: undefined, host: { ...host, tailnetAddress: "100.101.1.2" } }).map(
      (a) => a.host,
    ),
    ["100.101.1.2", "127.0.0.1"],
  );
  assert.deepEqual(resolveListen({ mode: "custom", customBindHost: "10.0.0.5", host }).map((a) => a.host), [
    "10.0.0.5",
    "127.0.0.1",
  ]);
  assert.throws(() => resolveListen({ mode: "custom", customBindHost: undefined, host }), /customBindHost is not set/);
});

const paths = resolvePaths({ env: { HOME: "/h" } });

Deno.test("resolveGatewayConfig() takes --token over config over OPENCLAW_GATEWAY_TOKEN", () => {
  const config = { gateway: { auth: { token: "from-config-0123456789" } } };
  const env = { OPENCLAW_GATEWAY_TOKEN: "from-env-0123456789" };
  assert.equal(
    resolveGatewayConfig({ paths, config, env, flags: { token: "from-flag-0123456789" } }).auth.token,
    "from-flag-0123456789",
  );
  assert.equal(resolveGatewayConfig({ paths, config, env }).auth.token, "from-config-0123456789");
  const fromEnv = resolveGatewayConfig({ paths, config: {}, env });
  assert.equal(fromEnv.auth.token, "from-env-0123456789");
  assert.equal(fromEnv.auth.tokenSource, "env");
});

Deno.test("resolveGatewayConfig() infers password mode when only a password is set", () => {
  const resolved = resolveGatewayConfig({ paths, config: {}, env: { OPENCLAW_GATEWAY_PASSWORD: "pw-0123456789" } });
  assert.equal(resolved.auth.mode, "password");
  assert.equal(resolveGatewayConfig({ paths, config: {}, env: {} }).auth.mode, "token");
});

Deno.test("resolveGatewayConfig() refuses token and password with no mode", () => {
  assert.throws(
    () => resolveGatewayConfig({ paths, config: { gateway: { auth: { token: "a", password: "b" } } }, env: {} }),
    /gateway\.auth\.token and gateway\.auth\.password are both configured, but gateway\.auth\.mode is unset/,
  );
});

Deno.test("resolveGatewayConfig() resolves env and file secret references", () => {
  const byEnv = resolveGatewayConfig({
    paths,
    config: { gateway: { auth: { token: { source: "env", id: "MY_TOKEN" } } } },
    env: { MY_TOKEN: "t-0123456789abcdef" },
  });
  assert.equal(byEnv.auth.token, "t-0123456789abcdef");
  const byFile = resolveGatewayConfig({
    paths,
    config: { gateway: { auth: { token: { source: "file", id: "/run/secret" } } } },
    env: {},
    readSecretFile: () => "file-secret-0123\n",
  });
  assert.equal(byFile.auth.token, "file-secret-0123");
  assert.throws(
    () =>
      resolveGatewayConfig({ paths, config: { gateway: { auth: { token: { source: "env", id: "NOPE" } } } }, env: {} }),
    /refers to environment variable NOPE, which is not set/,
  );
});

Deno.test("resolveGatewayConfig() lets OPENCLAW_LOG_LEVEL override logging levels", () => {
  const resolved = resolveGatewayConfig({
    paths,
    config: { logging: { level: "warn" } },
    env: { OPENCLAW_LOG_LEVEL: "debug" },
  });
  assert.equal(resolved.logging.level, "debug");
  assert.equal(resolved.logging.consoleLevel, "debug");
});

Deno.test("resolveGatewayConfig() caps OPENCLAW_TICK_INTERVAL_MS and the handshake timeout where timers overflow", () => {
  const env = { OPENCLAW_TICK_INTERVAL_MS: "99999999999", OPENCLAW_HANDSHAKE_TIMEOUT_MS: "2147483648" };
  const { protocol } = resolveGatewayConfig({ paths, config: {}, env });
  assert.deepEqual(protocol, { tickIntervalMs: 2 ** 31 - 1, handshakeTimeoutMs: 2 ** 31 - 1 });
  const kept = resolveGatewayConfig({ paths, config: {}, env: { OPENCLAW_TICK_INTERVAL_MS: "250" } }).protocol;
  assert.deepEqual(kept, { tickIntervalMs: 250, handshakeTimeoutMs: 15_000 });
});
