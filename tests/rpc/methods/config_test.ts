import assert from "node:assert/strict";
import JSON5 from "json5";
import { configMethods } from "../../../src/rpc/methods/config.ts";
import type { MethodCall } from "../../../src/rpc/registry.ts";
import { configTestDeps } from "../../support/config_deps.ts";

const CALLER: MethodCall["caller"] = {
  connId: "c1",
  role: "operator",
  scopes: ["operator.admin"],
  clientId: "test",
  clientMode: "cli",
  remoteAddr: "127.0.0.1",
};

/** What config.get answers, as far as these tests look. */
interface GetResult {
  valid: boolean;
  raw: string | null;
  parsed: unknown;
  config: unknown;
  hash: string;
  issues: unknown[];
}

/** The value at a dotted path. */
function at(tree: unknown, path: string): unknown {
  return path.split(".").reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], tree);
}

async function withConfig(
  text: string,
  body: (call: (method: string, params?: unknown) => Promise<unknown>, path: string) => Promise<void>,
) {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/openclaw.json`;
  try {
    await Deno.writeTextFile(path, text);
    const methods = configMethods(configTestDeps(path));
    const call = async (method: string, params: unknown = {}) =>
      await methods[method]!.handler({ params, caller: CALLER, accept: () => {} });
    await body(call, path);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const VALID = `{
  // comment kept
  gateway: { mode: "local", auth: { mode: "token", token: "tok" } },
  channels: { telegram: { botToken: "123:abc", webhookSecret: "wh-secret-9" } },
  models: { providers: { p: { baseUrl: "http://127.0.0.1:1/v1", headers: { Authorization: "Bearer header-key" } } } },
}
`;

Deno.test("config.get withholds an invalid file's text: raw and parsed are null", async () => {
  const invalid =
    `{ hooks: { token: "hook-secret-1" }, models: { providers: { p: { apiKey: "sk-live-key" } } }, gateway: { port: "x" } }`;
  await withConfig(invalid, async (call) => {
    const got = await call("config.get") as GetResult;
    assert.equal(got.valid, false);
    assert.equal(got.raw, null);
    assert.equal(got.parsed, null);
    assert.deepEqual(got.config, {});
    assert.ok(got.issues.length > 0, "the issues still say what to fix");
    const text = JSON.stringify(got);
    assert.ok(!text.includes("hook-secret-1") && !text.includes("sk-live-key"), text);
  });
  await withConfig(`{ hooks: { token: "hook-secret-1" `, async (call) => {
    const got = await call("config.get") as GetResult;
    assert.equal(got.raw, null, "an unparseable file too");
    assert.ok(!JSON.stringify(got).includes("hook-secret-1"));
  });
});

Deno.test("config.get redacts in place; config.set with that raw keeps every secret and the comments", async () => {
  await withConfig(VALID, async (call, path) => {
    const got = await call("config.get") as GetResult;
    const raw = got.raw ?? "";
    for (const secret of ['"tok"', "123:abc", "wh-secret-9", "header-key"]) assert.ok(!raw.includes(secret), secret);
    assert.match(raw, /mode: "token"/);
    assert.equal(at(got.parsed, "channels.telegram.webhookSecret"), "__OPENCLAW_REDACTED__");
    assert.equal(at(got.config, "models.providers.p.headers.Authorization"), "__OPENCLAW_REDACTED__");
    const edited = raw.replace('mode: "local"', 'mode: "local", port: 18999');
    const set = await call("config.set", { raw: edited, baseHash: got.hash });
    assert.equal(at(set, "ok"), true);
    const written = await Deno.readTextFile(path);
    assert.match(written, /\/\/ comment kept/, "secrets are put back in place, so the text survives");
    const tree = JSON5.parse(written);
    assert.equal(at(tree, "gateway.auth.token"), "tok");
    assert.equal(at(tree, "gateway.auth.mode"), "token");
    assert.equal(at(tree, "gateway.port"), 18999);
    assert.equal(at(tree, "channels.telegram.botToken"), "123:abc");
    assert.equal(at(tree, "channels.telegram.webhookSecret"), "wh-secret-9");
    assert.equal(at(tree, "models.providers.p.headers.Authorization"), "Bearer header-key");
  });
});

Deno.test("config.patch with a redacted value keeps the stored secret", async () => {
  await withConfig(VALID, async (call, path) => {
    const got = await call("config.get") as GetResult;
    await call("config.patch", {
      raw: JSON.stringify({ channels: { telegram: { webhookSecret: "__OPENCLAW_REDACTED__", dmPolicy: "pairing" } } }),
      baseHash: got.hash,
    });
    const tree = JSON5.parse(await Deno.readTextFile(path));
    assert.equal(at(tree, "channels.telegram.webhookSecret"), "wh-secret-9");
    assert.equal(at(tree, "channels.telegram.dmPolicy"), "pairing");
  });
});

Deno.test("config.get answers in the reference's key order: source, resolved and runtime views, revision and applied hashes", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/openclaw.json`;
  try {
    await Deno.writeTextFile(path, JSON.stringify({ gateway: { mode: "local", auth: { token: "${OC_TEST_TOKEN}" } } }));
    const methods = configMethods(configTestDeps(path, {
      env: { OC_TEST_TOKEN: "from-env-0123456789" },
      appliedHash: () => "applied-1",
    }));
    const got = await methods["config.get"]!.handler({ params: {}, caller: CALLER, accept: () => {} }) as Record<
      string,
      unknown
    >;
    assert.deepEqual(Object.keys(got), [
      "path",
      "includedPaths",
      "includeProvenance",
      "agentRosterIncludeOwned",
      "bindingsIncludeOwned",
      "exists",
      "raw",
      "parsed",
      "sourceConfig",
      "resolved",
      "valid",
      "runtimeConfig",
      "config",
      "hash",
      "issues",
      "warnings",
      "legacyIssues",
      "configRevisionHash",
      "appliedConfigHash",
    ]);
    assert.equal(got.configRevisionHash, got.hash, "the revision is the file's hash");
    assert.equal(got.appliedConfigHash, "applied-1", "the applied hash is the running config's");
    assert.equal(at(got.sourceConfig, "gateway.mode"), "local");
    assert.notEqual(JSON.stringify(got).includes("from-env-0123456789"), true, "no view shows the secret");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
