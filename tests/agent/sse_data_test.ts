// The SSE reader (src/agent/sse_data.ts) against the parser it follows, eventsource-parser 3.1.1
// (the version the SDK's provider-utils locks): the same text in the same pieces to both, the
// events' data compared. Pieces are never empty (TextDecoderStream hands on none).
import assert from "node:assert/strict";
import { createParser } from "eventsource-parser";
import { sseDataReader } from "../../src/agent/sse_data.ts";
import { prng } from "../support/prng.ts";

const TOKENS = [
  "data:",
  "data: ",
  "data",
  "dat",
  "a:",
  "\r",
  "\n",
  "\r\n",
  "\n\n",
  "\r\r",
  " ",
  "x",
  ":",
  "{}",
  "event:e",
  "id:1",
  "retry:5",
  "\u00ef\u00bb\u00bf",
];

function both(pieces: string[]): { expected: string[]; actual: string[] } {
  const expected: string[] = [];
  const actual: string[] = [];
  const parser = createParser({ onEvent: (event) => void expected.push(event.data) });
  const feed = sseDataReader((data) => void actual.push(data));
  for (const piece of pieces) {
    parser.feed(piece);
    feed(piece);
  }
  return { expected, actual };
}

Deno.test("SSE reader = eventsource-parser: a CR blank line held back, then a piece with no line end", () => {
  const { expected, actual } = both(["data: x\r", "\r", "ab"]);
  assert.deepStrictEqual(actual, expected);
  assert.deepStrictEqual(actual, []);
});

Deno.test("SSE reader = eventsource-parser: 20,000 seeded texts of SSE tokens cut at random", () => {
  const random = prng(23);
  for (let n = 0; n < 20_000; n++) {
    let text = "";
    const count = 1 + Math.floor(random() * 14);
    for (let i = 0; i < count; i++) text += TOKENS[Math.floor(random() * TOKENS.length)];
    const pieces: string[] = [];
    for (let at = 0; at < text.length;) {
      const size = 1 + Math.floor(random() * 6);
      pieces.push(text.slice(at, at + size));
      at += size;
    }
    const { expected, actual } = both(pieces);
    assert.deepStrictEqual(actual, expected, `case ${n}: ${JSON.stringify(pieces)}`);
  }
});
