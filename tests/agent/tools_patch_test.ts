import assert from "node:assert/strict";
import { parsePatch } from "../../src/agent/patch_parse.ts";
import { patchAllowedForModel, patchToolsFamily } from "../../src/agent/tools_patch.ts";
import { ToolError } from "../../src/agent/tool.ts";
import { callIn, textOf, toolsOf } from "../support/tool_harness.ts";

async function workspace(): Promise<string> {
  return await Deno.realPath(await Deno.makeTempDir({ prefix: "oc-patch-" }));
}

function patch(...lines: string[]): string {
  return ["*** Begin Patch", ...lines, "*** End Patch"].join("\n");
}

Deno.test("apply_patch adds, updates, moves and deletes files in one patch and summarises them", async () => {
  const ws = await workspace();
  await Deno.writeTextFile(`${ws}/app.ts`, "const foo = 1;\nconst bar = 2;\n");
  await Deno.writeTextFile(`${ws}/old-name.ts`, "export const x = 1;\n");
  await Deno.writeTextFile(`${ws}/obsolete.txt`, "bye\n");
  const tool = (await toolsOf(patchToolsFamily, {}, ws)).get("apply_patch")!;
  assert.equal(tool.description, "Patch one/many files. Input requires *** Begin Patch and *** End Patch.");
  const result = await tool.execute({
    input: patch(
      "*** Add File: docs/new.txt",
      "+line 1",
      "+line 2",
      "*** Update File: app.ts",
      "@@",
      "-const foo = 1;",
      "+const foo = 10;",
      "*** Update File: old-name.ts",
      "*** Move to: src/new-name.ts",
      "@@",
      "-export const x = 1;",
      "+export const x = 2;",
      "*** Delete File: obsolete.txt",
    ),
  }, callIn(ws));
  assert.equal(
    textOf(result),
    "Success. Updated the following files:\nA docs/new.txt\nM app.ts\nM src/new-name.ts\nD obsolete.txt",
  );
  assert.deepEqual(result.details, {
    summary: { added: ["docs/new.txt"], modified: ["app.ts", "src/new-name.ts"], deleted: ["obsolete.txt"] },
  });
  assert.equal(await Deno.readTextFile(`${ws}/docs/new.txt`), "line 1\nline 2\n");
  assert.equal(await Deno.readTextFile(`${ws}/app.ts`), "const foo = 10;\nconst bar = 2;\n");
  assert.equal(await Deno.readTextFile(`${ws}/src/new-name.ts`), "export const x = 2;\n");
  await assert.rejects(Deno.stat(`${ws}/old-name.ts`), Deno.errors.NotFound);
  await assert.rejects(Deno.stat(`${ws}/obsolete.txt`), Deno.errors.NotFound);
  await Deno.remove(ws, { recursive: true });
});

Deno.test("apply_patch finds a hunk after its @@ context, appends at End of File, and keeps CRLF", async () => {
  const ws = await workspace();
  await Deno.writeTextFile(`${ws}/f.txt`, "a\r\nx\r\nb\r\nx\r\n");
  const tool = (await toolsOf(patchToolsFamily, {}, ws)).get("apply_patch")!;
  await tool.execute({
    input: patch("*** Update File: f.txt", "@@ b", "-x", "+y", "@@", "+tail", "*** End of File"),
  }, callIn(ws));
  assert.equal(await Deno.readTextFile(`${ws}/f.txt`), "a\r\nx\r\nb\r\ny\r\ntail\r\n");
  // A context line matched loosely (trailing spaces) keeps the file's own text.
  await Deno.writeTextFile(`${ws}/g.txt`, "keep me   \nold\n");
  await tool.execute({ input: patch("*** Update File: g.txt", "@@", " keep me", "-old", "+new") }, callIn(ws));
  assert.equal(await Deno.readTextFile(`${ws}/g.txt`), "keep me   \nnew\n");
  const same = await tool.execute({ input: patch("*** Update File: f.txt", "@@", "-a", "+a") }, callIn(ws));
  assert.equal(textOf(same), "No changes made to f.txt.");
  await Deno.remove(ws, { recursive: true });
});

Deno.test("apply_patch refuses ambiguous or missing lines and an Add over an existing file", async () => {
  const ws = await workspace();
  await Deno.writeTextFile(`${ws}/f.txt`, "x\nx\n");
  const tool = (await toolsOf(patchToolsFamily, {}, ws)).get("apply_patch")!;
  await assert.rejects(
    tool.execute({ input: patch("*** Update File: f.txt", "@@", "-x", "+y") }, callIn(ws)),
    (e: Error) => e instanceof ToolError && e.message.startsWith(`Found 2 occurrences of these lines in ${ws}/f.txt.`),
  );
  await assert.rejects(
    tool.execute({ input: patch("*** Update File: f.txt", "@@", "-z", "+y") }, callIn(ws)),
    new RegExp(`Failed to find expected lines in ${ws}/f.txt:\\nz`),
  );
  await assert.rejects(
    tool.execute({ input: patch("*** Add File: f.txt", "+new") }, callIn(ws)),
    /Cannot create f\.txt: the file already exists\. Use "\*\*\* Update File: f\.txt" to change it, or delete it earlier in the same patch\./,
  );
  await assert.rejects(
    tool.execute({ input: patch("*** Delete File: nope.txt") }, callIn(ws)),
    (e: Error) => e instanceof ToolError && e.message === "file not found",
  );
  // Deleting it first in the same patch makes room.
  await tool.execute({ input: patch("*** Delete File: f.txt", "*** Add File: f.txt", "+new") }, callIn(ws));
  assert.equal(await Deno.readTextFile(`${ws}/f.txt`), "new\n");
  await Deno.remove(ws, { recursive: true });
});

