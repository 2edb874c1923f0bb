// A WhatsApp account's linked-device credentials on disk (where they live is config/account_dirs.ts):
// Baileys' multi-file layout, `creds.json` plus one JSON file per signal key; whether they hold a
// linked session, and their removal on logout.

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
