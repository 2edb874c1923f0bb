import assert from "node:assert/strict";
import { fileToolsFamily } from "../../src/agent/tools_files.ts";
import { patchToolsFamily } from "../../src/agent/tools_patch.ts";
import { callIn, textOf, toolsOf } from "../support/tool_harness.ts";

/** Swaps `dir` between a real directory (holding f.txt) and a symlink to `outside` until stopped. */
function flip(dir: string, outside: string): { stop: () => Promise<number> } {
  let running = true;
  const quietly = (work: Promise<unknown>) => work.catch(() => {});
  const loop = (async () => {
    let flips = 0;
    while (running) {
      await quietly(Deno.remove(dir, { recursive: true }));
      await quietly(Deno.mkdir(dir).then(() => Deno.writeTextFile(`${dir}/f.txt`, "inside")));
      await quietly(Deno.remove(dir, { recursive: true }));
      await quietly(Deno.symlink(outside, dir));
      flips++;
    }
    return flips;
  })();
  return {
    stop: () => {
      running = false;
      return loop;
    },
  };
}

Deno.test("confined file tools racing a directory swapped for a symlink outside: nothing lands, changes or leaks outside", async () => {
  const base = await Deno.realPath(await Deno.makeTempDir({ prefix: "oc-race-" }));
  const ws = `${base}/ws`;
  const outside = `${base}/outside`;
  await Deno.mkdir(ws);
  await Deno.mkdir(outside);
  await Deno.writeTextFile(`${outside}/f.txt`, "SECRET");
  await Deno.writeTextFile(`${outside}/secret-name.txt`, "");
  const tools = await toolsOf(fileToolsFamily, { tools: { fs: { workspaceOnly: true } } }, ws);
  const patch = (await toolsOf(patchToolsFamily, {}, ws)).get("apply_patch")!;
  const attempt = (name: string, args: Record<string, unknown>) =>
    (name === "apply_patch" ? patch : tools.get(name)!).execute(args, callIn(ws)).then(textOf, () => "");
  const flipper = flip(`${ws}/d`, outside);
  const leaks: string[] = [];
  let calls = 0;
  try {
    // At least two seconds of racing (thousands of swaps on a quiet machine) and at least 25 rounds,
    // however busy the machine is; bounded by a minute, then the verdict.
    const started = Date.now();
    const racing = () => Date.now() - started < 60_000 && (Date.now() - started < 2_000 || calls < 25);
    for (; racing(); calls++) {
      await attempt("write", { path: `d/w${calls}.txt`, content: "x" });
      await attempt("write", { path: `d/sub${calls}/w.txt`, content: "x" });
      await attempt("apply_patch", { input: `*** Begin Patch\n*** Add File: d/p${calls}.txt\n+x\n*** End Patch` });
      await attempt("edit", { path: "d/f.txt", edits: [{ oldText: "SECRET", newText: "CHANGED" }] });
      await attempt("apply_patch", { input: "*** Begin Patch\n*** Delete File: d/secret-name.txt\n*** End Patch" });
      for (const seen of [await attempt("read", { path: "d/f.txt" }), await attempt("ls", { path: "d" })]) {
        if (/SECRET|secret-name/.test(seen)) leaks.push(seen);
      }
    }
  } finally {
    const flips = await flipper.stop();
    assert.ok(flips > 20 && calls > 20, `raced enough (${flips} swaps, ${calls} rounds)`);
  }
  const entries = await Array.fromAsync(Deno.readDir(outside));
  // The residue a lost race can leave (docs/tools.md, Confinement): an empty directory or an empty
  // temp file under a random name, made while its parent was swapped. Never content or a chosen name.
  const residue = entries.filter((entry) =>
    (entry.isDirectory && entry.name.startsWith(".openclaw-mkdir-")) ||
    (entry.isFile && /^\..+\.[0-9a-f]{8}\.tmp$/.test(entry.name))
  );
  for (const entry of residue) {
    const path = `${outside}/${entry.name}`;
    if (entry.isDirectory) assert.deepEqual(await Array.fromAsync(Deno.readDir(path)), []);
    else assert.equal((await Deno.stat(path)).size, 0, `${entry.name} is empty`);
  }
  const names = entries.filter((entry) => !residue.includes(entry)).map((entry) => entry.name).sort();
  assert.deepEqual(names, ["f.txt", "secret-name.txt"], "nothing was written to or deleted from the outside directory");
  assert.equal(await Deno.readTextFile(`${outside}/f.txt`), "SECRET");
  assert.deepEqual(leaks, [], "no read or listing returned the outside directory's content");
  await Deno.remove(base, { recursive: true });
});
