import assert from "node:assert/strict";
import { type ChunkBase, contentDeltaFramer } from "../../src/http/chat_chunk_frame.ts";
import { prng } from "../support/prng.ts";

/** The framing it replaces: the chunk object spread and stringified whole. */
function spread(base: ChunkBase, content: string): string {
  return JSON.stringify({ ...base, choices: [{ index: 0, delta: { content }, "finish_reason": null }] });
}

const PIECES = [
  "a",
  "é",
  "😀",
  "\ud800",
  "\udc00",
  '"',
  "\\",
  "\n",
  "\u0000",
  "\u2028",
  "</script>",
  '""},"finish_reason":null}]}',
  " ",
  "MEDIA:",
];

Deno.test("contentDeltaFramer: byte for byte the spread-and-stringify chunk over 20,000 random bases and deltas", () => {
  const random = prng(2323);
  const text = (max: number) =>
    Array.from({ length: Math.floor(random() * max) }, () => PIECES[Math.floor(random() * PIECES.length)]).join("");
  const models: unknown[] = [
    "openclaw",
    "openclaw/main",
    7,
    true,
    ["x"],
    { nested: '"},"finish_reason":null}]}' },
  ];
  for (let i = 0; i < 2_000; i++) {
    const base: ChunkBase = {
      id: `chatcmpl_${text(6)}`,
      object: "chat.completion.chunk",
      created: Math.floor(random() * 2e9),
      model: random() < 0.5 ? text(8) : models[Math.floor(random() * models.length)],
    };
    const frame = contentDeltaFramer(base);
    for (let k = 0; k < 10; k++) {
      const content = text(12);
      assert.equal(frame(content), spread(base, content), JSON.stringify({ base, content }));
    }
  }
});
