import assert from "node:assert/strict";
import {
  authSection,
  type CredentialConfig,
  profileOrder,
  type ProfileStore,
  resolveProviderCredential,
} from "../../src/config/provider_credentials.ts";

const NOW = 1_800_000_000_000;
const apiKey = (provider: string, key: string) => ({ type: "api_key", provider, key });

function resolve(
  input: { store?: ProfileStore; config?: CredentialConfig; env?: Record<string, string>; provider?: string },
) {
  return resolveProviderCredential({
    provider: input.provider ?? "anthropic",
    config: input.config ?? {},
    store: () => input.store ?? { profiles: {} },
    env: (name) => input.env?.[name],
    now: NOW,
  });
}

Deno.test("resolveProviderCredential() follows the reference's precedence, row by row (tests/fixtures/credentials)", () => {
  const stored = { profiles: { "anthropic:default": apiKey("anthropic", "sk-stored") } };
  const env = { ANTHROPIC_API_KEY: "sk-env" };
  const configured = { provider: { apiKey: "sk-config" } };
  const rows: [string, Parameters<typeof resolve>[0], string][] = [
    ["stored profile only", { store: stored }, "profile:anthropic:default sk-stored"],
    ["stored profile over the environment", { store: stored, env }, "profile:anthropic:default sk-stored"],
    [
      "stored profile over the configured key",
      { store: stored, config: configured },
      "profile:anthropic:default sk-stored",
    ],
    [
      'auth: "api-key" makes the configured key win',
      { store: stored, env, config: { provider: { apiKey: "sk-config", auth: "api-key" } } },
      "models.json sk-config",
    ],
    ["the environment over the configured key", { env, config: configured }, "env: ANTHROPIC_API_KEY sk-env"],
    ["the configured key last", { config: configured }, "models.json sk-config"],
    [
      "OPENAI_API_KEY for openai",
      { provider: "openai", env: { OPENAI_API_KEY: "sk-oa" } },
      "env: OPENAI_API_KEY sk-oa",
    ],
    ["no environment key for another provider", { provider: "fake", env: { FAKE_API_KEY: "x" } }, "none"],
    [
      "a keyRef profile reads its variable",
      {
        store: {
          profiles: {
            "anthropic:default": {
              type: "api_key",
              provider: "anthropic",
              keyRef: { source: "env", provider: "default", id: "MY_KEY" },
            },
          },
        },
        env: { MY_KEY: "sk-ref" },
      },
      "profile:anthropic:default sk-ref",
    ],
  ];
  for (const [name, input, expected] of rows) {
    const result = resolve(input);
    assert.equal("apiKey" in result ? `${result.source} ${result.apiKey}` : "none", expected, name);
  }
});

Deno.test('resolveProviderCredential() does not read the store when auth: "api-key" has a key', () => {
  const result = resolveProviderCredential({
    provider: "anthropic",
    config: { provider: { apiKey: "k", auth: "api-key" } },
    store: () => {
      throw new Error("read");
    },
    env: () => undefined,
    now: NOW,
  });
  assert.deepEqual(result, { apiKey: "k", source: "models.json" });
});

Deno.test("resolveProviderCredential() passes over token and OAuth profiles and says why", () => {
  const store: ProfileStore = {
    profiles: {
      "anthropic:sub": { type: "token", provider: "anthropic", token: "sk-ant-oat" },
      "anthropic:unresolved": {
        type: "api_key",
        provider: "anthropic",
        keyRef: { source: "env", provider: "default", id: "UNSET" },
      },
    },
  };
  assert.deepEqual(resolve({ store }), {
    skipped: [
      { profileId: "anthropic:sub", reason: "a token profile, which this gateway does not send" },
      { profileId: "anthropic:unresolved", reason: "its key reference does not resolve" },
    ],
  });
  // An API key after them is used.
  store.profiles["anthropic:key"] = apiKey("anthropic", "sk-after");
  assert.deepEqual(resolve({ store }), { apiKey: "sk-after", source: "profile:anthropic:key" });
});

