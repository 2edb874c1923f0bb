import assert from "node:assert/strict";
import { withRequireBanner } from "../../tools/bundle.ts";

// esbuild's stand-in for `require` in ES module output, as it appears in minified bundles.
const ESBUILD_SHIM = `var n=(a=>typeof require<"u"?require:typeof Proxy<"u"?new Proxy(a,{get:(b,c)=>` +
  `(typeof require<"u"?require:b)[c]}):a)(function(a){if(typeof require<"u")return require.apply(this,arguments);` +
  `throw Error('Dynamic require of "'+a+'" is not supported')});`;

async function importChunk(text: string): Promise<Record<string, unknown>> {
  const dir = await Deno.makeTempDir({ prefix: "oc-chunk-" });
  try {
    await Deno.writeTextFile(`${dir}/chunk.js`, text);
    return await import(`file://${dir}/chunk.js`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("a chunk that kept esbuild's require stand-in loads CommonJS builtins once bannered", async () => {
  const chunk = `${ESBUILD_SHIM}export const sep=n("node:path").sep;`;
  await assert.rejects(importChunk(chunk), /Dynamic require of "node:path" is not supported/);
  assert.equal((await importChunk(withRequireBanner(chunk))).sep, "/");
});

Deno.test("chunks without the stand-in are left byte for byte", () => {
  const chunk = `import{a}from"./chunk-X.js";export const b=a+1;`;
  assert.equal(withRequireBanner(chunk), chunk);
});
