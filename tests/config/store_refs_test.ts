import assert from "node:assert/strict";
import { hasStoreRef } from "../../src/config/store_refs.ts";

Deno.test("hasStoreRef finds a team store SecretRef at any depth, and nothing else", () => {
  assert.equal(hasStoreRef({ gateway: { auth: { token: { source: "store", id: "GW_TOKEN" } } } }), true);
  assert.equal(hasStoreRef({ channels: { x: { accounts: [{ token: { source: "store", id: "T" } }] } } }), true);
  assert.equal(hasStoreRef({ gateway: { auth: { token: { source: "env", id: "GW_TOKEN" } } } }), false);
  assert.equal(hasStoreRef({ tools: { source: "store" } }), false, "no id: not a SecretRef");
  assert.equal(hasStoreRef({}), false);
});
