import assert from "node:assert/strict";
import { chunkMarkdown, sha256Text } from "../../../src/agent/memory/chunking.ts";

Deno.test("chunking: short files are one chunk with their line range and text hash", () => {
  const chunks = chunkMarkdown("Met Alice about the Q3 roadmap.\n");
  assert.deepEqual(chunks, [{
    startLine: 1,
    endLine: 2,
    text: "Met Alice about the Q3 roadmap.\n",
    hash: sha256Text("Met Alice about the Q3 roadmap.\n"),
  }]);
  assert.deepEqual(chunkMarkdown("\n\n"), [], "blank chunks are dropped");
});

Deno.test("chunking: curated files split per entry and heading; the chunk id matches the reference's", () => {
  const chunks = chunkMarkdown("# Facts\n- The user's cat is named Biscuit.\n- Favourite colour: teal\n", {
    tokens: 400,
    overlap: 80,
    perEntry: true,
  });
  assert.deepEqual(chunks.map((c) => [c.startLine, c.endLine]), [[1, 1], [2, 2], [3, 4]]);
  // The id the reference 2026.9.6 stored for the second chunk of this MEMORY.md (recorded by hand).
  const c = chunks[1]!;
  assert.equal(
    sha256Text(`memory:MEMORY.md:${c.startLine}:${c.endLine}:${c.hash}:fts-only`),
    "facd3cba057be2639c5d889a65b809d3ac8c5f2a38a45f01ac64843ba21eb3a3",
  );
});

Deno.test("chunking: chunks of at most tokens*4 chars overlap by about overlap*4 chars of whole lines", () => {
  const lines = Array.from({ length: 100 }, (_, i) => `line ${String(i + 1).padStart(3, "0")} ${"x".repeat(30)}`);
  const chunks = chunkMarkdown(lines.join("\n"), { tokens: 50, overlap: 10 });
  assert.ok(chunks.length > 1);
  for (const chunk of chunks) assert.ok(chunk.text.length <= 200, `${chunk.text.length}`);
  for (let i = 1; i < chunks.length; i += 1) {
    assert.ok(chunks[i]!.startLine <= chunks[i - 1]!.endLine, "consecutive chunks share a line");
  }
  assert.equal(chunks.at(-1)!.endLine, 100);
});

Deno.test("chunking: a line longer than a chunk is split into pieces on the same line number", () => {
  const chunks = chunkMarkdown("y".repeat(500), { tokens: 50, overlap: 0 });
  assert.deepEqual(chunks.map((c) => [c.startLine, c.endLine, c.text.length]), [[1, 1, 200], [1, 1, 200], [1, 1, 100]]);
});
