import assert from "node:assert/strict";
import { ADVERTISED_METHODS } from "../../src/server/advertised_methods.ts";
import { buildMethodTable, loadMethodTable, type MethodWiring } from "../../src/server/method_table.ts";
import { surfaceMethods } from "../../src/server/surface_methods.ts";
import { advertisedMethods, mergeMethods } from "../../src/rpc/registry.ts";

/**
 * A wiring that is anything asked of it: building the table only wires closures to the wiring's
 * services, so a stand-in that answers every property and call with itself builds the same keys.
 */
function anyWiring(): MethodWiring {
  const stub: object = new Proxy(function () {}, {
    get: (_target, key) => (key === Symbol.toPrimitive ? () => "stub" : stub),
    apply: () => stub,
  });
  return stub as MethodWiring;
}

Deno.test("ADVERTISED_METHODS is what hello-ok advertised from the whole table", () => {
  const wiring = anyWiring();
  const full = mergeMethods(buildMethodTable(wiring), surfaceMethods(wiring));
  assert.deepEqual([...ADVERTISED_METHODS], advertisedMethods(full));
});

Deno.test("loadMethodTable names the whole table ahead and loads it once", async () => {
  const load = loadMethodTable(anyWiring());
  assert.equal(load.advertised, ADVERTISED_METHODS);
  assert.ok(load.core && Object.keys(load.core).length > 0);
  const full = await load();
  assert.equal(await load(), full);
  for (const name of Object.keys(load.core)) assert.ok(Object.hasOwn(full, name), name);
  assert.deepEqual(advertisedMethods(full), [...ADVERTISED_METHODS]);
});
