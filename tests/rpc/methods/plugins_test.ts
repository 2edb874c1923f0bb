import assert from "node:assert/strict";
import { pluginsMethods } from "../../../src/rpc/methods/plugins.ts";
import { callMethod, payloadOf } from "../../support/method_call.ts";

const table = pluginsMethods();

Deno.test("plugins.controlUi.list: no plugins, under the very revision the reference gives an empty catalog", async () => {
  // Recorded from the reference 2026.9.6 with no Control UI plugins.
  assert.deepEqual(await payloadOf(table, "plugins.controlUi.list"), {
    revision: "135d4539612c195c5d51f2f3f944f6bc4d9a7645fb37f24d37c9c9d0eb039f4d",
    plugins: [],
    diagnostics: [],
  });
});

Deno.test("plugins.list and plugins.catalog.browse are empty; a plugin surface is unavailable", async () => {
  assert.deepEqual(await payloadOf(table, "plugins.list"), { plugins: [], diagnostics: [], mutationAllowed: false });
  assert.deepEqual(await payloadOf(table, "plugins.catalog.browse", { intent: "all", pageSize: 100 }), { items: [] });
  const surface = await callMethod(table, "plugin.surface.refresh", { surface: "canvas", observedUrl: "http://x/" });
  assert.deepEqual(!surface.ok && surface.error, { code: "UNAVAILABLE", message: "canvas plugin surface unavailable" });
  const missing = await callMethod(table, "plugin.surface.refresh", {});
  assert.equal(!missing.ok && missing.error.message, "invalid plugin.surface.refresh params: surface required");
});
