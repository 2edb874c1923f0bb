import assert from "node:assert/strict";
import { eagerChunk, eagerChunks, lazilyCompiled } from "../../tools/bundle_eager.ts";
import { withFunctionLog } from "../../tools/bundle_training.ts";
import { importChunk } from "../support/import_chunk.ts";

/** Where V8 starts the function declared as `function <name>(`: its parameter list. */
function startOf(chunk: string, name: string): number {
  return chunk.indexOf("(", chunk.indexOf(`function ${name}(`) + "function ".length);
}

// A chunk as esbuild writes them: imports, code that calls a function declared below it, keep-names calls.
const CHUNK = `export const early=later(2);function later(n){return n*21}` +
  `function once(){once=function(){return"again"};return"first"}` +
  `async function slow(a,b){return a+b}function*gen(){yield 1}` +
  `function outer(){function inner(x){return x}return inner(5)}` +
  `export{later,once,slow,gen,outer};`;

Deno.test("a rewritten chunk behaves as before: hoisting, names, lengths, reassignment, async", async () => {
  const starts = new Set(["later", "once", "slow", "gen", "outer"].map((name) => startOf(CHUNK, name)));
  const { text, eager } = eagerChunk(CHUNK, starts);
  assert.equal(eager, 4, "generators are left as they are");
  assert.match(text, /^var later=\(function\(n\)\{return n\*21\}\);var once=\(function\(\)/);
  assert.match(text, /var slow=\(async function\(a,b\)/);
  assert.match(text, /function\*gen\(\)/);
  assert.match(text, /function inner\(x\)/, "nested declarations stay");
  const before = await importChunk(CHUNK);
  const after = await importChunk(text);
  for (const module of [before, after]) {
    assert.equal(module.early, 42, "a call above the declaration still finds it");
    const later = module.later as (n: number) => number;
    assert.equal(later.name, "later");
    assert.equal(later.length, 1);
    const once = module.once as () => string;
    assert.equal(once(), "first");
    assert.equal((module.once as () => string)(), "again", "the module binding is reassignable from inside");
    assert.equal(await (module.slow as (a: number, b: number) => Promise<number>)(1, 2), 3);
    assert.equal((module.outer as () => number)(), 5);
  }
  assert.ok(String(after.later).startsWith("function(n)"), "only the source text loses the name");
});

Deno.test("a statement ended by a line break before a rewritten declaration stays ended", async () => {
  const chunk = "let g=function(){return 1}\nfunction f(){return 2}\n(function(){globalThis.ranIife=f()})();export{g};";
  const { text, eager } = eagerChunk(chunk, new Set([startOf(chunk, "f")]));
  assert.equal(eager, 1);
  const module = await importChunk(text);
  assert.equal((module.g as () => number)(), 1);
  assert.equal(Reflect.get(globalThis, "ranIife"), 2);
  Reflect.deleteProperty(globalThis, "ranIife");
});

Deno.test("chunks in an import cycle are left as they are; a bad chunk is named", async () => {
  // b.js calls a.js's f while b.js runs, before a.js has: a declaration is there already, a var would not be.
  const a = 'import{g}from"./b.js";function f(){return"f"}export const out=g;export{f};';
  const b = 'import{f}from"./a.js";export const g=f();';
  const c = "function h(){return 3}export{h};";
  const chunks = new Map([["a.js", a], ["b.js", b], ["c.js", c]]);
  const lazy = new Map([["a.js", new Set([startOf(a, "f")])], ["c.js", new Set([startOf(c, "h")])]]);
  const { changed, eager } = eagerChunks(chunks, lazy);
  assert.deepEqual([...changed.keys()], ["c.js"]);
  assert.equal(eager, 1);
  // What the guard prevents: the cycle's chunk rewritten fails to load.
  const dir = await Deno.makeTempDir({ prefix: "oc-eager-cycle-" });
  try {
    await Deno.writeTextFile(`${dir}/b.js`, b);
    await Deno.writeTextFile(`${dir}/a.js`, a);
    assert.equal((await import(`file://${dir}/a.js`)).out, "f");
    await Deno.writeTextFile(`${dir}/b.js`, b.replace("./a.js", "./a2.js"));
    await Deno.writeTextFile(`${dir}/a2.js`, eagerChunk(a, lazy.get("a.js")!).text.replace("./b.js", "./b2.js"));
    await Deno.writeTextFile(`${dir}/b2.js`, b.replace("./a.js", "./a2.js"));
    await assert.rejects(import(`file://${dir}/a2.js`), /f is not a function/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
  assert.throws(() => eagerChunks(new Map([["x.js", "function ("]]), new Map([["x.js", new Set([9])]])), /x\.js/);
});

Deno.test("only the functions at the given starts are rewritten; nothing else is touched", () => {
  assert.deepEqual(eagerChunk(CHUNK, new Set()), { text: CHUNK, eager: 0 });
  // A start inside a function's body (an inner function's) does not make the outer one eager.
  const inner = CHUNK.indexOf("(", CHUNK.indexOf("function inner(") + 9);
  assert.deepEqual(eagerChunk(CHUNK, new Set([inner])), { text: CHUNK, eager: 0 });
  const { text } = eagerChunk(`#!/usr/bin/env deno\nfunction a(){return 1}export{a};`, new Set([30]));
  assert.ok(text.startsWith("#!/usr/bin/env deno\nvar a=(function(){return 1});"), text);
});

Deno.test("the function log is read for file modules only, and malformed lines are skipped", () => {
  const log = [
    "script-details,3,ext:core/00_primordials.js,0,0,",
    "script-details,50,file:///tmp/b/chunk-A.js,0,0,",
    "function,parse-function,3,10,20,0.1,100,primordial",
    "function,parse-function,50,38,90,0.2,200,f",
    "function,interpreter,50,38,90,0.1,210,f",
    "function,parse-function,50,x,90,0.2,220,broken",
    "function,parse-function,51,12,30,0.2,230,unknown script",
    "function,parse-func",
  ].join("\n");
  assert.deepEqual(lazilyCompiled(log), new Map([["chunk-A.js", new Set([38])]]));
});

Deno.test("the training flags add V8's function log to the one --v8-flags", () => {
  assert.deepEqual(withFunctionLog(["--allow-net", "--v8-flags=--max-semi-space-size=1"], "/tmp/x/f.log"), [
    "--allow-net",
    "--v8-flags=--max-semi-space-size=1,--log-function-events,--logfile=/tmp/x/f.log,--no-logfile-per-isolate",
  ]);
  assert.deepEqual(withFunctionLog([], "/tmp/f.log"), [
    "--v8-flags=--log-function-events,--logfile=/tmp/f.log,--no-logfile-per-isolate",
  ]);
  assert.throws(() => withFunctionLog([], "/tmp/a,b/f.log"), /comma/);
});
