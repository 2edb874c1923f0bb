import assert from "node:assert/strict";
import { eagerChunk, lazilyCompiled } from "../../tools/bundle_eager.ts";
import { withFunctionLog } from "../../tools/bundle_training.ts";

// What the bundle's eager rewrite (tools/bundle_eager.ts) relies on in V8 itself: a parenthesized function is
// compiled with its module, and the function log names the ones compiled on their first call. If a Deno upgrade
// changes either, this fails and the rewrite has to be measured again (docs/performance.md, session 39).

Deno.test("V8 compiles a rewritten declaration with its module, and the log says which ran lazily", async () => {
  const dir = await Deno.makeTempDir({ prefix: "oc-eager-log-" });
  try {
    const chunk = `function lazy(a){return a+1}function hinted(b){return b*2}console.log(lazy(1)+hinted(2));`;
    const { text } = eagerChunk(chunk, new Set([chunk.indexOf("(b)")]));
    await Deno.writeTextFile(`${dir}/chunk.js`, text);
    const result = await new Deno.Command(Deno.execPath(), {
      args: ["run", ...withFunctionLog([], `${dir}/functions.log`), "--quiet", "--no-config", `${dir}/chunk.js`],
      env: { DENO_DIR: `${dir}/deno`, DENO_NO_UPDATE_CHECK: "1" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.equal(new TextDecoder().decode(result.stdout).trim(), "6", new TextDecoder().decode(result.stderr));
    const lazy = lazilyCompiled(await Deno.readTextFile(`${dir}/functions.log`));
    assert.deepEqual([...lazy.get("chunk.js") ?? []], [text.indexOf("(", text.indexOf("function lazy(") + 9)]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
