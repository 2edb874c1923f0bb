// Where a WhatsApp account's linked-device credentials live, and their removal on logout. The
// reference keeps them in `<state>/credentials/whatsapp/<accountId>` (`OPENCLAW_OAUTH_DIR` moves
// `credentials`), Baileys' multi-file layout: `creds.json` plus one JSON file per signal key.

import type { EnvSnapshot } from "../../config/paths.ts";
import { expandHome, resolveHome } from "../../config/paths.ts";

/** Files Baileys writes into an auth directory (the reference's list: creds plus the signal key categories). */
const KEY_CATEGORIES = [
  "app-state-sync-key",
  "app-state-sync-version",
  "device-list",
  "identity-key",
  "lid-mapping",
  "pre-key",
  "sender-key",
  "sender-key-memory",
  "session",
  "tctoken",
];

/** Whether a file name is one of the credential files Baileys writes. */
export function isAuthFileName(name: string): boolean {
  if (name === "creds.json" || name === "creds.json.bak") return true;
  return name.endsWith(".json") && KEY_CATEGORIES.some((category) => name.startsWith(`${category}-`));
}

/** The reference's credentials directory: `OPENCLAW_OAUTH_DIR`, else `<state>/credentials`. */
export function credentialsDir(stateDir: string, env: EnvSnapshot): string {
  const override = env.OPENCLAW_OAUTH_DIR?.trim();
  return override ? expandHome(override, resolveHome(env)) : `${stateDir}/credentials`;
}

/** The reference's account-id form (`normalizeAccountId`): lowercase `[a-z0-9_-]`, at most 64, else `default`. */
export function normalizeAccountId(accountId: string): string {
  const trimmed = accountId.trim();
  const lower = trimmed.toLowerCase();
  const canonical = /^[a-z0-9][a-z0-9_-]{0,63}$/i.test(trimmed)
    ? lower
    : lower.replace(/[^a-z0-9_-]+/g, "-").replace(/^-+/, "").replace(/-+$/, "").slice(0, 64);
  return !canonical || ["__proto__", "constructor", "prototype"].includes(canonical) ? "default" : canonical;
}

/**
 * An account's auth directory: its `authDir` setting, else `<credentials>/whatsapp/<accountId>` with the id
 * normalized as the reference does, so an id from a request (`../..`) never names a directory outside.
 */
export function resolveAuthDir(
  options: { stateDir: string; env: EnvSnapshot; accountId: string; authDir?: string | undefined },
): string {
  const configured = options.authDir?.trim();
  if (configured) return expandHome(configured, resolveHome(options.env));
  return `${credentialsDir(options.stateDir, options.env)}/whatsapp/${normalizeAccountId(options.accountId)}`;
}

/** Whether the directory holds a linked session (a non-empty `creds.json` that parses). */
export async function isLinked(authDir: string): Promise<boolean> {
  try {
    const text = await Deno.readTextFile(`${authDir}/creds.json`);
    if (text.length <= 1) return false;
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** The linked phone number (`+15551234567`) and JID the credentials name, if any. */
export async function linkedIdentity(authDir: string): Promise<{ e164: string | null; jid: string | null }> {
  try {
    const parsed: unknown = JSON.parse(await Deno.readTextFile(`${authDir}/creds.json`));
    const me = parsed && typeof parsed === "object" ? Reflect.get(parsed, "me") : undefined;
    const id = me && typeof me === "object" ? Reflect.get(me, "id") : undefined;
    if (typeof id !== "string") return { e164: null, jid: null };
    const digits = /^(\d+)(?::\d+)?@s\.whatsapp\.net$/.exec(id)?.[1];
    return { e164: digits ? `+${digits}` : null, jid: id };
  } catch {
    return { e164: null, jid: null };
  }
}

/**
 * Removes the credentials (logout): the whole directory when it is the managed default, only the
 * credential files when `authDir` points elsewhere, as the reference does. Returns whether anything
 * was removed.
 */
export async function clearAuthDir(authDir: string, managed: boolean): Promise<boolean> {
  let entries: Deno.DirEntry[];
  try {
    const info = await Deno.lstat(authDir);
    if (!info.isDirectory || info.isSymlink) return false;
    entries = await Array.fromAsync(Deno.readDir(authDir));
  } catch {
    return false;
  }
  const files = entries.filter((entry) => entry.isFile && isAuthFileName(entry.name));
  if (!files.some((entry) => entry.name === "creds.json" || entry.name === "creds.json.bak")) return false;
  if (managed) {
    await Deno.remove(authDir, { recursive: true });
    return true;
  }
  await Promise.all(files.map((entry) => Deno.remove(`${authDir}/${entry.name}`).catch(() => {})));
  return true;
}
