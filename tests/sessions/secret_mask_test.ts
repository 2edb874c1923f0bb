import assert from "node:assert/strict";
import { maskToken, splitSecretValue } from "../../src/sessions/secret_mask.ts";

Deno.test("maskToken() hides short secrets and keeps 6 + 4 characters of long ones", () => {
  assert.equal(maskToken("agent:main:main"), "***");
  assert.equal(maskToken("sk-abcdefghijklmnopqrstuvwxyz"), "sk-abc…wxyz");
});

Deno.test("maskToken() does not cut an emoji in half at either edge", () => {
  // As the reference's own mask shows these (its slice moves off a surrogate pair's middle).
  assert.equal(maskToken("abcde😀fghijklmnopqrst😀"), "abcde…st😀");
  assert.equal(maskToken("abcdefghijklmnopq😀xyz"), "abcdef…xyz");
});

Deno.test("splitSecretValue() leaves quotes and trailing delimiters outside the secret", () => {
  assert.deepEqual(splitSecretValue(`"hunter2",`), { maskable: "hunter2", suffix: ",", maskEnd: 9 });
  assert.deepEqual(splitSecretValue("'unclosed);"), { maskable: "unclosed", suffix: ");", maskEnd: 9 });
  assert.deepEqual(splitSecretValue("plain;"), { maskable: "plain", suffix: ";", maskEnd: 5 });
  assert.deepEqual(splitSecretValue(";;"), { maskable: ";;", suffix: "", maskEnd: 2 });
});
