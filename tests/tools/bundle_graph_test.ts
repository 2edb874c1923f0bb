import assert from "node:assert/strict";
import { chunksInCycles, staticImports } from "../../tools/bundle_graph.ts";

Deno.test("a chunk's static imports in every form esbuild writes them, and no dynamic or builtin ones", () => {
  const chunk = 'import{a as b}from"./chunk-A.js";import*as c from"./chunk-B.js";import d,{e}from"./chunk-C.js";' +
    'import"./chunk-D.js";export*from"./chunk-E.js";export{f as g}from"./chunk-F.js";import h from"node:util";' +
    'const i=await import(new URL("./chunk-G.js",import.meta.url).href);';
  assert.deepEqual(staticImports(chunk).sort(), [
    "chunk-A.js",
    "chunk-B.js",
    "chunk-C.js",
    "chunk-D.js",
    "chunk-E.js",
    "chunk-F.js",
  ]);
});

Deno.test("chunks in an import cycle are found, a chain of imports is not one", () => {
  const imports = new Map<string, string[]>([
    ["main.js", ["a.js", "d.js"]],
    ["a.js", ["b.js"]],
    ["b.js", ["c.js"]],
    ["c.js", ["a.js"]],
    ["d.js", ["e.js"]],
    ["e.js", []],
    ["self.js", ["self.js"]],
  ]);
  assert.deepEqual([...chunksInCycles(imports)].sort(), ["a.js", "b.js", "c.js", "self.js"]);
  const chain = new Map(Array.from({ length: 20_000 }, (_, i) => [`${i}.js`, i ? [`${i - 1}.js`] : []]));
  assert.equal(chunksInCycles(chain).size, 0, "deep chains do not overflow the stack");
});
