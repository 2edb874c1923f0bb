import assert from "node:assert/strict";
import { providerSpecOf, resolveProviders } from "../../src/config/resolve_providers.ts";

Deno.test("resolveProviders(): declared entries, built-ins only where no entry declares them", () => {
  const { providers, builtIns } = resolveProviders({
    models: {
      providers: {
        local: { baseUrl: "http://127.0.0.1:1/v1/", apiKey: "k", models: ["m1", { id: "m2" }] },
        nourl: { apiKey: "k" },
        anthropic: { apiKey: "sk-config", auth: "api-key" },
      },
    },
  });
  assert.deepEqual(
    [...providers.keys()],
    ["local", "anthropic"],
    "an entry without baseUrl is skipped unless built in",
  );
  assert.deepEqual(providers.get("local"), {
    id: "local",
    baseUrl: "http://127.0.0.1:1/v1",
    apiKey: "k",
    api: "openai-completions",
    headers: {},
    timeoutMs: 120_000,
    models: ["m1", "m2"],
  });
  assert.deepEqual(providers.get("anthropic"), {
    id: "anthropic",
    baseUrl: "https://api.anthropic.com",
    apiKey: "sk-config",
    api: "anthropic-messages",
    headers: {},
    timeoutMs: 120_000,
    models: [],
    auth: "api-key",
    builtIn: true,
  });
  assert.deepEqual([...builtIns.keys()], ["openai"]);
  assert.equal(providerSpecOf({ providers, builtIns }, "openai")?.baseUrl, "https://api.openai.com/v1");
  assert.equal(providerSpecOf({ providers, builtIns }, "anthropic"), providers.get("anthropic"));
  assert.equal(providerSpecOf({ providers, builtIns }, "nourl"), undefined);
  assert.equal(providerSpecOf({ providers }, "openai"), undefined, "hand-built configs without built-ins");
});
