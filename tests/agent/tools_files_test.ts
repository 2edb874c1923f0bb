import assert from "node:assert/strict";
import { fileToolsFamily, readBudget } from "../../src/agent/tools_files.ts";
import { ToolError } from "../../src/agent/tool.ts";
import { readPage } from "../../src/agent/read_page.ts";
import { agentFor, callIn, hostFor, textOf, toolsOf } from "../support/tool_harness.ts";

const CONFINED = { tools: { fs: { workspaceOnly: true } } };

async function workspace(): Promise<string> {
  return await Deno.realPath(await Deno.makeTempDir({ prefix: "oc-files-" }));
}

Deno.test("ls, read, edit and write carry the reference's names, labels and required parameters", async () => {
  const ws = await workspace();
  const tools = await toolsOf(fileToolsFamily, {}, ws);
  assert.deepEqual([...tools.keys()], ["ls", "read", "edit", "write"]);
  assert.deepEqual(tools.get("read")!.parameters.required, ["path"]);
  assert.deepEqual(Object.keys(tools.get("read")!.parameters.properties as object), [
    "path",
    "offset",
    "limit",
    "cursor",
    "optional",
  ]);
  assert.deepEqual(tools.get("write")!.parameters.required, ["path", "content"]);
  assert.deepEqual(tools.get("edit")!.parameters.required, ["path", "edits"]);
  assert.equal(tools.get("write")!.description, "Write/overwrite file; creates parent directories.");
  await Deno.remove(ws, { recursive: true });
});

Deno.test("write creates parent directories, reports bytes, and a second identical write changes nothing", async () => {
  const ws = await workspace();
  const write = (await toolsOf(fileToolsFamily, {}, ws)).get("write")!;
  const first = await write.execute({ path: "a/b/note.txt", content: "héllo\n" }, callIn(ws));
  assert.equal(textOf(first), "Successfully wrote 7 bytes to a/b/note.txt");
  assert.equal(first.details?.created, true);
  assert.equal(first.details?.changed, true);
  assert.match(
    String(first.details?.patch),
    /^--- a\/b\/note.txt\n\+\+\+ a\/b\/note.txt\n@@ -0,0 \+1,1 @@\n\+héllo\n$/,
  );
  assert.equal(await Deno.readTextFile(`${ws}/a/b/note.txt`), "héllo\n");
  const again = await write.execute({ path: "a/b/note.txt", content: "héllo\n" }, callIn(ws));
  assert.equal(textOf(again), "No changes made to a/b/note.txt. The file already has identical content.");
  assert.deepEqual(again.details, { changed: false });
  // No temp file is left beside the target.
  assert.deepEqual((await Array.fromAsync(Deno.readDir(`${ws}/a/b`))).map((e) => e.name), ["note.txt"]);
  await Deno.remove(ws, { recursive: true });
});

Deno.test("read pages text: offset and limit, the more-lines notice, and an empty file", async () => {
  const ws = await workspace();
  const read = (await toolsOf(fileToolsFamily, {}, ws)).get("read")!;
  await Deno.writeTextFile(`${ws}/f.txt`, "one\r\ntwo\r\nthree\r\nfour\r\n");
  const all = await read.execute({ path: "f.txt" }, callIn(ws));
  assert.equal(textOf(all), "one\ntwo\nthree\nfour\n");
  assert.deepEqual(all.details, { kind: "text", content: "one\ntwo\nthree\nfour\n" });
  const some = await read.execute({ path: "f.txt", offset: 2, limit: 2 }, callIn(ws));
  assert.equal(textOf(some), "two\nthree\n\n[1 more line in file. Use offset=4 to continue.]");
  assert.equal(some.details?.kind, "truncated");
  const beyond = await read.execute({ path: "f.txt", offset: 9 }, callIn(ws));
  assert.equal(textOf(beyond), "Offset 9 is beyond end of file (4 lines total). Retry with offset <= 4.");
  await Deno.writeTextFile(`${ws}/empty.txt`, "");
  assert.equal(textOf(await read.execute({ path: "empty.txt" }, callIn(ws))), "File is empty (0 bytes).");
  await assert.rejects(read.execute({ path: "f.txt", offset: 0 }, callIn(ws)), /Offset must be an integer at least 1/);
  await Deno.remove(ws, { recursive: true });
});

