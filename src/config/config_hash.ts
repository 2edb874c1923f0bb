// The config content hash on its own, so what writes config files (src/config/write.ts, and through
// it the CLI's stored token) does not load the config schema and zod with src/config/load.ts.

/** Hex SHA-256 of a text, used as a config content hash. */
export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}
