// The config content hash on its own, so what writes config files (src/config/write.ts, and through
// it the CLI's stored token) does not load the config schema and zod with src/config/load.ts.

/** Hex SHA-256 of a text, used as a config content hash. */
export function sha256Hex(text: string): Promise<string> {
  return sha256HexOfBytes(new TextEncoder().encode(text));
}

/** Hex SHA-256 of bytes (a file as read, before any decoding). */
export async function sha256HexOfBytes(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}