Deno.test("read truncates a large file at its byte budget with the reference's continuation notice", () => {
  const line = "x".repeat(99);
  const text = Array.from({ length: 1000 }, () => line).join("\n") + "\n";
  const page = readPage(text, text.length, { cursor: 0, maxBytes: 32_768 });
  assert.match(page.text, /\n\n\[Read output capped at 32KB for this call\. Use offset=(\d+) to continue\.\]$/);
  const next = Number(/offset=(\d+)/.exec(page.text)![1]);
  const shown = page.text.split("\n\n[")[0]!;
  assert.equal(shown.split("\n").length, next - 1, "the next offset follows the last line shown");
  assert.ok(new TextEncoder().encode(page.text).length <= 32_768);
  // One line longer than the budget continues inside the line with a cursor.
  const long = "y".repeat(40_000);
  const partial = readPage(long, long.length, { cursor: 0, maxBytes: 32_768 });
  assert.match(partial.text, /\[Read output capped at 32KB for this call\. Use offset=1, cursor=\d+ to continue\.\]$/);
  assert.equal(partial.details?.kind, "truncated");
});

Deno.test("read returns an image as image content, and a missing optional file as not_found", async () => {
  const ws = await workspace();
  const read = (await toolsOf(fileToolsFamily, {}, ws)).get("read")!;
  // A 1x1 PNG.
  const png = Uint8Array.from(
    atob(
      "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=",
    ),
    (c) => c.charCodeAt(0),
  );
  await Deno.writeFile(`${ws}/dot.png`, png);
  const image = await read.execute({ path: "dot.png" }, callIn(ws));
  assert.deepEqual(image.content[0], { type: "text", text: "Read image file [image/png]" });
  assert.equal(image.content[1]?.type, "image");
  assert.equal(image.content[1]?.type === "image" && image.content[1].mimeType, "image/png");
  assert.deepEqual(image.details, { kind: "image", content: "Read image file [image/png]", mimeType: "image/png" });
  const missing = await read.execute({ path: "memory/none.md", optional: true }, callIn(ws));
  assert.equal(textOf(missing), "Optional file not found: memory/none.md.");
  assert.deepEqual(missing.details, { kind: "not_found", status: "not_found", path: "memory/none.md", optional: true });
  await assert.rejects(
    read.execute({ path: "nope.txt" }, callIn(ws)),
    new RegExp(`^ToolError: File not found: ${ws}/nope\\.txt\\.$`),
  );
  await assert.rejects(
    read.execute({ path: "dott.png" }, callIn(ws)),
    /File not found: .*dott\.png\. Did you mean: dot\.png\?$/,
  );
  await Deno.mkdir(`${ws}/dir`);
  await assert.rejects(read.execute({ path: "dir" }, callIn(ws)), /Read requires a file path, but dir is a directory/);
  await Deno.remove(ws, { recursive: true });
});

Deno.test("edit replaces a unique text, keeps CRLF and BOM, and puts the diff in details", async () => {
  const ws = await workspace();
  const edit = (await toolsOf(fileToolsFamily, {}, ws)).get("edit")!;
  await Deno.writeTextFile(`${ws}/c.ts`, "\uFEFFconst a = 1;\r\nconst b = 2;\r\n");
  const result = await edit.execute(
    { path: "c.ts", edits: [{ oldText: "const b = 2;", newText: "const b = 3;" }] },
    callIn(ws),
  );
  assert.equal(textOf(result), "Successfully replaced 1 block(s) in c.ts.");
  const raw = new TextDecoder("utf-8", { ignoreBOM: true }).decode(await Deno.readFile(`${ws}/c.ts`));
  assert.equal(raw, "\uFEFFconst a = 1;\r\nconst b = 3;\r\n");
  assert.equal(result.details?.firstChangedLine, 2);
  assert.equal(result.details?.diff, " 1 const a = 1;\n-2 const b = 2;\n+2 const b = 3;");
  // The older single-pair form still works.
  await edit.execute({ path: "c.ts", oldText: "a = 1", newText: "a = 10" }, callIn(ws));
  assert.match(await Deno.readTextFile(`${ws}/c.ts`), /const a = 10;/);
  await Deno.remove(ws, { recursive: true });
});

