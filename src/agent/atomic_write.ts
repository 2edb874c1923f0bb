// Writes a file whole or not at all: a temp file beside the target, then a rename, so a crash or a
// concurrent reader never sees half a file. Parent directories are created as the reference's
// write tool creates them. Confined (`root` given), the temp file and the rename go through the
// target's directory held open and checked (confined_fs.ts): a directory swapped for a symlink
// after the path check cannot carry the file outside.
import { basename, dirname } from "node:path";
import { assertPlaced, makeDirectoryWithin, withinDirectory, writeAll } from "./confined_fs.ts";
import { canonicalViaAncestor } from "./tool_paths.ts";

/**
 * Replaces `path` with `content` atomically. A symlink at `path` is written through (its target is
 * replaced), as a plain write would, instead of being swapped for a regular file; with `root`,
 * that target's directory must be inside `root` when the file is written.
 */
export async function writeFileAtomic(path: string, content: string | Uint8Array, root?: string): Promise<void> {
  await makeDirectoryWithin(dirname(path), root);
  const target = await canonicalViaAncestor(path);
  const mode = await Deno.stat(target).then((info) => info.mode ?? undefined, () => undefined);
  const bytes = typeof content === "string" ? new TextEncoder().encode(content) : content;
  await withinDirectory(dirname(target), root, async (dir) => {
    const temp = `${dir}/.${basename(target)}.${crypto.randomUUID().slice(0, 8)}.tmp`;
    const placed = `${dir}/${basename(target)}`;
    const file = await Deno.open(temp, {
      write: true,
      createNew: true,
      ...(mode === undefined ? {} : { mode: mode & 0o7777 }),
    });
    try {
      // Confined: the (still empty) temp file must be inside before it gets content, and the renamed file too.
      const written = await file.stat();
      if (root !== undefined) await assertPlaced(temp, root, file, written);
      await writeAll(file, bytes);
      await Deno.rename(temp, placed);
      if (root !== undefined) await assertPlaced(placed, root, file, written);
    } catch (error) {
      await Deno.remove(temp).catch(() => {});
      throw error;
    } finally {
      file.close();
    }
  });
}
