// Base64 as node:buffer's `Buffer` does it, through the runtime's own Uint8Array methods: modules on
// the gateway's start path (chat attachments, inbound images) use these so that start-up loads no
// part of Deno's Node compatibility layer (docs/performance.md). tests/media/base64_test.ts holds
// them equal to Buffer's.

/** Standard base64 with padding (`Buffer.from(bytes).toString("base64")`). */
export function encodeBase64(bytes: Uint8Array): string {
  return bytes.toBase64();
}

/**
 * The bytes `Buffer.from(text, "base64")` gives for text of the base64 alphabet with at most two
 * trailing `=` (what callers have checked): padding optional, a dangling last character ignored.
 */
export function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  let body = text.replace(/=+$/, "");
  if (body.length % 4 === 1) body = body.slice(0, -1);
  return Uint8Array.fromBase64(body, { lastChunkHandling: "loose" });
}