Deno.test("edit refuses text that is missing, ambiguous, empty or overlapping, with the reference's words", async () => {
  const ws = await workspace();
  const edit = (await toolsOf(fileToolsFamily, {}, ws)).get("edit")!;
  await Deno.writeTextFile(`${ws}/d.txt`, "x = 1\nx = 1\ny = 2\n");
  const call = (edits: unknown) => edit.execute({ path: "d.txt", edits }, callIn(ws));
  await assert.rejects(
    call([{ oldText: "x = 1", newText: "x = 9" }]),
    (e: Error) =>
      e instanceof ToolError &&
      e.message ===
        "Found 2 occurrences of the text in d.txt. The text must be unique. Please provide more context to make it unique.",
  );
  await assert.rejects(
    call([{ oldText: "z = 3", newText: "" }]),
    /^ToolError: Could not find the exact text in d\.txt\. The old text must match exactly including all whitespace and newlines\.\nClosest matching lines:\n[\s\S]*\nCurrent file contents:\nx = 1/,
  );
  await assert.rejects(
    call([{ oldText: "y = 2", newText: "" }, { oldText: "w", newText: "" }]),
    /Could not find edits\[1\] in d\.txt/,
  );
  const missingEdits =
    "Missing required parameter: edits (received: path, edits=<array>). Supply correct parameters before retrying.";
  await assert.rejects(call([{ oldText: "", newText: "a" }]), (e: Error) => e.message === missingEdits);
  await assert.rejects(call([{ oldText: "  ", newText: "a" }]), (e: Error) => e.message === missingEdits);
  await assert.rejects(
    call([{ oldText: "x = 1\ny", newText: "" }, { oldText: "y = 2", newText: "" }]),
    /edits\[0\] and edits\[1\] overlap in d\.txt/,
  );
  await assert.rejects(call([]), (e: Error) => e.message === missingEdits);
  await assert.rejects(
    edit.execute({ path: "" }, callIn(ws)),
    (e: Error) =>
      e.message ===
        "Missing required parameters: path, edits (received: path=<empty-string>). Supply correct parameters before retrying.",
  );
  const same = await call([{ oldText: "y = 2", newText: "y = 2" }]);
  assert.equal(textOf(same), "No changes made to d.txt. The replacement text is identical to the original.");
  assert.equal(await Deno.readTextFile(`${ws}/d.txt`), "x = 1\nx = 1\ny = 2\n", "nothing written");
  await assert.rejects(
    edit.execute({ path: "gone.txt", edits: [{ oldText: "a", newText: "b" }] }, callIn(ws)),
    /Could not edit file: gone\.txt\. Error code: ENOENT\./,
  );
  await Deno.remove(ws, { recursive: true });
});

Deno.test("without tools.fs.workspaceOnly the file tools reach outside the workspace (the reference's default)", async () => {
  const ws = await workspace();
  const outside = await workspace();
  await Deno.writeTextFile(`${outside}/o.txt`, "outside\n");
  const read = (await toolsOf(fileToolsFamily, {}, ws)).get("read")!;
  assert.equal(textOf(await read.execute({ path: `${outside}/o.txt` }, callIn(ws))), "outside\n");
  assert.equal(
    textOf(await read.execute({ path: "../" + outside.split("/").pop() + "/o.txt" }, callIn(ws))),
    "outside\n",
  );
  await Deno.remove(ws, { recursive: true });
  await Deno.remove(outside, { recursive: true });
});

