import assert from "node:assert/strict";
import { chunksInCycles, eagerChunk, lazilyCompiled } from "../../tools/bundle_eager.ts";
import { withFunctionLog } from "../../tools/bundle_training.ts";

/** Where V8 starts the function declared as `function <name>(`: its parameter list. */
function startOf(chunk: string, name: string): number {
  return chunk.indexOf("(", chunk.indexOf(`function ${name}(`) + "function ".length);
}

async function importChunk(text: string): Promise<Record<string, unknown>> {
  const dir = await Deno.makeTempDir({ prefix: "oc-eager-" });
  try {
    await Deno.writeTextFile(`${dir}/chunk.js`, text);
    return await import(`file://${dir}/chunk.js`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
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
