import assert from "node:assert/strict";
import { withLogTapeDenoInspect, withRequireBanner } from "../../tools/bundle.ts";
import { importChunk } from "../support/import_chunk.ts";

// esbuild's stand-in for `require` in ES module output, as it appears in minified bundles.
const ESBUILD_SHIM = `var n=(a=>typeof require<"u"?require:typeof Proxy<"u"?new Proxy(a,{get:(b,c)=>` +
  `(typeof require<"u"?require:b)[c]}):a)(function(a){if(typeof require<"u")return require.apply(this,arguments);` +
  `throw Error('Dynamic require of "'+a+'" is not supported')});`;

Deno.test("a chunk that kept esbuild's require stand-in loads CommonJS builtins once bannered", async () => {
  const chunk = `${ESBUILD_SHIM}export const sep=n("node:path").sep;`;
  await assert.rejects(importChunk(chunk), /Dynamic require of "node:path" is not supported/);
  assert.equal((await importChunk(withRequireBanner(chunk))).sep, "/");
});

Deno.test("chunks without the stand-in are left byte for byte", () => {
  const chunk = `import{a}from"./chunk-X.js";export const b=a+1;`;
  assert.equal(withRequireBanner(chunk), chunk);
});

// LogTape's `#util` Node entry as esbuild writes it minified (from a real chunk of dist/bundle).
const LOGTAPE_UTIL = `var pt=Symbol.for("logtape.categoryPrefix");var ee={};ht(ee,{inspect:()=>_});` +
  `import Ut from"node:util";function _(t,e){return Ut.inspect(t,e)}s(_,"inspect");export{_ as inspect};`;

Deno.test("LogTape's chunk gets its Deno inspect: no node:util, the same text as Deno.inspect", async () => {
  const patched = withLogTapeDenoInspect(LOGTAPE_UTIL);
  assert.ok(!patched.includes("node:util"), patched);
  const runnable = patched.replace(/var ee=\{\};ht\(ee,\{inspect:\(\)=>_\}\);/, "").replace(/s\(_,"inspect"\);/, "");
  const { inspect } = await importChunk(runnable);
  assert.equal(typeof inspect, "function");
  const value = { a: [1, { b: "x" }], c: new Map([["k", 1]]) };
  const call = inspect as (value: unknown, options?: Record<string, unknown>) => string;
  assert.equal(call(value), Deno.inspect(value, { compact: true }));
  assert.equal(
    call(value, { colors: false, depth: 1 }),
    Deno.inspect(value, { colors: false, depth: 1, compact: true }),
  );
  assert.equal(
    withLogTapeDenoInspect(`import Ut from"node:util";function _(t,e){return Ut.inspect(t,e)}`),
    `import Ut from"node:util";function _(t,e){return Ut.inspect(t,e)}`,
    "only LogTape's chunk is touched",
  );
});