Deno.test("tools.fs.workspaceOnly refuses paths and symlinks that lead outside the workspace", async () => {
  const ws = await workspace();
  const outside = await workspace();
  await Deno.writeTextFile(`${outside}/secret.txt`, "secret\n");
  await Deno.symlink(outside, `${ws}/link`);
  await Deno.symlink(`${outside}/new.txt`, `${ws}/dangling.txt`);
  await Deno.mkdir(`${ws}/inner`);
  await Deno.writeTextFile(`${ws}/inner/ok.txt`, "ok\n");
  await Deno.symlink(`${ws}/inner`, `${ws}/alias`);
  const tools = await toolsOf(fileToolsFamily, CONFINED, ws);
  const read = tools.get("read")!;
  const write = tools.get("write")!;
  await assert.rejects(
    read.execute({ path: `${outside}/secret.txt` }, callIn(ws)),
    (e: Error) =>
      e instanceof ToolError &&
      e.message.startsWith(
        `Path escapes sandbox root (${ws}): ${outside}/secret.txt. Use a relative path under \`.openclaw/tmp/\``,
      ),
  );
  await assert.rejects(read.execute({ path: "../x.txt" }, callIn(ws)), /^ToolError: Path escapes sandbox root/);
  await assert.rejects(
    read.execute({ path: "link/secret.txt" }, callIn(ws)),
    /^ToolError: Symlink escapes sandbox root .*: .*\/link/,
  );
  await assert.rejects(
    write.execute({ path: "link/new.txt", content: "x" }, callIn(ws)),
    /Symlink escapes sandbox root/,
  );
  await assert.rejects(
    write.execute({ path: "dangling.txt", content: "x" }, callIn(ws)),
    /Symlink escapes sandbox root/,
  );
  await assert.rejects(Deno.stat(`${outside}/new.txt`), Deno.errors.NotFound, "nothing was written outside");
  // A link that stays inside the workspace is fine.
  assert.equal(textOf(await read.execute({ path: "alias/ok.txt" }, callIn(ws))), "ok\n");
  const written = await write.execute({ path: "alias/ok.txt", content: "changed\n" }, callIn(ws));
  assert.equal(
    textOf(written),
    `Successfully wrote 8 bytes to ${ws}/alias/ok.txt`,
    "confined, the resolved path is shown",
  );
  assert.equal(await Deno.readTextFile(`${ws}/inner/ok.txt`), "changed\n", "written through the inside link");
  assert.ok((await Deno.lstat(`${ws}/alias`)).isSymlink, "the link itself is kept");
  await Deno.remove(ws, { recursive: true });
  await Deno.remove(outside, { recursive: true });
});

Deno.test("a read's budget is a tenth of the model's context window, between 32 KB and 128 KB", () => {
  const agent = agentFor({}, "/tmp");
  const model = (contextWindow?: number) => [{
    id: "gpt-test",
    name: "gpt-test",
    provider: "openai",
    reasoning: false,
    available: true,
    ...(contextWindow === undefined ? {} : { contextWindow }),
  }];
  assert.equal(readBudget(hostFor(agent), agent), 32_768);
  // A configured model without a window has the reference registry's 128,000 tokens (tests/fixtures/tool_validation).
  assert.equal(readBudget(hostFor(agent, model()), agent), 51_200);
  assert.equal(readBudget(hostFor(agent, model(200_000)), agent), 80_000);
  assert.equal(readBudget(hostFor(agent, model(8_000)), agent), 32_768);
  assert.equal(readBudget(hostFor(agent, model(1_000_000)), agent), 131_072);
});

Deno.test("edit finds text again with trailing spaces and typographic quotes folded, and names the closest lines", async () => {
  const ws = await workspace();
  const edit = (await toolsOf(fileToolsFamily, {}, ws)).get("edit")!;
  await Deno.writeTextFile(`${ws}/q.ts`, "const s = \u201chello\u201d;   \nnext line\n");
  const result = await edit.execute(
    { path: "q.ts", edits: [{ oldText: 'const s = "hello";\nnext', newText: "const s = 'bye';\nnext" }] },
    callIn(ws),
  );
  assert.equal(textOf(result), "Successfully replaced 1 block(s) in q.ts.");
  assert.equal(await Deno.readTextFile(`${ws}/q.ts`), "const s = 'bye';\nnext line\n");
  // Output compared with the reference's edit tool on the same input.
  await Deno.writeTextFile(`${ws}/c.txt`, "function foo() {\n    return value;\n}\nconst other = 3;\n");
  await assert.rejects(
    edit.execute({ path: "c.txt", edits: [{ oldText: "\treturn valeu;", newText: "x" }] }, callIn(ws)),
    (e: Error) =>
      e.message ===
        "Could not find the exact text in c.txt. The old text must match exactly including all whitespace and newlines.\n" +
          "Closest matching lines:\n" +
          "  near line 2 (85% match):\n" +
          '    expected: "\\treturn valeu;"\n' +
          '    found:    "    return value;"\n' +
          "               ^^^^^^^^^^^^\n" +
          "    hint: indentation differs (expected 0 spaces and 1 tabs, found 4 spaces)\n" +
          "Current file contents:\nfunction foo() {\n    return value;\n}\nconst other = 3;\n",
  );
  await Deno.remove(ws, { recursive: true });
});

