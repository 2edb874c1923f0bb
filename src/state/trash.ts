// Moving a deleted agent's directories to the Trash instead of deleting them, where the reference
// puts them (`~/.Trash/.fs-safe-trash-<ms>-<random>/<name>`, the Trash 0700): a rename, or a copy
// and removal across file systems. A path that is already gone counts as removed.

import { canonicalPath, isInside } from "./canonical_path.ts";

/** What became of one path. */
export type TrashOutcome =
  | { removed: { path: string; method: "trash" | "missing" } }
  | { failed: { path: string; reason: string } };

const LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** A new 0700 directory `.fs-safe-trash-<ms>-XXXXXX` in the Trash (six random letters, as mkdtemp names it). */
async function reserveContainer(trash: string): Promise<string> {
  for (;;) {
    const random = [...crypto.getRandomValues(new Uint8Array(6))].map((byte) => LETTERS[byte % LETTERS.length]).join(
      "",
    );
    const container = `${trash}/.fs-safe-trash-${Date.now()}-${random}`;
    try {
      await Deno.mkdir(container, { mode: 0o700 });
      return container;
    } catch (error) {
      if (!(error instanceof Deno.errors.AlreadyExists)) throw error;
    }
  }
}

/**
 * Moves `path` into `<home>/.Trash`; never throws, a failure is reported with its reason. A path that
 * is or holds one of `keep` (the state dir, the config file, the home directory) is never moved: an
 * agent dir configured as the state dir would otherwise take the config and every agent with it
 * (the reference moves it; this gateway refuses, safer by default).
 */
export async function moveToTrash(path: string, home: string, keep: readonly string[] = []): Promise<TrashOutcome> {
  const trimmed = path.replace(/\/+$/, "") || "/";
  // Compared as written and as the file system resolves them: a symlinked home or an alias is the same place.
  const target = await canonicalPath(trimmed);
  let held = keep.find((kept) => isInside(kept, trimmed));
  for (const kept of keep) if (held === undefined && isInside(await canonicalPath(kept), target)) held = kept;
  if (held !== undefined) {
    return { failed: { path, reason: `Refusing to move ${path} to the Trash: it holds ${held}` } };
  }
  try {
    await Deno.lstat(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return { removed: { path, method: "missing" } };
    return { failed: { path, reason: error instanceof Error ? error.message : String(error) } };
  }
  try {
    const base = path.replace(/\/+$/, "").split("/").pop();
    if (!base) throw new Error(`Refusing to trash root path: ${path}`);
    const trash = `${home}/.Trash`;
    await Deno.mkdir(trash, { recursive: true, mode: 0o700 });
    // As the reference's fs-safe: a Trash that is a link (or not a directory) could carry the move out of home.
    const found = await Deno.lstat(trash);
    if (!found.isDirectory || found.isSymlink) {
      throw new Error(`Refusing to use non-directory/symlink trash directory: ${trash}`);
    }
    const container = await reserveContainer(trash);
    const destination = `${container}/${base}`;
    try {
      await Deno.rename(path, destination);
    } catch (error) {
      if (!(error instanceof Error && /cross-device|EXDEV/i.test(error.message))) throw error;
      const copied = await new Deno.Command("cp", { args: ["-a", path, destination], stderr: "piped" }).output();
      if (!copied.success) throw new Error(new TextDecoder().decode(copied.stderr).trim() || "copy to Trash failed");
      await Deno.remove(path, { recursive: true });
    }
    return { removed: { path, method: "trash" } };
  } catch (error) {
    return { failed: { path, reason: error instanceof Error ? error.message : String(error) } };
  }
}
