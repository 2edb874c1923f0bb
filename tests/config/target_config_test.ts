import assert from "node:assert/strict";
import JSON5 from "json5";
import { isJsonObject } from "../../src/log/json_object.ts";
import { type ResolvedTarget, resolveTarget, type TargetFlags } from "../../src/client/target.ts";
import { readTargetConfig } from "../../src/config/target_config.ts";
import { ConfigError } from "../../src/config/errors.ts";
import { detectHostFacts } from "../../src/config/host_facts.ts";
import { loadConfig } from "../../src/config/load.ts";
import { type EnvSnapshot, pathExists, resolvePaths } from "../../src/config/paths.ts";
import { resolveGatewayConfig } from "../../src/config/resolve.ts";
import { currentLogFile } from "../../src/log/log_file_name.ts";
import { readStoredToken, storedTokenPath } from "../../src/state/stored_token.ts";
import { prng } from "../support/prng.ts";

/**
 * `resolveTarget` as it was before the lean config read (main c7f6fac, src/client/target.ts), kept
 * word for word as the reference: the whole config validated by the zod schema, every section resolved.
 */
async function referenceResolveTarget(flags: TargetFlags, env: EnvSnapshot): Promise<ResolvedTarget> {
  const paths = resolvePaths({ env, profile: flags.profile, dev: flags.dev, exists: pathExists });
  let config = {};
  let configExists = false;
  let configError: ConfigError | undefined;
  try {
    const snapshot = await loadConfig(paths.configPath, env);
    config = snapshot.config;
    configExists = snapshot.exists;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    configError = error;
    configExists = true;
  }
  const resolved = resolveGatewayConfig({
    paths,
    config,
    env,
    flags: { port: flags.port },
    host: detectHostFacts(),
    readSecretFile: (path) => Deno.readTextFileSync(path),
  });
  const explicitUrl = flags.url !== undefined;
  const stored = explicitUrl || flags.token !== undefined || resolved.auth.token !== undefined
    ? undefined
    : await readStoredToken(paths.stateDir).catch(() => undefined);
  const token = flags.token ?? (explicitUrl ? undefined : resolved.auth.token ?? stored);
  const tokenSource = flags.token !== undefined
    ? "--token"
    : token === undefined
    ? undefined
    : stored !== undefined
    ? `the stored token file ${storedTokenPath(paths.stateDir)}`
    : resolved.auth.tokenSource === "env"
    ? "OPENCLAW_GATEWAY_TOKEN"
    : `gateway.auth.token in ${paths.configPath}`;
  const password = flags.password ?? (explicitUrl ? undefined : resolved.auth.password);
  return {
    url: flags.url ?? `ws://127.0.0.1:${resolved.port}`,
    token,
    tokenSource,
    password,
    authMode: resolved.auth.mode,
    urlSource: explicitUrl ? "flag" : "local loopback",
    configPath: paths.configPath,
    configExists,
    configError,
    stateDir: paths.stateDir,
    home: paths.home,
    profile: paths.profile,
    bind: resolved.bind,
    bindHost: resolved.host,
    port: resolved.port,
    portSource: resolved.portSource,
    logFile: currentLogFile({
      file: resolved.logging.file,
      directory: `${paths.stateDir}/logs`,
      profile: paths.profile,
    }),
    controlUiBasePath: resolved.controlUi.basePath,
  };
}

