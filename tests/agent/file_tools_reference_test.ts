// The file tools replayed on inputs the reference's own tools were run on: results must match what
// OpenClaw 2026.9.6 returned (tests/fixtures/reference_file_tools.json records it).
import assert from "node:assert/strict";
import { fileToolsFamily } from "../../src/agent/tools_files.ts";
import { patchToolsFamily } from "../../src/agent/tools_patch.ts";
import type { ToolResult } from "../../src/agent/tool.ts";
import { callIn, toolsOf } from "../support/tool_harness.ts";
import { REPO_ROOT } from "../support/spawn_gateway.ts";

interface Fixture {
  edit: { file: string; content: string; edits: unknown[]; expected: Record<string, unknown> }[];
  read: { args: Record<string, unknown>; expected: Record<string, unknown> }[];
  patch: { files: Record<string, string>; input: string; expected: Record<string, unknown> }[];
  write: { before: string | null; path: string; content: string; expected: Record<string, unknown> }[];
}

const fixture = JSON.parse(
  await Deno.readTextFile(`${REPO_ROOT}/tests/fixtures/reference_file_tools.json`),
) as Fixture;

async function workspace(): Promise<string> {
  return await Deno.realPath(await Deno.makeTempDir({ prefix: "oc-ref-files-" }));
}

const decode = (bytes: Uint8Array) => new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes);

async function filesIn(dir: string, prefix = ""): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const entries = (await Array.fromAsync(Deno.readDir(dir))).sort((a, b) => a.name < b.name ? -1 : 1);
  for (const entry of entries) {
    if (entry.isDirectory) Object.assign(out, await filesIn(`${dir}/${entry.name}`, `${prefix}${entry.name}/`));
    else out[prefix + entry.name] = decode(await Deno.readFile(`${dir}/${entry.name}`));
  }
  return out;
}

async function outcome(run: () => Promise<ToolResult>, ws: string): Promise<Record<string, unknown>> {
  try {
    const result = await run();
    const first = result.content[0];
    return { text: first?.type === "text" ? first.text : "", details: result.details };
  } catch (error) {
    return { error: (error as Error).message.replaceAll(ws, "<WS>") };
  }
}

Deno.test("edit answers as the reference's edit tool did, case by case", async () => {
  const ws = await workspace();
  const edit = (await toolsOf(fileToolsFamily, {}, ws)).get("edit")!;
  for (const c of fixture.edit) {
    await Deno.writeTextFile(`${ws}/${c.file}`, c.content);
    const got = await outcome(() => edit.execute({ path: c.file, edits: c.edits }, callIn(ws)), ws);
    const actual = "error" in got ? got : { text: got.text, after: decode(await Deno.readFile(`${ws}/${c.file}`)) };
    assert.deepEqual(actual, c.expected, JSON.stringify(c.edits));
  }
  await Deno.remove(ws, { recursive: true });
});

Deno.test("read answers as the reference's read tool did, case by case", async () => {
  const ws = await workspace();
  await Deno.writeTextFile(`${ws}/blank.txt`, "\n\n\n");
  await Deno.writeTextFile(`${ws}/long.txt`, "y".repeat(40_000) + "\nsecond\n");
  await Deno.writeTextFile(`${ws}/many.txt`, Array.from({ length: 5000 }, (_, i) => `line ${i + 1}\n`).join(""));
  await Deno.writeTextFile(`${ws}/empty.txt`, "");
  await Deno.writeTextFile(`${ws}/crlf.txt`, "a\r\nb\r\n");
  await Deno.writeFile(
    `${ws}/dot.png`,
    Uint8Array.from(
      atob("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="),
      (c) => c.charCodeAt(0),
    ),
  );
  await Deno.writeFile(`${ws}/bin.dat`, Uint8Array.from({ length: 256 }, (_, i) => i));
  const read = (await toolsOf(fileToolsFamily, {}, ws)).get("read")!;
  for (const c of fixture.read) {
    let actual: Record<string, unknown>;
    try {
      const result = await read.execute(c.args, callIn(ws));
      const text = result.content.map((block) =>
        block.type === "text" ? block.text : `[${block.type} ${block.mimeType} ${block.data.length}]`
      ).join("|");
      const details = result.details as Record<string, unknown>;
      actual = JSON.parse(JSON.stringify({
        head: text.slice(0, 150),
        tail: text.slice(-160),
        len: text.length,
        kind: details.kind,
        cont: details.continuation,
        trunc: details.truncation,
      }));
    } catch (error) {
      actual = { error: (error as Error).message };
    }
    assert.deepEqual(actual, c.expected, JSON.stringify(c.args));
  }
  await Deno.remove(ws, { recursive: true });
});

Deno.test("apply_patch answers and leaves the files as the reference's apply_patch did, case by case", async () => {
  for (const c of fixture.patch) {
    const ws = await workspace();
    for (const [name, text] of Object.entries(c.files)) await Deno.writeTextFile(`${ws}/${name}`, text);
    const tool = (await toolsOf(patchToolsFamily, {}, ws)).get("apply_patch")!;
    const got = await outcome(() => tool.execute({ input: c.input }, callIn(ws)), ws);
    assert.deepEqual({ ...got, files: await filesIn(ws) }, c.expected, c.input);
    await Deno.remove(ws, { recursive: true });
  }
});

Deno.test("write reports the same diff and patch as the reference's write tool, case by case", async () => {
  for (const c of fixture.write) {
    const ws = await workspace();
    if (c.before !== null) await Deno.writeTextFile(`${ws}/${c.path}`, c.before);
    const write = (await toolsOf(fileToolsFamily, {}, ws)).get("write")!;
    const got = await outcome(() => write.execute({ path: c.path, content: c.content }, callIn(ws)), ws);
    assert.deepEqual(got, c.expected, JSON.stringify(c));
    assert.equal(await Deno.readTextFile(`${ws}/${c.path}`), c.content);
    await Deno.remove(ws, { recursive: true });
  }
});