Deno.test("profileOrder(): store order, then auth.order, then auth.profiles, then every stored profile", () => {
  const profiles = {
    "anthropic:a": apiKey("anthropic", "a"),
    "anthropic:b": apiKey("anthropic", "b"),
    "anthropic:c": apiKey("anthropic", "c"),
    "openai:x": apiKey("openai", "x"),
  };
  const order = (store: ProfileStore, config: CredentialConfig = {}) =>
    profileOrder(store, config, "anthropic", NOW).order;
  assert.deepEqual(order({ profiles }), ["anthropic:a", "anthropic:b", "anthropic:c"]);
  assert.deepEqual(
    order({ profiles, order: { anthropic: ["anthropic:c", "anthropic:a"] } }, {
      order: { anthropic: ["anthropic:b"] },
    }),
    ["anthropic:c", "anthropic:a"],
  );
  assert.deepEqual(order({ profiles }, { order: { Anthropic: ["anthropic:b", "anthropic:a"] } }), [
    "anthropic:b",
    "anthropic:a",
  ]);
  const declared = { "anthropic:c": { provider: "anthropic", mode: "api_key" } };
  assert.deepEqual(order({ profiles }, { profiles: declared }), ["anthropic:c"]);
  // A declared mode that does not match the stored type makes the profile ineligible.
  const mismatched = profileOrder(
    { profiles },
    { profiles: { "anthropic:c": { provider: "anthropic", mode: "token" } } },
    "anthropic",
    NOW,
  );
  assert.deepEqual(mismatched.order, []);
  assert.deepEqual(mismatched.skipped, [{
    profileId: "anthropic:c",
    reason: "declared as token but stored as api_key",
  }]);
  // An order naming only profiles the store lacks falls back to what it holds.
  assert.deepEqual(order({ profiles, order: { anthropic: ["anthropic:gone"] } }), [
    "anthropic:a",
    "anthropic:b",
    "anthropic:c",
  ]);
});

Deno.test("profileOrder() without an explicit order: OAuth, then token, then API key, least recently used first", () => {
  const store: ProfileStore = {
    profiles: {
      "anthropic:k1": apiKey("anthropic", "1"),
      "anthropic:k2": apiKey("anthropic", "2"),
      "anthropic:t": { type: "token", provider: "anthropic", token: "t" },
      "anthropic:expired": { type: "token", provider: "anthropic", token: "t", expires: NOW - 1 },
      "anthropic:o": { type: "oauth", provider: "anthropic", access: "a", refresh: "r" },
    },
    lastUsed: { "anthropic:k1": 20, "anthropic:k2": 10 },
  };
  const { order, skipped } = profileOrder(store, {}, "anthropic", NOW);
  assert.deepEqual(order, ["anthropic:o", "anthropic:t", "anthropic:k2", "anthropic:k1"]);
  assert.deepEqual(skipped, [{ profileId: "anthropic:expired", reason: "expired" }]);
});

Deno.test("authSection() reads auth.order and auth.profiles only when they are objects", () => {
  assert.deepEqual(authSection({}), {});
  assert.deepEqual(authSection({ auth: { order: [], profiles: "x" } }), {});
  const profiles = { "anthropic:default": { provider: "anthropic", mode: "api_key" } };
  assert.deepEqual(authSection({ auth: { profiles, other: 1 } }), { profiles });
});

Deno.test("an empty auth.order for the provider uses no profile, declared ones included (the reference's empty base order)", () => {
  const store = { profiles: { "anthropic:a": apiKey("anthropic", "sk-stored") } };
  const config = {
    order: { anthropic: [] },
    profiles: { "anthropic:a": { provider: "anthropic", mode: "api_key" } },
  };
  assert.deepEqual(profileOrder(store, config, "anthropic", NOW), { order: [], skipped: [] });
  // With no profile to try, the environment's key is sent (order.ts returns [] before any repair).
  assert.deepEqual(resolve({ store, config, env: { ANTHROPIC_API_KEY: "sk-env" } }), {
    apiKey: "sk-env",
    source: "env: ANTHROPIC_API_KEY",
  });
});