Deno.test("reading an env file masks its secrets, as the reference does", async () => {
  const ws = await workspace();
  const read = (await toolsOf(fileToolsFamily, {}, ws)).get("read")!;
  await Deno.writeTextFile(
    `${ws}/.env`,
    'API_KEY=sk-abcdef1234567890abcdef\nNAME=x\nexport DB_PASSWORD="hunter2"\nOTHER=sk-abcdef1234567890abcdef\nURL=postgres://user:pw@host/db\nPORT=8080\n',
  );
  const result = await read.execute({ path: ".env" }, callIn(ws));
  const expected =
    'API_KEY=***\nNAME=x\nexport DB_PASSWORD="***"\nOTHER=sk-abc…cdef\nURL=postgres://user:***@host/db\nPORT=8080\n';
  assert.equal(textOf(result), expected);
  assert.equal(result.details?.content, expected);
  await Deno.writeTextFile(`${ws}/notes.txt`, "API_KEY=visible-in-a-normal-file\n");
  assert.match(textOf(await read.execute({ path: "notes.txt" }, callIn(ws))), /visible-in-a-normal-file/);
  await Deno.remove(ws, { recursive: true });
});

Deno.test("ls lists entries in binary order, JSON-quoted, / after directories, paged with after", async () => {
  const ws = await workspace();
  const ls = (await toolsOf(fileToolsFamily, {}, ws)).get("ls")!;
  await Deno.mkdir(`${ws}/d/sub`, { recursive: true });
  await Deno.mkdir(`${ws}/d/empty`);
  for (const name of [".hidden", "B.txt", "a.txt", 'q"uote']) await Deno.writeTextFile(`${ws}/d/${name}`, "");
  await Deno.symlink("sub", `${ws}/d/linkdir`);
  const all = await ls.execute({ path: "d" }, callIn(ws));
  assert.equal(textOf(all), '".hidden"\n"B.txt"\n"a.txt"\n"empty/"\n"linkdir"\n"q\\"uote"\n"sub/"');
  const page = await ls.execute({ path: "d", limit: 2, after: "B.txt" }, callIn(ws));
  assert.equal(
    textOf(page),
    '"a.txt"\n"empty/"\n\n[More entries. Continue with the same path and after="empty".]',
  );
  assert.equal(page.details?.nextAfter, "empty");
  assert.equal(textOf(await ls.execute({ path: "d/empty" }, callIn(ws))), "(empty directory)");
  await assert.rejects(
    ls.execute({ path: "d/none" }, callIn(ws)),
    /^ToolError: ENOENT: no such file or directory, scandir '/,
  );
  await Deno.remove(ws, { recursive: true });
});

Deno.test("file tool settings are read per call: a config reload applies to the next call", async () => {
  const ws = await workspace();
  const outside = await workspace();
  await Deno.writeTextFile(`${outside}/o.txt`, "o\n");
  let agent = agentFor({}, ws);
  const host = { ...hostFor(agent), config: () => hostFor(agent).config() };
  const read = (await fileToolsFamily(host, agent)).find((tool) => tool.name === "read")!;
  assert.equal(textOf(await read.execute({ path: `${outside}/o.txt` }, callIn(ws))), "o\n");
  agent = agentFor(CONFINED, ws);
  await assert.rejects(read.execute({ path: `${outside}/o.txt` }, callIn(ws)), /Path escapes sandbox root/);
  await Deno.remove(ws, { recursive: true });
  await Deno.remove(outside, { recursive: true });
});

