import assert from "node:assert/strict";
import { pageOf, readPage, type ReadPageRequest } from "../../src/agent/read_page.ts";
import { STREAM_READ_BYTES, streamWindow } from "../../src/agent/read_window.ts";
import { fileToolsFamily } from "../../src/agent/tools_files.ts";
import { callIn, toolsOf } from "../support/tool_harness.ts";

async function* pieces(bytes: Uint8Array, sizes: number[]): AsyncGenerator<Uint8Array> {
  for (let at = 0, i = 0; at < bytes.length; i++) {
    const size = sizes[i % sizes.length]!;
    yield bytes.subarray(at, at + size);
    at += size;
  }
}

function whole(bytes: Uint8Array, request: ReadPageRequest) {
  const decoded = new TextDecoder("utf-8").decode(bytes).replace(/^\uFEFF/, "").replaceAll("\r\n", "\n");
  return readPage(decoded, bytes.length, request);
}

Deno.test("a streamed window builds the same page as the whole text, whatever the chunking", async () => {
  const alphabet = ["a", "bc", "\n", "\r\n", "\r", " ", "\uFEFF", "é", "😀", "\n\n", "x".repeat(40)];
  // mulberry32: reproducible, and spread enough to reach every branch.
  let seed = 7;
  const random = (n: number) => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) % n;
  };
  for (let round = 0; round < 3_000; round++) {
    const text = Array.from({ length: random(60) }, () => alphabet[random(alphabet.length)]).join("");
    const bytes = new TextEncoder().encode((random(4) === 0 ? "\uFEFF" : "") + text);
    const request: ReadPageRequest = {
      offset: random(3) === 0 ? undefined : 1 + random(8),
      limit: random(2) === 0 ? undefined : 1 + random(5),
      cursor: random(4) === 0 ? random(30) : 0,
      maxBytes: 20 + random(200),
    };
    const streamed = pageOf(
      await streamWindow(pieces(bytes, [1 + random(7), 1 + random(3)]), request),
      bytes.length,
      request,
    );
    assert.deepEqual(streamed, whole(bytes, request), JSON.stringify({ text, request }));
  }
});

Deno.test("read streams a file over the threshold and answers as for a small one", async () => {
  const ws = await Deno.realPath(await Deno.makeTempDir({ prefix: "oc-read-" }));
  const line = "0123456789".repeat(10);
  const lines = Math.ceil((STREAM_READ_BYTES + 1) / (line.length + 1));
  const bytes = new TextEncoder().encode(Array.from({ length: lines }, (_, i) => `${i} ${line}`).join("\n"));
  await Deno.writeFile(`${ws}/big.log`, bytes);
  const read = (await toolsOf(fileToolsFamily, {}, ws)).get("read")!;
  for (const args of [{}, { offset: lines - 3 }, { offset: 5000, limit: 2 }, { offset: lines + 1 }]) {
    const result = await read.execute({ path: "big.log", ...args }, callIn(ws));
    const page = whole(bytes, { ...args, cursor: 0, maxBytes: 32_768 });
    assert.deepEqual(result.content, [{ type: "text", text: page.text }], JSON.stringify(args));
  }
  await Deno.remove(ws, { recursive: true });
});
