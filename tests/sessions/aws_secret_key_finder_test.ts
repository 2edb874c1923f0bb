import assert from "node:assert/strict";
import { findAwsSecretKeys } from "../../src/sessions/aws_secret_key_finder.ts";

const KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
const found = (text: string) => [...findAwsSecretKeys(text)].map(({ index, match }) => [index, match]);

Deno.test("findAwsSecretKeys() finds a bare 40-character key, not a longer run or a hex digest", () => {
  assert.deepEqual(found(`key ${KEY} end`), [[4, KEY]]);
  assert.deepEqual(found(`${KEY}X`), []);
  assert.deepEqual(found("da39a3ee5e6b4b0d3255bfef95601890afd80709"), []);
  assert.deepEqual(found(`x_${KEY}`), []);
});

Deno.test("findAwsSecretKeys() skips a public URL's path and a base64 payload, not a URL's credentials", () => {
  assert.deepEqual(found(`https://h.io/${KEY}`), []);
  assert.deepEqual(found(`data:text/plain;base64,${KEY}`), []);
  assert.deepEqual(found(`https://user:${KEY}@h.io/`), [[13, KEY]]);
});
