import assert from "node:assert/strict";
import { deferChunkImports, staticClosure } from "../../tools/bundle_defer.ts";

Deno.test("bundle: every chunk import becomes non-analyzable; other imports stay as esbuild wrote them", () => {
  const chunks = new Map([
    ["main.js", 'import{a}from"./chunk-S.js";x=()=>import("./gateway_run-A.js");'],
    [
      "gateway_run-A.js",
      'x=()=>import("./account-D.js");y=()=>import("./account-T.js");z=()=>import("./elsewhere.js");',
    ],
    ["account-D.js", 'function a(){}s(a,"createDiscordAccount");'],
    ["account-T.js", 'function b(){}s(b,"createTelegramAccount");'],
    ["chunk-S.js", "export const a=1;"],
  ]);
  const changed = deferChunkImports(chunks);
  assert.deepEqual([...changed], [
    ["main.js", 'import{a}from"./chunk-S.js";x=()=>import(new URL("./gateway_run-A.js",import.meta.url).href);'],
    [
      "gateway_run-A.js",
      'x=()=>import(new URL("./account-D.js",import.meta.url).href);' +
      'y=()=>import(new URL("./account-T.js",import.meta.url).href);z=()=>import("./elsewhere.js");',
    ],
  ]);
  assert.deepEqual([...staticClosure(chunks, "main.js")].sort(), [
    "account-D.js",
    "account-T.js",
    "chunk-S.js",
    "gateway_run-A.js",
    "main.js",
  ]);
  const deferred = new Map([...chunks, ...changed]);
  assert.deepEqual([...staticClosure(deferred, "main.js")].sort(), ["chunk-S.js", "main.js"]);
  assert.equal(deferChunkImports(deferred).size, 0);
});
