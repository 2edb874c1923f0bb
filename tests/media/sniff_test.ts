import assert from "node:assert/strict";
import { checkedMimeType, mediaKindOf, normalizeMimeType, sniffMimeType } from "../../src/media/sniff.ts";

const bytes = (...parts: (string | number[])[]): Uint8Array =>
  new Uint8Array(parts.flatMap((part) => typeof part === "string" ? [...new TextEncoder().encode(part)] : part));

Deno.test("sniffMimeType: the formats chat apps carry, from their first bytes", () => {
  assert.equal(sniffMimeType(bytes([0xff, 0xd8, 0xff, 0xe0])), "image/jpeg");
  assert.equal(sniffMimeType(bytes([0x89], "PNG", [0x0d, 0x0a, 0x1a, 0x0a])), "image/png");
  assert.equal(sniffMimeType(bytes("GIF89a")), "image/gif");
  assert.equal(sniffMimeType(bytes("RIFF", [0, 0, 0, 0], "WEBPVP8 ")), "image/webp");
  assert.equal(sniffMimeType(bytes("RIFF", [0, 0, 0, 0], "WAVEfmt ")), "audio/wav");
  assert.equal(sniffMimeType(bytes("%PDF-1.4")), "application/pdf");
  assert.equal(sniffMimeType(bytes("OggS", new Array(30).fill(0))), "audio/ogg");
  assert.equal(sniffMimeType(bytes("ID3", [4, 0])), "audio/mpeg");
  assert.equal(sniffMimeType(bytes([0xff, 0xfb, 0x90])), "audio/mpeg");
  assert.equal(sniffMimeType(bytes([0, 0, 0, 0x20], "ftypM4A ")), "audio/mp4");
  assert.equal(sniffMimeType(bytes([0, 0, 0, 0x20], "ftypisom")), "video/mp4");
  assert.equal(sniffMimeType(bytes([0, 0, 0, 0x20], "ftypheic")), "image/heic");
  assert.equal(sniffMimeType(bytes([0x1a, 0x45, 0xdf, 0xa3], "....webm")), "video/webm");
  assert.equal(sniffMimeType(bytes("PK", [3, 4])), "application/zip");
  assert.equal(sniffMimeType(bytes("hello")), undefined);
  assert.equal(sniffMimeType(new Uint8Array()), undefined);
});

Deno.test("checkedMimeType: bytes first; a zip keeps a specific claim; audio claims keep audio containers audio", () => {
  const docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
  assert.equal(checkedMimeType(bytes("PK", [3, 4]), docx), docx);
  assert.equal(checkedMimeType(bytes([0, 0, 0, 0x20], "ftypisom"), "audio/mp4"), "audio/mp4");
  assert.equal(checkedMimeType(bytes([0x1a, 0x45, 0xdf, 0xa3], "webm"), "audio/webm;codecs=opus"), "audio/webm");
  assert.equal(checkedMimeType(bytes("%PDF-"), "image/png"), "application/pdf");
  assert.equal(checkedMimeType(bytes("text"), "Text/Plain; charset=utf-8"), "text/plain");
  assert.equal(checkedMimeType(bytes("text"), undefined, "a.JPEG"), "image/jpeg");
  assert.equal(checkedMimeType(bytes("text")), "application/octet-stream");
  assert.equal(normalizeMimeType("image/jpg"), "image/jpeg");
  assert.equal(normalizeMimeType("nonsense"), undefined);
});

Deno.test("mediaKindOf: image, audio, video, else document", () => {
  assert.equal(mediaKindOf("image/webp"), "image");
  assert.equal(mediaKindOf("audio/ogg"), "audio");
  assert.equal(mediaKindOf("video/mp4"), "video");
  assert.equal(mediaKindOf("application/pdf"), "document");
});
