import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { decodeBase64, encodeBase64 } from "../../src/media/base64.ts";

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

Deno.test("base64: encoding equals Buffer's for every length up to 300 of random bytes", () => {
  for (let length = 0; length <= 300; length++) {
    const bytes = crypto.getRandomValues(new Uint8Array(length));
    assert.equal(encodeBase64(bytes), Buffer.from(bytes).toString("base64"), `length ${length}`);
  }
});

Deno.test("base64: decoding equals Buffer's for alphabet strings with and without padding", () => {
  let checked = 0;
  for (let length = 1; length <= 64; length++) {
    for (let round = 0; round < 20; round++) {
      const random = crypto.getRandomValues(new Uint8Array(length));
      const body = [...random].map((n) => ALPHABET[n % 64]).join("");
      for (const text of [body, `${body}=`, `${body}==`]) {
        assert.deepEqual(decodeBase64(text), new Uint8Array(Buffer.from(text, "base64")), text);
        checked++;
      }
    }
  }
  const bytes = crypto.getRandomValues(new Uint8Array(1000));
  assert.deepEqual(decodeBase64(Buffer.from(bytes).toString("base64")), bytes);
  assert.ok(checked > 3000);
});
