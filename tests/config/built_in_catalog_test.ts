// The built-in providers' static catalog and its merge rules in `models list`'s default view, as the
// reference OpenClaw 2026.9.6 applied them (recorded in tests/fixtures/model_catalog/): rows for the
// models the config names only, a configured row first, auth or the default's role deciding what shows.
import assert from "node:assert/strict";
import {
  builtInModel,
  builtInRowsFor,
  keyAvailability,
  normalizeBuiltInModelId,
} from "../../src/config/built_in_catalog.ts";
import { BUILT_IN_MODEL_CATALOG } from "../../src/config/built_in_model_catalog.ts";
import { catalogRows } from "../../src/config/model_catalog_view.ts";
import { referenceConfig } from "../../src/config/model_status_defaults.ts";
import type { RawConfig } from "../../src/config/schema.ts";

/** The config onboard writes with an Anthropic key (the recorded `list` case, trimmed to what matters). */
function onboarded(extra: Record<string, unknown> = {}): RawConfig {
  return {
    agents: { defaults: { model: { primary: "anthropic/claude-opus-5" }, models: { "anthropic/claude-opus-5": {} } } },
    auth: { profiles: { "anthropic:default": { provider: "anthropic", mode: "api_key" } } },
    meta: { migrations: { modelPolicyAllowlist: true } },
    ...extra,
  } as unknown as RawConfig;
}

const KEYED = { available: (provider: string) => provider === "anthropic" };
const NO_KEY = { available: () => false };
const noEnv = () => undefined;

Deno.test("the catalog holds the manifests' anthropic and openai models, without claude-cli rows", () => {
  assert.deepEqual(Object.keys(BUILT_IN_MODEL_CATALOG), ["anthropic", "openai"]);
  assert.deepEqual(builtInModel("anthropic", "claude-opus-5"), {
    id: "claude-opus-5",
    name: "Claude Opus 5",
    input: ["text", "image"],
    contextWindow: 1_000_000,
    reasoning: true,
  });
  assert.equal(builtInModel("openai", "gpt-6-astra")?.contextTokens, 272_000);
  assert.equal(builtInModel("anthropic", "claude-opus-4-8")?.deprecated, true);
  assert.equal(builtInModel("claude-cli", "claude-opus-5"), undefined);
  assert.equal(builtInModel("anthropic", "claude-sonnet-4-6"), undefined, "not in the anthropic manifest");
});

Deno.test("a built-in provider's id aliases normalize provider/<alias> in any case; other ids stay", () => {
  assert.equal(normalizeBuiltInModelId("anthropic", "fable"), "claude-fable-5-1");
  assert.equal(normalizeBuiltInModelId("anthropic", "Sonnet"), "claude-sonnet-5");
  assert.equal(normalizeBuiltInModelId("anthropic", "claude-opus-5"), "claude-opus-5");
  assert.equal(normalizeBuiltInModelId("openai", "gpt"), "gpt", "openai's manifest has no id aliases");
  assert.equal(normalizeBuiltInModelId("zeta", "fable"), "fable");
});

Deno.test("static rows: once per key, none for a configured key or an unlisted model, a configured baseUrl moves them", () => {
  const rows = builtInRowsFor(
    [
      { provider: "anthropic", model: "claude-opus-5" },
      { provider: "anthropic", model: "claude-opus-5" },
      { provider: "anthropic", model: "claude-sonnet-5" },
      { provider: "anthropic", model: "claude-unknown-9" },
      { provider: "zeta", model: "claude-opus-5" },
      { provider: "openai", model: "gpt-5.4" },
    ],
    {
      configuredKeys: new Set(["anthropic/claude-sonnet-5"]),
      baseUrls: new Map([["openai", "http://127.0.0.1:9/v1"]]),
    },
  );
  assert.deepEqual(rows.map((r) => [`${r.provider}/${r.id}`, r.baseUrl]), [
    ["anthropic/claude-opus-5", "https://api.anthropic.com"],
    ["openai/gpt-5.4", "http://127.0.0.1:9/v1"],
  ]);
});

Deno.test("after onboard the default view lists opus and the sonnet the API-key defaults add (recorded `list`)", () => {
  const rows = catalogRows(referenceConfig(onboarded(), noEnv), { all: false, auth: KEYED });
  assert.deepEqual(rows, [
    {
      key: "anthropic/claude-opus-5",
      name: "Claude Opus 5",
      input: "text+image",
      contextWindow: 1_000_000,
      local: false,
      available: true,
      tags: ["default", "configured", "alias:opus"],
    },
    {
      key: "anthropic/claude-sonnet-5",
      name: "Claude Sonnet 5",
      input: "text+image",
      contextWindow: 1_000_000,
      local: false,
      available: true,
      tags: ["configured", "alias:sonnet"],
    },
  ]);
});

