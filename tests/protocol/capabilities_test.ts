import assert from "node:assert/strict";
import { CAPABILITY_METHODS, serverCapabilities } from "../../src/protocol/capabilities.ts";

Deno.test("serverCapabilities() advertises a capability only while every method it promises exists", () => {
  assert.deepEqual(serverCapabilities(["health", "status"]), []);
  assert.deepEqual(serverCapabilities(["health", "models.list"]), ["published-model-catalog"]);
  const all = CAPABILITY_METHODS.flatMap(([, methods]) => methods);
  assert.deepEqual(serverCapabilities(all), CAPABILITY_METHODS.map(([name]) => name));
});
