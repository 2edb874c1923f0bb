import assert from "node:assert/strict";
import {
  applyOperations,
  ConfigEditError,
  describePath,
  isProtectedMapPath,
  mergeConfigValue,
  parseSetValue,
  patchOperations,
  sameJson,
} from "../../src/config/config_edit.ts";
import { restoreRedactedValues } from "../../src/config/redaction_restore.ts";
import { buildSecretRef } from "../../src/config/secret_ref_builder.ts";

const refusal = (message: string) => (error: unknown) => error instanceof ConfigEditError && error.message === message;

Deno.test("parseSetValue() parses JSON5 and falls back to the raw string; --strict-json refuses JSON5 and non-JSON", () => {
  assert.equal(parseSetValue("19001", false), 19001);
  assert.equal(parseSetValue("true", false), true);
  assert.deepEqual(parseSetValue("{a:1,}", false), { a: 1 });
  assert.equal(parseSetValue("2h", false), "2h");
  assert.equal(parseSetValue("/usr/bin/google-chrome", false), "/usr/bin/google-chrome");
  assert.equal(parseSetValue('"quoted"', false), "quoted");
  assert.equal(parseSetValue(" 7 ", true), 7);
  assert.throws(
    () => parseSetValue("{bad", true),
    refusal(
      `Could not parse "{bad" as JSON for --strict-json. Expected property name or '}' in JSON at position 1 (line 1 column 2). Use valid JSON. For structured changes, use a JSON5 config patch object file with \`openclaw config patch --file <path> --dry-run\`. For plain strings, omit --strict-json.`,
    ),
  );
  assert.throws(() => parseSetValue("{a:1}", true), ConfigEditError);
  assert.throws(() => parseSetValue("Infinity", false), ConfigEditError);
});

Deno.test("mergeConfigValue() merges objects deeply and provider model lists by id; scalars cannot merge", () => {
  assert.deepEqual(
    mergeConfigValue({ a: { x: 1, y: 2 }, b: 1 }, { a: { y: 3 }, c: 4 }, ["root"]),
    { a: { x: 1, y: 3 }, b: 1, c: 4 },
  );
  assert.deepEqual(
    mergeConfigValue(
      [{ id: "a", name: "A" }, { id: "b" }],
      [{ id: "a", contextWindow: 9 }, { id: "c" }],
      ["models", "providers", "p", "models"],
    ),
    [{ id: "a", name: "A", contextWindow: 9 }, { id: "b" }, { id: "c" }],
  );
  assert.deepEqual(
    mergeConfigValue({ p: { models: [{ id: "a" }] } }, { p: { models: [{ id: "b" }] } }, ["models", "providers"]),
    { p: { models: [{ id: "a" }, { id: "b" }] } },
  );
  assert.throws(
    () => mergeConfigValue(1, 2, ["gateway", "port"]),
    refusal("Cannot merge gateway.port; use --replace to replace intentionally."),
  );
});

Deno.test("a plain replace of a protected map or model list may not drop entries; --merge and --replace may", () => {
  for (const path of ["agents.defaults.models", "models.providers", "models.providers.x", "plugins.entries"]) {
    assert.ok(isProtectedMapPath(path.split(".")));
  }
  assert.ok(!isProtectedMapPath(["channels", "telegram"]));
  const authored = {
    agents: { defaults: { models: { "openai/gpt-5.4": { alias: "g" } } } },
    models: { providers: { openai: { models: [{ id: "gpt-5.4" }] } } },
  };
  const set = (path: string[], value: unknown, flags = {}) =>
    applyOperations(authored, [{ inputMode: "json", path, value }], flags);
  assert.throws(
    () => set(["agents", "defaults", "models"], { "x/y": {} }),
    refusal(
      "Refusing to replace agents.defaults.models; it would remove existing entries: openai/gpt-5.4. Use --merge to merge object values or --replace to replace intentionally.",
    ),
  );
  assert.throws(
    () => set(["models", "providers", "openai", "models"], [{ id: "other" }]),
    refusal(
      "Refusing to replace models.providers.openai.models; it would remove existing entries: gpt-5.4. Use --merge to merge by id or --replace to replace intentionally.",
    ),
  );
  const merged = set(["agents", "defaults", "models"], { "x/y": {} }, { merge: true });
  assert.ok(merged.ok);
  assert.deepEqual(Object.keys(merged.tree.agents as object), ["defaults"]);
  assert.deepEqual(
    (merged.tree as { agents: { defaults: { models: object } } }).agents.defaults.models,
    { "openai/gpt-5.4": { alias: "g" }, "x/y": {} },
  );
  const replaced = set(["agents", "defaults", "models"], { "x/y": {} }, { replace: true });
  assert.ok(replaced.ok);
  assert.deepEqual((replaced.tree as { agents: { defaults: { models: object } } }).agents.defaults.models, {
    "x/y": {},
  });
  // Adding a key (nothing removed) is allowed without either flag; the input is never mutated.
  assert.ok(set(["agents", "defaults", "models"], { "openai/gpt-5.4": {}, "x/y": {} }).ok);
  assert.deepEqual(authored.agents.defaults.models, { "openai/gpt-5.4": { alias: "g" } });
});

Deno.test("applyOperations() reports the absent path of an unset; a patch delete of an absent path is no error", () => {
  const authored = { ui: { seamColor: "#000000" } };
  assert.deepEqual(applyOperations(authored, [{ inputMode: "unset", path: ["ui", "x"], mutation: "delete" }], {}), {
    ok: false,
    missing: ["ui", "x"],
  });
  const patched = applyOperations(authored, [{ inputMode: "json", path: ["ui", "x"], mutation: "delete" }], {});
  assert.deepEqual(patched, { ok: true, tree: authored });
});

