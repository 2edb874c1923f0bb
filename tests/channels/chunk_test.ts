import assert from "node:assert/strict";
import { blockStreamer, chunkText } from "../../src/channels/chunk.ts";

Deno.test("chunkText: cuts at newlines, then spaces, then hard, never over the limit", () => {
  assert.deepEqual(chunkText("short", 10), ["short"]);
  assert.deepEqual(chunkText("aaaa bbbb cccc", 10), ["aaaa bbbb", "cccc"]);
  assert.deepEqual(chunkText("line one\nline two", 12), ["line one", "line two"]);
  assert.deepEqual(chunkText("x".repeat(25), 10), ["x".repeat(10), "x".repeat(10), "x".repeat(5)]);
  assert.deepEqual(chunkText("   \n  ", 10), []);
  for (const piece of chunkText("word ".repeat(500), 64)) assert.ok(piece.length <= 64);
  // A limit below one character still advances, one character a piece, instead of looping.
  assert.deepEqual(chunkText("abc", 0), ["a", "b", "c"]);
});

Deno.test("blockStreamer: flushes each block as its break arrives, long blocks early, the rest at the end", () => {
  const lines: string[] = [];
  const byLine = blockStreamer({ limit: 100, breakOn: "line" }, (p) => lines.push(p));
  byLine.push("First li");
  assert.deepEqual(lines, []);
  byLine.push("ne.\nSecond ");
  assert.deepEqual(lines, ["First line."]);
  byLine.push("line.\n\nThird");
  assert.deepEqual(lines, ["First line.", "Second line."], "an empty line is not sent");
  byLine.end();
  assert.deepEqual(lines, ["First line.", "Second line.", "Third"]);

  const paragraphs: string[] = [];
  const byParagraph = blockStreamer({ limit: 20, breakOn: "paragraph" }, (p) => paragraphs.push(p));
  byParagraph.push("one two three four five six");
  assert.deepEqual(paragraphs, ["one two three four"], "a block over the limit is sent before its end");
  byParagraph.push(" seven\n\nnext");
  byParagraph.end();
  assert.deepEqual(paragraphs, ["one two three four", "five six seven", "next"]);
});

Deno.test("blockStreamer (paragraph): a blank line inside a code block is no break; a cut code block is closed and reopened", () => {
  const pieces: string[] = [];
  const streamer = blockStreamer({ limit: 60, breakOn: "paragraph" }, (piece) => pieces.push(piece));
  const code = Array.from({ length: 8 }, (_, i) => `    line_${i} = ${i}`).join("\n");
  // Streamed in small deltas, as a model sends it.
  const answer =
    `Here:\n\n\`\`\`py\ndef a():\n    pass\n\ndef b():\n    pass\n\`\`\`\n\n\`\`\`ts\n${code}\n\`\`\`\n\nDone.`;
  for (let i = 0; i < answer.length; i += 7) streamer.push(answer.slice(i, i + 7));
  streamer.end();
  assert.equal(pieces[0], "Here:");
  assert.equal(pieces[1], "```py\ndef a():\n    pass\n\ndef b():\n    pass\n```");
  assert.equal(pieces.at(-1), "Done.");
  const cut = pieces.slice(2, -1);
  assert.ok(cut.length >= 2, JSON.stringify(pieces));
  for (const piece of cut) {
    assert.ok(piece.length <= 60, `${piece.length}: ${piece}`);
    assert.ok(piece.startsWith("```ts\n") && piece.endsWith("\n```"), piece);
  }
  // Nothing lost, indentation kept.
  const inner = cut.map((piece) => piece.slice("```ts\n".length, -"\n```".length)).join("\n");
  assert.equal(inner, code);
});

Deno.test("blockStreamer (line): unchanged for chats without Markdown", () => {
  const pieces: string[] = [];
  const streamer = blockStreamer({ limit: 100, breakOn: "line" }, (piece) => pieces.push(piece));
  streamer.push("```\na\n\nb\n```");
  streamer.end();
  assert.deepEqual(pieces, ["```", "a", "b", "```"]);
});
