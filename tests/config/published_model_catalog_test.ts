// The gateway's published catalog rules (src/config/published_model_catalog.ts), as the reference
// 2026.9.6 gateway published its catalog offline (tests/fixtures/model_catalog/gateway_models_list.json).
import assert from "node:assert/strict";
import type { BuiltInAuth } from "../../src/config/built_in_catalog.ts";
import { publishedCatalog } from "../../src/config/published_model_catalog.ts";
import type { RawConfig } from "../../src/config/schema.ts";

/** Auth whose keys come from the given sources, by provider. */
function authFrom(sources: Record<string, `profile:${string}` | `env: ${string}`>): BuiltInAuth {
  return { available: (p) => p in sources, source: (p) => sources[p] };
}

const ONBOARDED = {
  agents: { defaults: { model: { primary: "anthropic/claude-opus-5" }, models: { "anthropic/claude-opus-5": {} } } },
} as RawConfig;

Deno.test("a built-in provider whose key resolves publishes every manifest row as a starter, its outcome unavailable", () => {
  const published = publishedCatalog(ONBOARDED, {
    auth: authFrom({ anthropic: "profile:anthropic:default" }),
    named: [{ provider: "anthropic", model: "claude-opus-5" }],
  });
  assert.equal(published.models.length, 8);
  assert.ok(published.models.every((m) => m.provider === "anthropic" && m.available && m.local === false));
  assert.deepEqual(published.outcomes, [{
    provider: "anthropic",
    profileId: "anthropic:default",
    status: "unavailable",
  }]);
  const sonnet = published.models.find((m) => m.id === "claude-sonnet-5")!;
  assert.equal(sonnet.supportsFastMode, false);
  assert.deepEqual(sonnet.thinking?.defaultLevel, "high");
  assert.equal(
    published.models.find((m) => m.id === "claude-opus-4-8")?.supportsFastMode,
    true,
    "deprecated, still listed",
  );
  assert.equal(published.automaticUtilityModel, "anthropic/claude-haiku-4-5");
});

Deno.test("a key from the environment names no profile; a provider without a key publishes no starters", () => {
  const published = publishedCatalog(ONBOARDED, { auth: authFrom({ openai: "env: OPENAI_API_KEY" }), named: [] });
  assert.deepEqual(published.outcomes, [{ provider: "openai", status: "unavailable" }]);
  assert.ok(published.models.every((m) => m.provider === "openai"));
  assert.equal(published.models.length, 12);
  assert.ok(published.models.every((m) => m.thinking === undefined && m.supportsFastMode === undefined));
});

Deno.test("named built-in models get their row without a key: the manifest's, or the one resolved beyond it; unknown ids none", () => {
  const published = publishedCatalog(ONBOARDED, {
    auth: authFrom({}),
    named: [
      { provider: "anthropic", model: "claude-opus-5" },
      { provider: "anthropic", model: "claude-sonnet-4-6" },
      { provider: "anthropic", model: "claude-unknown-9" },
      { provider: "fake", model: "m1" },
    ],
  });
  assert.deepEqual(published.outcomes, []);
  assert.deepEqual(published.models.map((m) => [m.id, m.name, m.available]), [
    ["claude-opus-5", "Claude Opus 5", false],
    ["claude-sonnet-4-6", "claude-sonnet-4-6", false],
  ]);
  assert.equal(published.models[0]!.supportsFastMode, undefined, "fast mode is told only for an API key");
  assert.equal(published.models[1]!.contextTokens, 1_000_000);
});

Deno.test("a configured provider row wins over the starter of the same key; a loopback endpoint is local", () => {
  const config = {
    ...ONBOARDED,
    models: {
      providers: {
        anthropic: { baseUrl: "http://127.0.0.1:9", models: [{ id: "claude-opus-5", name: "Mine" }] },
        fake: { baseUrl: "http://127.0.0.1:9", apiKey: "k", models: ["m1"] },
      },
    },
  } as RawConfig;
  const published = publishedCatalog(config, { auth: authFrom({ anthropic: "profile:anthropic:default" }), named: [] });
  const opus = published.models.filter((m) => m.id === "claude-opus-5");
  assert.deepEqual(opus.map((m) => m.name), ["Mine"]);
  assert.ok(published.models.every((m) => m.local === true), "the configured endpoint serves the starters too");
  assert.equal(published.models.length, 9);
});

Deno.test("the utility preview follows the defaults' model provider: none for a configured provider", () => {
  const config = { agents: { defaults: { model: "fake/m1" } }, models: { providers: { fake: { models: ["m1"] } } } };
  const published = publishedCatalog(config as RawConfig, { auth: authFrom({}), named: [] });
  assert.equal(published.automaticUtilityModel, null);
});

Deno.test("the provider inventory is the configured rows as authored; the known providers are the plugins', the config's and the rows'", () => {
  const config = {
    ...ONBOARDED,
    models: {
      providers: {
        Zeta: { baseUrl: "http://127.0.0.1:9", apiKey: "k", models: ["z2", "z1"] },
        fake: { baseUrl: "http://127.0.0.1:9", apiKey: "k", models: ["m1"] },
      },
    },
  } as RawConfig;
  const published = publishedCatalog(config, { auth: authFrom({ anthropic: "profile:anthropic:default" }), named: [] });
  assert.deepEqual(published.providerInventory.map((m) => `${m.provider}/${m.id}`), ["Zeta/z2", "Zeta/z1", "fake/m1"]);
  for (const id of ["anthropic", "openai", "ollama", "openrouter", "claude-cli", "zeta", "fake"]) {
    assert.ok(published.knownProviders.includes(id), id);
  }
  assert.equal(published.knownProviders.includes("nope"), false);
});
