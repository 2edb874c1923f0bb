import assert from "node:assert/strict";
import { safeCutIndex, sliceUtf16Safe, truncateUtf16Safe } from "../../src/text/utf16_slice.ts";

const EMOJI = "😀"; // one surrogate pair: two UTF-16 units

Deno.test("a cut at a surrogate pair keeps the pair whole or drops it whole", () => {
  const text = `ab${EMOJI}cd`; // a b [hi lo] c d
  assert.equal(truncateUtf16Safe(text, 3), "ab");
  assert.equal(truncateUtf16Safe(text, 4), `ab${EMOJI}`);
  assert.equal(truncateUtf16Safe(text, 99), text);
  assert.equal(truncateUtf16Safe(text, -1), "");
  assert.equal(sliceUtf16Safe(text, 3), "cd", "a start inside the pair skips its low half");
  assert.equal(sliceUtf16Safe(text, -3), "cd");
  assert.equal(sliceUtf16Safe(text, -4), `${EMOJI}cd`);
  assert.equal(sliceUtf16Safe(text, 1, 3), "b");
  assert.equal(sliceUtf16Safe(text, 3, 2), "");
  assert.equal(sliceUtf16Safe(text, 0, -3), "ab");
  assert.equal(safeCutIndex(text, 3), 2);
  assert.equal(safeCutIndex(text, 4), 4);
  assert.equal(safeCutIndex(text, 6), 6);
});

Deno.test("plain text is sliced as String.prototype.slice slices it", () => {
  const text = "hello world";
  for (const [start, end] of [[0, 5], [6, undefined], [-5, undefined], [-5, -1], [20, undefined], [0, 0]] as const) {
    assert.equal(sliceUtf16Safe(text, start, end), text.slice(start, end), `${start}, ${end}`);
  }
});