Deno.test("malformed patches get the reference's parse errors", async () => {
  const cases: [string, RegExp][] = [
    ["", /^Invalid patch: input is empty\.$/],
    ["*** Update File: a\n*** End Patch", /^The first line of the patch must be '\*\*\* Begin Patch'$/],
    ["*** Begin Patch\n*** Add File: a\n+x", /^The last line of the patch must be '\*\*\* End Patch'$/],
    [patch("*** Frobnicate: a"), /^Invalid patch hunk at line 2: '\*\*\* Frobnicate: a' is not a valid hunk header\./],
    [patch("*** Update File: a"), /^Invalid patch hunk at line 2: Update file hunk for path 'a' is empty$/],
    [patch("*** Update File: a", "@@", "?x"), /Unexpected line found in update hunk: '\?x'/],
  ];
  for (const [input, expected] of cases) {
    assert.throws(() => parsePatch(input), (e: Error) => e instanceof ToolError && expected.test(e.message), input);
  }
  // A heredoc wrapper around the envelope is accepted.
  assert.equal(parsePatch(`<<'EOF'\n${patch("*** Delete File: a")}\nEOF`).length, 1);
  const ws = await workspace();
  const tool = (await toolsOf(patchToolsFamily, {}, ws)).get("apply_patch")!;
  await assert.rejects(tool.execute({ input: "  " }, callIn(ws)), /^ToolError: Provide a patch input\.$/);
  await Deno.remove(ws, { recursive: true });
});

Deno.test("apply_patch stays in the workspace by default; workspaceOnly false lets it out", async () => {
  const ws = await workspace();
  const outside = await workspace();
  const confined = (await toolsOf(patchToolsFamily, {}, ws)).get("apply_patch")!;
  await assert.rejects(
    confined.execute({ input: patch(`*** Add File: ${outside}/x.txt`, "+x") }, callIn(ws)),
    (e: Error) => e instanceof ToolError && e.message === `Path escapes sandbox root (${ws}): ${outside}/x.txt`,
  );
  await Deno.symlink(outside, `${ws}/out`);
  await assert.rejects(
    confined.execute({ input: patch("*** Add File: out/x.txt", "+x") }, callIn(ws)),
    /Symlink escapes sandbox root/,
  );
  await assert.rejects(Deno.stat(`${outside}/x.txt`), Deno.errors.NotFound);
  const open = (await toolsOf(patchToolsFamily, { tools: { exec: { applyPatch: { workspaceOnly: false } } } }, ws))
    .get("apply_patch")!;
  await open.execute({ input: patch(`*** Add File: ${outside}/x.txt`, "+x") }, callIn(ws));
  assert.equal(await Deno.readTextFile(`${outside}/x.txt`), "x\n");
  // tools.fs.workspaceOnly confines it on its own.
  const fsConfined = await toolsOf(
    patchToolsFamily,
    { tools: { fs: { workspaceOnly: true }, exec: { applyPatch: { workspaceOnly: false } } } },
    ws,
  );
  await assert.rejects(
    fsConfined.get("apply_patch")!.execute({ input: patch(`*** Add File: ${outside}/y.txt`, "+y") }, callIn(ws)),
    /Path escapes sandbox root/,
  );
  await Deno.remove(ws, { recursive: true });
  await Deno.remove(outside, { recursive: true });
});

Deno.test("apply_patch is offered unless disabled or left out by allowModels", async () => {
  const ws = await workspace();
  assert.equal((await toolsOf(patchToolsFamily, { tools: { exec: { applyPatch: { enabled: false } } } }, ws)).size, 0);
  assert.equal(
    (await toolsOf(patchToolsFamily, { tools: { exec: { applyPatch: { allowModels: ["gpt-other"] } } } }, ws)).size,
    0,
  );
  assert.ok(patchAllowedForModel(["OpenAI/GPT-Test"], { provider: "openai", model: "gpt-test" }));
  assert.ok(patchAllowedForModel(["gpt-test"], { provider: "openai", model: "gpt-test" }));
  assert.ok(!patchAllowedForModel(["gpt-test"], undefined));
  assert.ok(patchAllowedForModel(undefined, undefined));
  await Deno.remove(ws, { recursive: true });
});

Deno.test("apply_patch Delete File removes files and links, never a directory nor the workspace itself", async () => {
  const ws = await workspace();
  await Deno.mkdir(`${ws}/dir`);
  await Deno.writeTextFile(`${ws}/dir/keep.txt`, "keep\n");
  await Deno.writeTextFile(`${ws}/gone.txt`, "x\n");
  await Deno.symlink("dir", `${ws}/link`);
  const tool = (await toolsOf(patchToolsFamily, {}, ws)).get("apply_patch")!;
  for (const path of [".", "dir", "dir/..", ws]) {
    await assert.rejects(
      tool.execute({ input: patch(`*** Delete File: ${path}`) }, callIn(ws)),
      (e: Error) =>
        e instanceof ToolError &&
        /^Cannot delete .*: it is a directory; apply_patch deletes files only\.$/.test(e.message),
    );
  }
  assert.equal(await Deno.readTextFile(`${ws}/dir/keep.txt`), "keep\n");
  await tool.execute({ input: patch("*** Delete File: gone.txt", "*** Delete File: link") }, callIn(ws));
  await assert.rejects(Deno.lstat(`${ws}/gone.txt`), Deno.errors.NotFound);
  await assert.rejects(Deno.lstat(`${ws}/link`), Deno.errors.NotFound);
  assert.equal(await Deno.readTextFile(`${ws}/dir/keep.txt`), "keep\n", "the link went, not its target");
  await Deno.remove(ws, { recursive: true });
});
