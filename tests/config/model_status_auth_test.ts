// The auth overview rules of `models status` (recorded against the reference 2026.9.6): masking,
// profile labels, the effective source's precedence, env providers and the health rollup.
import assert from "node:assert/strict";
import {
  authHealth,
  envProviders,
  maskApiKey,
  profileLabel,
  providerAuthOverview,
} from "../../src/config/model_status_auth.ts";

const STORE = "/s/state/openclaw.sqlite";
const none = () => undefined;
const overview = (input: Partial<Parameters<typeof providerAuthOverview>[0]>) =>
  providerAuthOverview({
    provider: "anthropic",
    store: { profiles: {} },
    env: none,
    storeDetail: STORE,
    modelsJsonSource: "models.json: /a/models.json",
    ...input,
  });

Deno.test("maskApiKey keeps 1+1, 2+2 or 8+8 characters by length (recorded: sk-ant-stored-one → sk-ant-s...ored-one)", () => {
  assert.equal(maskApiKey("sk-ant-stored-one"), "sk-ant-s...ored-one");
  assert.equal(maskApiKey("sk-ant-from-env-abcdef"), "sk-ant-f...v-abcdef");
  assert.equal(maskApiKey("sk-ant-test123"), "sk...23");
  assert.equal(maskApiKey("abc"), "a...c");
});

Deno.test("profile labels mask keys and tokens, name refs and OAuth, and never hold the secret", () => {
  assert.equal(
    profileLabel("a", { type: "api_key", provider: "anthropic", key: "sk-ant-stored-one" }),
    "a=sk-ant-s...ored-one",
  );
  assert.equal(
    profileLabel("t", { type: "token", provider: "anthropic", token: "sk-ant-oat01-token-value-xyz" }),
    "t=token:sk-ant-o...alue-xyz",
  );
  assert.equal(
    profileLabel("r", { type: "api_key", provider: "anthropic", keyRef: { source: "env", id: "K" } }),
    "r=ref(env:K)",
  );
  assert.equal(profileLabel("m", { type: "api_key", provider: "anthropic" }), "m=missing");
  assert.equal(profileLabel("o", { type: "oauth", provider: "anthropic", access: "x" }), "o=OAuth");
});

Deno.test("the effective source: profiles before env before the configured key; a ${VAR} key decides alone", () => {
  const store = {
    profiles: { "anthropic:default": { type: "api_key", provider: "anthropic", key: "sk-ant-stored-one" } },
  };
  const env = (name: string) => name === "ANTHROPIC_API_KEY" ? "sk-ant-from-env-abcdef" : undefined;
  const configured = { written: "sk-ant-config-key-1234", resolved: "sk-ant-config-key-1234" };
  assert.deepEqual(overview({ store, env, configured })?.effective, { kind: "profiles", detail: STORE });
  assert.deepEqual(overview({ env, configured })?.effective, { kind: "env", detail: "sk-ant-f...v-abcdef" });
  assert.deepEqual(overview({ configured })?.effective, { kind: "models.json", detail: "sk-ant-c...key-1234" });
  assert.deepEqual(overview({ configured: { written: "${MY_KEY}", resolved: "abcd1234efgh" }, store })?.effective, {
    kind: "env",
    detail: "ab...gh",
  });
  assert.equal(overview({}), undefined, "a provider with nothing is left out");
  const both = overview({ store, env });
  assert.deepEqual(both?.env, { value: "sk-ant-f...v-abcdef", source: "env: ANTHROPIC_API_KEY" });
  assert.deepEqual(both?.profiles, {
    count: 1,
    oauth: 0,
    token: 0,
    apiKey: 1,
    labels: ["anthropic:default=sk-ant-s...ored-one"],
  });
});

Deno.test("ANTHROPIC_API_KEY reports anthropic, anthropic-openai and claude-cli; claude-cli reads anthropic's profiles", () => {
  const env = (name: string) => name === "ANTHROPIC_API_KEY" ? "k" : undefined;
  assert.deepEqual(envProviders(env), ["anthropic", "anthropic-openai", "claude-cli"]);
  const store = {
    profiles: { "anthropic:default": { type: "api_key", provider: "anthropic", key: "sk-ant-stored-one" } },
  };
  assert.equal(overview({ provider: "claude-cli", store })?.profiles.count, 1);
  assert.equal(overview({ provider: "anthropic-openai", store }), undefined);
});

Deno.test("health: an API key is static, a token without expiry static, an expiring token rolls the provider up", () => {
  const now = 1_000_000;
  const store = {
    profiles: {
      "anthropic:default": { type: "api_key", provider: "anthropic", key: "k" },
      "anthropic:tok": { type: "token", provider: "anthropic", token: "t", expires: now + 3_600_000 },
      "openai:none": { type: "api_key", provider: "openai" },
    },
  };
  const declaredDefault = { profiles: { "anthropic:default": { provider: "anthropic", mode: "api_key" } } };
  const health = authHealth(store, declaredDefault, { now, warnAfterMs: 86_400_000 });
  assert.deepEqual(health.profiles.map((p) => [p.profileId, p.status, p.reasonCode]), [
    ["anthropic:default", "static", undefined],
    ["anthropic:tok", "expiring", undefined],
    ["openai:none", "missing", "missing_credential"],
  ]);
  // Declared profiles only are in force (the recorded token case): the token does not count.
  assert.equal(health.providers[0]?.status, "static");
  assert.deepEqual(health.providers[0]?.effectiveProfiles.map((p) => p.profileId), ["anthropic:default"]);
  const all = authHealth(store, {}, { now, warnAfterMs: 86_400_000 });
  assert.equal(all.providers[0]?.status, "expiring");
  assert.equal(all.providers[0]?.remainingMs, 3_600_000);
  assert.equal(all.providers[1]?.status, "missing");
});
