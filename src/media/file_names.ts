// The names the media store gives files: a random id (so a sender's name can never collide, escape
// the directory or overwrite another file), prefixed with the sender's name made safe, as the
// reference names them: `<name>---<uuid>.<ext>`.

/** How long the kept part of a sender's name may be (the reference's cut). */
const MAX_NAME_CHARS = 60;

/**
 * A sender's file name made safe for any file system: its last path segment only, without its
 * extension (the store picks that from the checked type), letters, digits, `.`, `_` and `-` kept,
 * everything else one `_`, no leading dots or underscores; "" when nothing is left.
 */
export function safeNameStem(fileName: string | undefined): string {
  if (!fileName) return "";
  const base = fileName.split(/[\\/]/).pop() ?? "";
  const stem = base.replace(/\.[A-Za-z0-9]{1,16}$/, "");
  const cleaned = stem.normalize("NFC")
    .replace(/[^\p{L}\p{N}._-]+/gu, "_")
    .replace(/_+/g, "_")
    .replace(/^[._]+|[._]+$/g, "");
  return Array.from(cleaned).slice(0, MAX_NAME_CHARS).join("");
}

/** The stored file's name: the safe stem (if any) joined to a fresh UUID, then the extension. */
export function storedFileName(fileName: string | undefined, extension: string): string {
  const id = crypto.randomUUID();
  const stem = safeNameStem(fileName);
  return stem ? `${stem}---${id}${extension}` : `${id}${extension}`;
}

/** The sender's name back from a stored file's name (`photo---<uuid>.jpg` → `photo.jpg`). */
export function originalFileName(storedName: string): string {
  const match = storedName.match(/^(.+)---[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(\.[^.]*)?$/i);
  return match ? `${match[1]}${match[2] ?? ""}` : storedName;
}
