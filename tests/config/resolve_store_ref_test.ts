import assert from "node:assert/strict";
import { resolveSecretInput } from "../../src/config/resolve_auth.ts";

const store = new Map([["GW_TOKEN", "tok-1"], ["PLACEHOLDER_TOKEN", "__OPENCLAW_REDACTED__"]]);
const options = { key: "gateway.auth.token", env: {}, readStoreValue: (name: string) => store.get(name) };

Deno.test("resolveSecretInput() reads a store SecretRef through the default provider", () => {
  assert.equal(resolveSecretInput({ source: "store", provider: "default", id: "GW_TOKEN" }, options), "tok-1");
  assert.equal(resolveSecretInput({ source: "store", id: "GW_TOKEN" }, options), "tok-1");
});

Deno.test("resolveSecretInput() refuses a missing entry, a placeholder value, another provider and no reader", () => {
  assert.throws(
    () => resolveSecretInput({ source: "store", id: "NOPE" }, options),
    /^ConfigError: Secret store entry "NOPE" was not found\. gateway\.auth\.token refers to it; add it with openclaw secrets store set NOPE/,
  );
  assert.throws(
    () => resolveSecretInput({ source: "store", id: "PLACEHOLDER_TOKEN" }, options),
    /Secret reference "store:default:PLACEHOLDER_TOKEN" resolves to a redaction placeholder/,
  );
  assert.throws(
    () => resolveSecretInput({ source: "store", provider: "vault", id: "GW_TOKEN" }, options),
    /Secret provider "vault" is not configured \(ref: store:vault:GW_TOKEN\)/,
  );
  assert.throws(
    () => resolveSecretInput({ source: "store", id: "GW_TOKEN" }, { key: "x", env: {} }),
    /x refers to secret store entry GW_TOKEN, which cannot be read here/,
  );
});