/** A target or a thrown error, in a form `deepEqual` compares in full (an error's words and issues). */
async function outcome(resolve: () => Promise<ResolvedTarget>): Promise<unknown> {
  try {
    const target = await resolve();
    const error = target.configError;
    return {
      ...target,
      configError: error && { name: error.name, message: error.message, issues: error.issues, exit: error.exitKind },
    };
  } catch (error) {
    return { threw: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
  }
}

const SCALARS: unknown[] = [
  "",
  "x",
  "local",
  "remote",
  "loopback",
  "lan",
  "custom",
  "tailnet",
  "auto",
  "token",
  "password",
  "none",
  "trusted-proxy",
  "hybrid",
  "off",
  "serve",
  "info",
  "debug",
  "json",
  "main",
  "per-peer",
  "per-group",
  "127.0.0.1",
  "10.0.0.300",
  "/ui/",
  " ui",
  "${GATEWAY_SECRET}",
  "${MISSING_SECRET}",
  "$${GATEWAY_SECRET}",
  "s3cret",
  0,
  1,
  80,
  168,
  169,
  19001,
  65535,
  65536,
  -1,
  1.5,
  60_000,
  60_001,
  1e300,
  true,
  false,
  null,
  [],
  ["a"],
  [1],
  {},
  { source: "env", id: "GATEWAY_SECRET" },
  { source: "file", id: "" },
];

const KEYS: Record<string, string[]> = {
  "": [
    "$schema",
    "gateway",
    "gateway",
    "gateway",
    "logging",
    "meta",
    "logging",
    "session",
    "attachments",
    "meta",
    "wizard",
    "agents",
    "channels",
    "hooks",
    "tools",
    "models",
    "skills",
    "memory",
    "commands",
    "bogus",
  ],
  gateway: [
    "mode",
    "port",
    "bind",
    "customBindHost",
    "auth",
    "trustedProxies",
    "allowRealIpFallback",
    "controlUi",
    "reload",
    "tailscale",
    "limits",
    "remote",
    "bogus",
  ],
  auth: ["mode", "token", "password", "allowTailscale", "rateLimit", "bogus"],
  controlUi: ["enabled", "basePath", "allowedOrigins", "root", "bogus"],
  reload: ["mode", "debounceMs", "bogus"],
  tailscale: ["mode", "preserveFunnel", "bogus"],
  logging: ["level", "consoleLevel", "consoleStyle", "file", "maxFileBytes", "redactPatterns", "bogus"],
  session: ["dmScope", "groupScope", "bogus"],
  attachments: ["ttlHours", "bogus"],
  meta: ["lastTouchedVersion", "migrations", "$include", "bogus"],
  migrations: ["modelPolicyAllowlist", "utilityModelSeparation", "bogus"],
  wizard: ["lastRunAt", "lastRunMode", "accessMode", "bogus"],
  agents: ["defaults", "list"],
};

/** Values the schema accepts for a key (under one parent or another), so the fuzz reaches valid configs often. */
const VALID: Record<string, unknown[]> = {
  $schema: ["https://x"],
  mode: ["local", "remote", "token", "password", "none", "hybrid", "off", "serve"],
  port: [1, 19001, 65535],
  bind: ["loopback", "lan", "auto", "custom"],
  customBindHost: ["127.0.0.1", "10.0.0.300"],
  token: ["s3cret", "${GATEWAY_SECRET}"],
  password: ["pw", "${GATEWAY_SECRET}"],
  allowTailscale: [true],
  trustedProxies: [[], ["127.0.0.1"]],
  allowRealIpFallback: [false],
  enabled: [true, false],
  basePath: ["", "/ui/", "ui", " /x/ "],
  allowedOrigins: [["http://a"]],
  debounceMs: [0, 300, 60_000],
  preserveFunnel: [true],
  level: ["info", "debug", "trace"],
  consoleLevel: ["warn"],
  consoleStyle: ["pretty", "json"],
  file: ["/tmp/x.log", "rel.log"],
  maxFileBytes: [1, 1000],
  redactPatterns: [[], ["a.*"]],
  dmScope: ["main", "per-peer"],
  groupScope: ["per-group"],
  ttlHours: [1, 168],
  lastTouchedVersion: ["2026.9.6"],
  lastRunAt: ["2026-11-30"],
  lastRunMode: ["local", "remote"],
  accessMode: ["full", "guarded"],
  modelPolicyAllowlist: [true],
  utilityModelSeparation: [true],
};

/** Values just outside what the schema accepts for a key: the edges the hand check must draw where the schema does. */
const NEAR: Record<string, unknown[]> = {
  mode: ["LOCAL", "trusted", ""],
  port: [0, 65536, 1.5, "80", -0],
  bind: ["any", "Loopback"],
  customBindHost: ["1.2.3", "a.b.c.d", " 1.2.3.4"],
  token: [1, { source: "env", id: "" }, null],
  password: [false, { id: "x" }],
  debounceMs: [-1, 60_001, 0.5],
  maxFileBytes: [0, 1e300, 2 ** 53],
  ttlHours: [0, 169],
  trustedProxies: ["127.0.0.1", [1]],
  basePath: [1, null],
  level: ["warning", "INFO"],
  dmScope: ["per-channel"],
  lastTouchedVersion: [2026],
  modelPolicyAllowlist: [false, "true"],
  accessMode: ["FULL"],
};

function generate(next: () => number, key: string, depth: number): unknown {
  const keys = KEYS[key];
  if (keys && depth < 4 && next() < 0.93) {
    const node: Record<string, unknown> = {};
    const count = Math.floor(next() * (key === "" ? 4 : 3)) + (key === "" ? 1 : 0);
    for (let i = 0; i < count; i++) {
      const child = keys[Math.floor(next() * keys.length)]!;
      node[child] = generate(next, child, depth + 1);
    }
    return node;
  }
  const valid = VALID[key];
  if (valid && next() < 0.88) return valid[Math.floor(next() * valid.length)];
  const near = NEAR[key];
  if (near && next() < 0.6) return near[Math.floor(next() * near.length)];
  return SCALARS[Math.floor(next() * SCALARS.length)];
}

/** Mostly JSON; sometimes JSON5 forms, broken text, an `$include`, or a top level that is not an object. */
function configText(next: () => number): string {
  const roll = next();
  if (roll < 0.03) return ["", "  \n", "[]", "1", "null", '"x"'][Math.floor(next() * 6)]!;
  const text = JSON.stringify(generate(next, "", 0), null, 2);
  if (roll < 0.06) return text.slice(0, Math.floor(next() * text.length));
  if (roll < 0.09) return `// a comment\n${text.replace(/"([a-zA-Z]+)":/g, "$1:").replace(/\n}$/, ",\n}")}`;
  if (roll < 0.11) return text.replace(/: 1(,?)$/m, ": Infinity$1").replace(/: 80(,?)$/m, ": 0x50$1");
  return text;
}

function pick<T>(next: () => number, choices: T[]): T {
  return choices[Math.floor(next() * choices.length)]!;
}

Deno.test("resolveTarget with the lean config read: the same target or the same error as the zod-validated read, over 3,000 fuzzed configs", async () => {
  const dir = await Deno.makeTempDir({ prefix: "oc-target-" });
  try {
    const next = prng(23);
    const configPath = `${dir}/openclaw.json`;
    let plain = 0, full = 0, invalid = 0;
    for (let round = 0; round < 3000; round++) {
      const text = configText(next);
      await Deno.writeTextFile(configPath, text);
      const env: EnvSnapshot = {
        HOME: dir,
        OPENCLAW_STATE_DIR: `${dir}/state`,
        OPENCLAW_CONFIG_PATH: configPath,
        ...(next() < 0.7 ? { GATEWAY_SECRET: "from-env" } : {}),
        ...(next() < 0.15 ? { OPENCLAW_GATEWAY_PORT: pick(next, ["19002", "abc", "0", "70000"]) } : {}),
        ...(next() < 0.15 ? { OPENCLAW_GATEWAY_TOKEN: "env-token" } : {}),
        ...(next() < 0.1 ? { OPENCLAW_GATEWAY_PASSWORD: "env-password" } : {}),
        ...(next() < 0.1 ? { OPENCLAW_PROFILE: "work" } : {}),
      };
      const flags: TargetFlags = {
        ...(next() < 0.15 ? { url: "ws://127.0.0.1:1" } : {}),
        ...(next() < 0.15 ? { port: pick(next, ["1234", "x", "-1"]) } : {}),
        ...(next() < 0.15 ? { token: "flag-token" } : {}),
        ...(next() < 0.1 ? { password: "flag-password" } : {}),
        ...(next() < 0.1 ? { dev: true } : {}),
      };
      const expected = await outcome(() => referenceResolveTarget(flags, env));
      const actual = await outcome(() => resolveTarget(flags, env));
      assert.deepEqual(actual, expected, `round ${round}: ${JSON.stringify({ text, env, flags })}`);
      try {
        if ((await readTargetConfig(configPath, env)).plain) plain++;
        else full++;
      } catch {
        invalid++;
      }
    }
    // Every branch is exercised: vouched for without the schema, handed to it, and refused by it.
    assert.ok(plain > 300 && full > 300 && invalid > 300, JSON.stringify({ plain, full, invalid }));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

/** A config the hand check vouches for with every key it knows set. */
const FULL_PLAIN = {
  $schema: "https://x",
  gateway: {
    mode: "local",
    port: 19001,
    bind: "custom",
    customBindHost: "127.0.0.1",
    auth: { mode: "token", token: "${GATEWAY_SECRET}", password: "pw", allowTailscale: true },
    trustedProxies: ["127.0.0.1"],
    allowRealIpFallback: false,
    controlUi: { enabled: true, basePath: "ui/", allowedOrigins: ["http://a"] },
    reload: { mode: "hybrid", debounceMs: 300 },
    tailscale: { mode: "off", preserveFunnel: false },
  },
  logging: {
    level: "debug",
    consoleLevel: "warn",
    consoleStyle: "json",
    file: "/tmp/x.log",
    maxFileBytes: 1000,
    redactPatterns: ["a"],
  },
  session: { dmScope: "per-peer", groupScope: "main" },
  attachments: { ttlHours: 24 },
  meta: { lastTouchedVersion: "2026.9.6" },
  wizard: { lastRunAt: "2026-11-30" },
};

function leaves(node: unknown, path: string[] = []): string[][] {
  if (node === null || typeof node !== "object" || Array.isArray(node)) return [path];
  return Object.entries(node).flatMap(([key, child]) => leaves(child, [...path, key]));
}

function withValue(node: unknown, path: string[], value: unknown): unknown {
  if (path.length === 0) return value;
  const object = { ...(node as Record<string, unknown>) };
  object[path[0]!] = withValue(object[path[0]!], path.slice(1), value);
  return object;
}

Deno.test("resolveTarget with the lean config read: every key of a full plain config set to every edge value gives the reference's answer", async () => {
  const dir = await Deno.makeTempDir({ prefix: "oc-target-" });
  try {
    const configPath = `${dir}/openclaw.json`;
    const env: EnvSnapshot = {
      HOME: dir,
      OPENCLAW_STATE_DIR: `${dir}/state`,
      OPENCLAW_CONFIG_PATH: configPath,
      GATEWAY_SECRET: "from-env",
    };
    let compared = 0;
    for (const path of leaves(FULL_PLAIN)) {
      const key = path.at(-1)!;
      for (const value of [...(NEAR[key] ?? []), ...(VALID[key] ?? []), ...SCALARS, undefined, { bogus: 1 }]) {
        // Without `bind: custom`'s host the listener refuses; both reads must agree on that too.
        for (const base of [FULL_PLAIN, withValue(FULL_PLAIN, ["gateway", "bind"], "loopback")]) {
          const text = JSON.stringify(withValue(base, path, value));
          await Deno.writeTextFile(configPath, text);
          const expected = await outcome(() => referenceResolveTarget({}, env));
          const actual = await outcome(() => resolveTarget({}, env));
          assert.deepEqual(actual, expected, text);
          compared++;
        }
      }
    }
    assert.ok(compared > 2000, `${compared} compared`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("readTargetConfig: a plain config is read without the schema, as the schema would give it", async () => {
  const dir = await Deno.makeTempDir({ prefix: "oc-target-" });
  try {
    const path = `${dir}/openclaw.json`;
    const env = { GATEWAY_SECRET: "s" };
    await Deno.writeTextFile(
      path,
      '{ gateway: { mode: "local", port: 19001, auth: { token: "${GATEWAY_SECRET}" } }, meta: { lastTouchedVersion: "2026.9.6" } }',
    );
    const read = await readTargetConfig(path, env);
    assert.equal(read.plain, true);
    assert.deepEqual(read.config, (await loadConfig(path, env)).config);
    // A secret reference is the schema's to judge; the answer is the same.
    await Deno.writeTextFile(path, '{ gateway: { auth: { token: { source: "env", id: "GATEWAY_SECRET" } } } }');
    const referenced = await readTargetConfig(path, env);
    assert.equal(referenced.plain, false);
    assert.deepEqual(referenced.config, (await loadConfig(path, env)).config);
    assert.deepEqual(await readTargetConfig(`${dir}/missing.json`, env), { config: {}, exists: false, plain: true });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("readTargetConfig: a config the schema must judge is parsed once, with the full load's answer", async () => {
  const dir = await Deno.makeTempDir({ prefix: "oc-target-" });
  try {
    const path = `${dir}/openclaw.json`;
    const env = {};
    let parses = 0;
    // Counts the parses and marks what it parsed: a full load that parsed the text again would lose the mark.
    const markingParse = (text: string): unknown => {
      parses++;
      const value: unknown = JSON5.parse(text);
      return isJsonObject(value) ? { ...value, meta: { lastTouchedVersion: "parsed once" } } : value;
    };
    const valid = [
      '{ gateway: { port: 19001 }, agents: { list: [{ id: "main" }] }, channels: { telegram: { enabled: false } } }',
      '{ gateway: { port: 19001, auth: { token: { source: "env", id: "X" } } } }',
      '{ gateway: { port: 19001 }, logging: { level: "info" } }',
    ];
    for (const text of valid) {
      await Deno.writeTextFile(path, text);
      parses = 0;
      const read = await readTargetConfig(path, env, markingParse);
      assert.equal(parses, 1, text);
      const { meta, ...rest } = read.config;
      assert.deepEqual(meta, { lastTouchedVersion: "parsed once" }, text);
      assert.deepEqual(rest, (await loadConfig(path, env)).config, text);
    }
    for (const text of ["{ gateway: { port: 0 }, models: { providers: {} } }", "[1]"]) {
      await Deno.writeTextFile(path, text);
      parses = 0;
      const error = await readTargetConfig(path, env, markingParse).then(() => undefined, (e: Error) => e.message);
      assert.equal(parses, 1, text);
      assert.equal(error, await loadConfig(path, env).then(() => undefined, (e: Error) => e.message), text);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
