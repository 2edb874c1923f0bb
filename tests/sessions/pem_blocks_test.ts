import assert from "node:assert/strict";
import { findPemBlocks, maskPemBlock } from "../../src/sessions/pem_blocks.ts";

const KEY = "-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----";

Deno.test("findPemBlocks() pairs each BEGIN with the first END after it and ignores BEGINs inside a block", () => {
  const text = `a ${KEY} b -----BEGIN PRIVATE KEY-----\nx\n-----BEGIN PRIVATE KEY-----\ny\n-----END PRIVATE KEY----- c`;
  assert.deepEqual([...findPemBlocks(text)].map(({ index, match }) => [index, match.length]), [
    [2, KEY.length],
    [text.indexOf("-----BEGIN PRIVATE KEY-----"), text.lastIndexOf("-----") + 5 - text.indexOf("-----BEGIN PRIVATE")],
  ]);
});

Deno.test("findPemBlocks() lets an END's closing dashes open the next BEGIN and skips public keys", () => {
  const text = "-----END RSA PRIVATE KEY-----BEGIN RSA PRIVATE KEY-----\nz\n-----END RSA PRIVATE KEY-----";
  assert.deepEqual([...findPemBlocks(text)].map(({ index }) => index), [24]);
  assert.deepEqual([...findPemBlocks("-----BEGIN PUBLIC KEY-----\nx\n-----END PUBLIC KEY-----")], []);
  assert.deepEqual([...findPemBlocks("-----BEGIN PRIVATE KEY-----\nno end")], []);
});

Deno.test("maskPemBlock() keeps the first and last lines, and hides a one-line block whole", () => {
  assert.equal(maskPemBlock(KEY), "-----BEGIN RSA PRIVATE KEY-----\n…redacted…\n-----END RSA PRIVATE KEY-----");
  assert.equal(maskPemBlock("-----BEGIN PRIVATE KEY-----x-----END PRIVATE KEY-----"), "***");
});
