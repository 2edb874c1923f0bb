import assert from "node:assert/strict";
import { sniffText, utf16Charset } from "../../src/http/text_sniff.ts";

const utf16le = (text: string) => new Uint8Array(Uint16Array.from(text, (c) => c.charCodeAt(0)).buffer);

Deno.test("utf16Charset(): by byte-order mark, or by the share of zero bytes", () => {
  assert.equal(utf16Charset(new Uint8Array([0xff, 0xfe, 0x41, 0])), "utf-16le");
  assert.equal(utf16Charset(new Uint8Array([0xfe, 0xff, 0, 0x41])), "utf-16be");
  assert.equal(utf16Charset(utf16le("hello")), "utf-16le");
  assert.equal(utf16Charset(new TextEncoder().encode("hello")), undefined);
});

Deno.test("sniffText(): plain text, CSV by its first line, UTF-16; binary is not text", () => {
  assert.deepEqual(sniffText(new TextEncoder().encode("just words\nmore")), { mimeType: "text/plain" });
  assert.deepEqual(sniffText(new TextEncoder().encode("a,b\n1,2")), { mimeType: "text/csv" });
  assert.deepEqual(sniffText(utf16le("hi there")), { mimeType: "text/plain", charset: "utf-16le" });
  assert.equal(sniffText(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 0xff, 0xfe, 0xfd])), undefined);
  // A multi-byte character cut by the 4 KB sample is still text.
  assert.deepEqual(sniffText(new TextEncoder().encode(`${"a".repeat(4095)}é`)), { mimeType: "text/plain" });
});