Deno.test("patchOperations(): objects recurse, null deletes, arrays/scalars/SecretRefs set, --replace-path sets whole", () => {
  const ops = patchOperations(
    {
      logging: { level: "debug" },
      ui: null,
      tools: { allow: ["a"] },
      channels: { telegram: { botToken: { source: "env", provider: "default", id: "TG" }, groups: {} } },
    },
    [],
  );
  assert.deepEqual(ops, [
    { inputMode: "json", path: ["logging", "level"], value: "debug" },
    { inputMode: "json", path: ["ui"], mutation: "delete" },
    { inputMode: "json", path: ["tools", "allow"], value: ["a"] },
    {
      inputMode: "json",
      path: ["channels", "telegram", "botToken"],
      value: { source: "env", provider: "default", id: "TG" },
    },
    { inputMode: "json", path: ["channels", "telegram", "groups"], value: {}, mutation: "merge" },
  ]);
  assert.deepEqual(
    patchOperations({ channels: { telegram: { groups: { "-2": { requireMention: false } } } } }, [[
      "channels",
      "telegram",
      "groups",
    ]]),
    [{
      inputMode: "json",
      path: ["channels", "telegram", "groups"],
      value: { "-2": { requireMention: false } },
      mutation: "replace",
    }],
  );
  assert.throws(
    () => patchOperations([1], []),
    refusal("config patch mode error: input must be a JSON5 object patch."),
  );
  assert.throws(
    () => patchOperations({}, []),
    refusal("config patch mode error: input patch did not contain any config updates."),
  );
  assert.throws(
    () => patchOperations({ a: 1 }, [["gateway", "port"]]),
    refusal("config patch mode error: --replace-path gateway.port did not match any value in the input patch."),
  );
});

Deno.test("a patch merges objects, replaces arrays and deletes with null, as the reference's file shows", () => {
  const authored = {
    gateway: { mode: "local", auth: { mode: "token", token: "t" } },
    ui: { seamColor: "#00ff00" },
    channels: { telegram: { groups: { "-1": { requireMention: true } }, allowFrom: ["1", "2"] } },
  };
  const ops = patchOperations({
    ui: null,
    gateway: { auth: { token: "n" } },
    channels: { telegram: { groups: { "-2": { requireMention: false } }, allowFrom: ["3"] } },
  }, []);
  const result = applyOperations(authored, ops, {});
  assert.ok(result.ok);
  assert.deepEqual(result.tree, {
    gateway: { mode: "local", auth: { mode: "token", token: "n" } },
    channels: {
      telegram: { groups: { "-1": { requireMention: true }, "-2": { requireMention: false } }, allowFrom: ["3"] },
    },
  });
});

Deno.test("buildSecretRef() builds {source, provider, id} and checks each part as the reference does", () => {
  assert.deepEqual(buildSecretRef({ provider: "default", source: "env", id: "DISCORD_BOT_TOKEN" }), {
    source: "env",
    provider: "default",
    id: "DISCORD_BOT_TOKEN",
  });
  assert.throws(
    () => buildSecretRef({ provider: "Bad", source: "env", id: "X" }),
    refusal('ref.provider must match /^[a-z][a-z0-9_-]{0,63}$/ (example: "default").'),
  );
  assert.throws(
    () => buildSecretRef({ provider: "default", source: "vault", id: "X" }),
    refusal("ref.source must be one of: env, file, exec, store."),
  );
  assert.throws(
    () => buildSecretRef({ provider: "default", source: "env", id: "lower" }),
    refusal("ref.id must match /^[A-Z][A-Z0-9_]{0,127}$/ for env refs."),
  );
  assert.throws(
    () => buildSecretRef({ provider: "default", source: "file", id: "x" }),
    refusal('ref.id must be an absolute JSON pointer (or "value" for singleValue mode).'),
  );
});

Deno.test("describePath() prints a dotted index that addresses an array as [n]", () => {
  assert.equal(describePath(["list", "0", "id"], { list: [{ id: "a" }] }), "list[0].id");
  assert.equal(describePath(["groups", "0"], { groups: { "0": {} } }), 'groups["0"]');
});

Deno.test("the redaction marker `config get` prints writes back the stored value; with nothing stored it is refused", () => {
  const authored = { gateway: { mode: "local", auth: { mode: "token", token: "${GW_TOKEN}" } } };
  const copied = { mode: "token", token: "__OPENCLAW_REDACTED__" };
  const result = applyOperations(authored, [{ inputMode: "json", path: ["gateway", "auth"], value: copied }], {});
  assert.deepEqual(result, { ok: true, tree: authored });
  assert.throws(
    () => restoreRedactedValues({ gateway: { auth: { password: "__OPENCLAW_REDACTED__" } } }, authored),
    refusal(
      '[config/redaction] Cannot un-redact config key gateway.auth.password as it doesn\'t have any value\nSentinel value "__OPENCLAW_REDACTED__" in key gateway.auth.password is not valid as real data',
    ),
  );
});

Deno.test("sameJson() compares JSON trees deeply with key order aside; arrays keep their order", () => {
  assert.ok(sameJson({ a: 1, b: { c: [1, { d: 2, e: 3 }] } }, { b: { c: [1, { e: 3, d: 2 }] }, a: 1 }));
  assert.ok(!sameJson({ a: [1, 2] }, { a: [2, 1] }));
  assert.ok(!sameJson({ a: 1 }, { a: 1, b: undefined }));
  assert.ok(!sameJson({ a: {} }, { a: [] }));
  assert.ok(!sameJson({ a: null }, { a: {} }));
});
