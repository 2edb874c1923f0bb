// The configured catalog view: allowlist with wildcards, role tag order, sorting and availability (recorded d_list_json).
import assert from "node:assert/strict";
import { catalogRows, isLocalBaseUrl, UnknownCatalogProvider } from "../../src/config/model_catalog_view.ts";
import type { RawConfig } from "../../src/config/schema.ts";

const CONFIG = {
  models: {
    providers: {
      zeta: { baseUrl: "http://localhost:9/v1", models: [{ id: "zz", name: "ZZ" }, { id: "aa", name: "AA" }] },
      alpha: { baseUrl: "https://api.example.com/v1", apiKey: "short", models: [{ id: "b", name: "B" }] },
      beta: { baseUrl: "https://api.example.net/v1", models: [{ id: "c", name: "C" }] },
    },
  },
  agents: {
    defaults: {
      model: { primary: "zeta/zz", fallbacks: ["zeta/missing"] },
      models: { "zeta/zz": { alias: "z" }, "alpha/b": { alias: "bee" }, "zeta/*": {} },
    },
  },
} as unknown as RawConfig;

Deno.test("the default view keeps what the allowlist admits, sorted, tagged in the reference's order", () => {
  const rows = catalogRows(CONFIG, { all: false });
  assert.deepEqual(rows.map((r) => [r.key, r.local, r.available, r.tags]), [
    ["alpha/b", false, true, ["configured", "alias:bee"]],
    ["zeta/aa", true, true, []],
    ["zeta/zz", true, true, ["default", "configured", "alias:z"]],
  ]);
  assert.deepEqual(catalogRows(CONFIG, { all: true }).map((r) => [r.key, r.available]), [
    ["alpha/b", true],
    ["beta/c", null],
    ["zeta/aa", true],
    ["zeta/zz", true],
  ]);
  assert.throws(() => catalogRows(CONFIG, { all: false, provider: "nope" }), UnknownCatalogProvider);
});

Deno.test("isLocalBaseUrl: loopback, localhost, unspecified and .local hosts", () => {
  assert.deepEqual(
    ["http://127.0.0.1:9", "http://localhost", "http://[::1]:1", "http://box.local", "https://api.example.com", "nope"]
      .map(isLocalBaseUrl),
    [true, true, true, true, false, false],
  );
});

Deno.test("models status allowed: an allowlisted model missing from the catalog stays listed (recorded against the reference)", async () => {
  const { modelStatusFacts } = await import("../../src/config/model_status_facts.ts");
  const config = {
    models: { providers: { acme: { baseUrl: "https://api.acme.test/v1", models: [{ id: "m1" }, { id: "m2" }] } } },
    agents: { defaults: { model: "acme/m2", models: { "acme/m1": {}, "ACME/gone": {}, "acme/*": {} } } },
  } as unknown as RawConfig;
  assert.deepEqual(modelStatusFacts(config).allowed, ["acme/gone", "acme/m1", "acme/m2"]);
});

Deno.test("models list: an allowlisted model the catalog lacks is a row of its own (recorded against the reference)", () => {
  const config = {
    models: {
      providers: { acme: { baseUrl: "https://api.acme.test/v1", apiKey: "sk-x", models: [{ id: "m1", name: "M1" }] } },
    },
    agents: {
      defaults: {
        model: { primary: "acme/m1", fallbacks: ["acme/zz"] },
        models: { "acme/m1": {}, "acme/nope": { alias: "fast" } },
      },
    },
  } as unknown as RawConfig;
  const rows = catalogRows(config, { all: false });
  assert.deepEqual(rows.map((r) => r.key), ["acme/m1", "acme/nope"]);
  assert.deepEqual(rows[1], {
    key: "acme/nope",
    name: "nope",
    input: "-",
    contextWindow: null,
    local: null,
    available: true,
    tags: ["configured", "alias:fast"],
  });
});
