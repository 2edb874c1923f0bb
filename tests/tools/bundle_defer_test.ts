import assert from "node:assert/strict";
import { deferChunkImports } from "../../tools/bundle_defer.ts";

Deno.test("bundle: imports of a deferred chunk become non-analyzable, others stay as esbuild wrote them", () => {
  const chunks = new Map([
    ["main.js", 'import("./gateway_run-A.js");'],
    ["gateway_run-A.js", 'x=()=>import("./account-D.js");y=()=>import("./account-T.js");'],
    ["account-D.js", 'function a(){}s(a,"createDiscordAccount");'],
    ["account-T.js", 'function b(){}s(b,"createTelegramAccount");'],
  ]);
  const changed = deferChunkImports(chunks, ["createDiscordAccount"]);
  assert.deepEqual([...changed], [[
    "gateway_run-A.js",
    'x=()=>import(new URL("./account-D.js",import.meta.url).href);y=()=>import("./account-T.js");',
  ]]);
  assert.equal(deferChunkImports(chunks, ["nothingHere"]).size, 0);
});
