import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { sha256Hex } from "../../src/agent/sha256_hex.ts";

Deno.test("sha256Hex: equals node:crypto's digest for every length across block boundaries and for unicode", () => {
  const samples = ["", "abc", "functions.echo:0", "call 1", "héllo wörld", "🦀 tool ids ✓", "\u0000\uffff"];
  for (let length = 0; length <= 300; length++) {
    samples.push(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(length))));
    samples.push(Array.from({ length }, (_, i) => String.fromCodePoint(0x20 + ((i * 7919) % 0x2fff))).join(""));
  }
  samples.push("x".repeat(100_000));
  for (const text of samples) {
    assert.equal(sha256Hex(text), createHash("sha256").update(text).digest("hex"), JSON.stringify(text.slice(0, 40)));
  }
  // The FIPS 180-4 example, independent of node:crypto.
  assert.equal(sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
});