Deno.test("without a key only the default stays listed, unavailable (recorded `nokey`)", () => {
  const rows = catalogRows(referenceConfig(onboarded(), noEnv), { all: false, auth: NO_KEY });
  assert.deepEqual(rows.map((r) => [r.key, r.available, r.tags]), [
    ["anthropic/claude-opus-5", false, ["default", "configured", "alias:opus"]],
  ]);
});

Deno.test("--all and --provider list no static rows: the local catalog discovers none offline (recorded `forms`)", () => {
  const config = referenceConfig(onboarded(), noEnv);
  assert.deepEqual(catalogRows(config, { all: true, auth: KEYED }), []);
  assert.deepEqual(catalogRows(config, { all: false, provider: "anthropic", auth: KEYED }), []);
  assert.deepEqual(catalogRows(config, { all: false, provider: "openai", auth: KEYED }), []);
  assert.deepEqual(catalogRows(config, { all: false, provider: "claude-cli", auth: KEYED }), []);
});

Deno.test("named models get rows sorted by id with their configured alias; the manifest's aliases are not tags (recorded `mapped`)", () => {
  const config = onboarded();
  const models = (config.agents as { defaults: { models: Record<string, unknown> } }).defaults.models;
  models["anthropic/claude-haiku-4-5"] = {};
  models["anthropic/claude-fable-5"] = { alias: "fab" };
  models["anthropic/claude-unknown-9"] = {};
  const rows = catalogRows(referenceConfig(config, noEnv), { all: false, auth: KEYED });
  assert.deepEqual(rows.map((r) => [r.key, r.tags]), [
    ["anthropic/claude-fable-5", ["configured", "alias:fab"]],
    ["anthropic/claude-haiku-4-5", ["configured"]],
    ["anthropic/claude-opus-5", ["default", "configured", "alias:opus"]],
    ["anthropic/claude-sonnet-5", ["configured", "alias:sonnet"]],
  ]);
});

Deno.test("a configured provider row wins over the static one; the implicit default brings no row", () => {
  const config = onboarded({
    models: {
      providers: { anthropic: { baseUrl: "http://127.0.0.1:9", models: [{ id: "claude-opus-5", name: "Mine" }] } },
    },
  });
  const rows = catalogRows(referenceConfig(config, noEnv), { all: false, auth: KEYED });
  assert.deepEqual(rows.map((r) => [r.key, r.name, r.local]), [
    ["anthropic/claude-opus-5", "Mine", true],
    ["anthropic/claude-sonnet-5", "Claude Sonnet 5", true],
  ]);
  assert.deepEqual(catalogRows({} as RawConfig, { all: false, auth: { available: () => true } }), []);
});

Deno.test("under an allowlist the static rows it admits show, keyed or not; a cap shows as in the manifest", () => {
  const config = {
    agents: {
      defaults: {
        model: { primary: "openai/gpt-6-astra" },
        modelPolicy: { allow: ["openai/gpt-6-astra", "openai/gpt-5.4"] },
        models: { "openai/gpt-5.4": {}, "openai/gpt-5.4-mini": {} },
      },
    },
  } as unknown as RawConfig;
  const rows = catalogRows(config, { all: false, auth: NO_KEY });
  assert.deepEqual(rows.map((r) => [r.key, r.contextWindow, r.contextTokens, r.available]), [
    ["openai/gpt-5.4", 1_050_000, undefined, false],
    ["openai/gpt-6-astra", 1_050_000, 272_000, false],
  ]);
});

Deno.test("keyAvailability: a stored API-key profile, the variable or a configured key, and which; the store read once", () => {
  let reads = 0;
  const store = () => {
    reads++;
    return { profiles: { "anthropic:default": { type: "api_key", provider: "anthropic", key: "sk-ant-x" } } };
  };
  const auth = keyAvailability(onboarded(), { store, env: (name) => name === "OPENAI_API_KEY" ? "sk-o" : undefined });
  assert.equal(auth.available("anthropic"), true);
  assert.equal(auth.available("openai"), true);
  assert.equal(auth.available("anthropic"), true);
  assert.equal(reads, 1);
  assert.equal(auth.source?.("anthropic"), "profile:anthropic:default", "where the key comes from");
  assert.equal(auth.source?.("openai"), "env: OPENAI_API_KEY");
  const bare = keyAvailability({} as RawConfig, { store: () => ({ profiles: {} }), env: noEnv });
  assert.equal(bare.available("anthropic"), false);
  assert.equal(bare.source?.("anthropic"), undefined);
});
