import { writeTextAtomic } from "../config/write.ts";

/** Where a generated gateway token is kept: `<stateDir>/credentials/gateway-token`, mode 0600. */
export function storedTokenPath(stateDir: string): string {
  return `${stateDir}/credentials/gateway-token`;
}

/** Reads the stored gateway token, or undefined when none was generated yet. */
export async function readStoredToken(stateDir: string): Promise<string | undefined> {
  try {
    const token = (await Deno.readTextFile(storedTokenPath(stateDir))).trim();
    return token === "" ? undefined : token;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
}

/** A new token of `byteLength` random bytes from the CSPRNG (256 bits by default), as hex. */
export function generateToken(byteLength = 32): string {
  const bytes = crypto.getRandomValues(new Uint8Array(byteLength));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * Returns the stored token, generating and persisting one on first use. The file is written
 * atomically with mode 0600 inside a 0700 directory, and never into the user's config file,
 * so a commented JSON5 config is never rewritten behind the operator's back.
 */
export async function loadOrCreateStoredToken(
  stateDir: string,
): Promise<{ token: string; path: string; created: boolean }> {
  const path = storedTokenPath(stateDir);
  const existing = await readStoredToken(stateDir);
  if (existing) return { token: existing, path, created: false };
  await Deno.mkdir(`${stateDir}/credentials`, { recursive: true, mode: 0o700 });
  const token = generateToken();
  await writeTextAtomic(path, `${token}\n`, { mode: 0o600 });
  return { token, path, created: true };
}