Deno.test("an aborted run's file tool calls do nothing and say so", async () => {
  const ws = await workspace();
  const tools = await toolsOf(fileToolsFamily, {}, ws);
  const aborted = AbortSignal.abort();
  for (const [name, args] of [["read", { path: "x" }], ["write", { path: "x", content: "y" }], ["ls", {}]] as const) {
    await assert.rejects(tools.get(name)!.execute(args, callIn(ws, aborted)), /^ToolError: Operation aborted$/, name);
  }
  await assert.rejects(Deno.stat(`${ws}/x`), Deno.errors.NotFound);
  await Deno.remove(ws, { recursive: true });
});

Deno.test("write and edit on a directory fail with the reference's words", async () => {
  const ws = await workspace();
  const tools = await toolsOf(fileToolsFamily, {}, ws);
  await Deno.mkdir(`${ws}/adir`);
  await assert.rejects(
    tools.get("write")!.execute({ path: "adir", content: "x" }, callIn(ws)),
    (e: Error) => e.message === `EISDIR: illegal operation on a directory, open '${ws}/adir'`,
  );
  await assert.rejects(
    tools.get("edit")!.execute({ path: "adir", edits: [{ oldText: "a", newText: "b" }] }, callIn(ws)),
    (e: Error) => e.message === "EISDIR: illegal operation on a directory, read",
  );
  await Deno.remove(ws, { recursive: true });
});

Deno.test("tools.fs.workspaceOnly refuses a hard-linked file (another name for a file that may live outside)", async () => {
  const ws = await workspace();
  const outside = await workspace();
  await Deno.writeTextFile(`${outside}/secret.txt`, "s\n");
  await Deno.link(`${outside}/secret.txt`, `${ws}/alias.txt`);
  const read = (await toolsOf(fileToolsFamily, CONFINED, ws)).get("read")!;
  await assert.rejects(
    read.execute({ path: "alias.txt" }, callIn(ws)),
    new RegExp(`^ToolError: Hardlinked path is not allowed under sandbox root \\(${ws}\\): ${ws}/alias\\.txt$`),
  );
  const open = (await toolsOf(fileToolsFamily, {}, ws)).get("read")!;
  assert.equal(textOf(await open.execute({ path: "alias.txt" }, callIn(ws))), "s\n");
  await Deno.remove(ws, { recursive: true });
  await Deno.remove(outside, { recursive: true });
});

Deno.test("confined, names that merely start with .. stay inside; .. and ../ still climb out", async () => {
  const ws = await workspace();
  await Deno.writeTextFile(`${ws}/..notes.md`, "inside\n");
  const tools = await toolsOf(fileToolsFamily, CONFINED, ws);
  assert.equal(textOf(await tools.get("read")!.execute({ path: "..notes.md" }, callIn(ws))), "inside\n");
  assert.equal(textOf(await tools.get("read")!.execute({ path: `${ws}/..notes.md` }, callIn(ws))), "inside\n");
  await tools.get("write")!.execute({ path: "..x/y.txt", content: "a" }, callIn(ws));
  assert.equal(await Deno.readTextFile(`${ws}/..x/y.txt`), "a");
  for (const path of ["..", "../..notes.md", "..x/../../y.txt"]) {
    await assert.rejects(
      tools.get("write")!.execute({ path, content: "a" }, callIn(ws)),
      /^ToolError: Path escapes sandbox root/,
      path,
    );
  }
  await Deno.remove(ws, { recursive: true });
});

Deno.test("read refuses a file over 2 GiB without loading it, in node's words as the reference's read fails", async () => {
  const ws = await workspace();
  // Sparse: three gigabytes long, no disk blocks.
  await Deno.writeFile(`${ws}/huge.log`, new Uint8Array());
  await Deno.truncate(`${ws}/huge.log`, 3 * 2 ** 30);
  const read = (await toolsOf(fileToolsFamily, {}, ws)).get("read")!;
  await assert.rejects(
    read.execute({ path: "huge.log" }, callIn(ws)),
    (e: Error) => e instanceof ToolError && e.message === "File size (3221225472) is greater than 2 GiB",
  );
  await Deno.remove(ws, { recursive: true });
});
