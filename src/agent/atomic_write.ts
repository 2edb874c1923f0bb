// Writes a file whole or not at all: a temp file beside the target, then a rename, so a crash or a
// concurrent reader never sees half a file. Parent directories are created as the reference's
// write tool creates them.
import { basename, dirname } from "node:path";
import { canonicalViaAncestor } from "./tool_paths.ts";

/**
 * Replaces `path` with `content` atomically. A symlink at `path` is written through (its target is
 * replaced), as a plain write would, instead of being swapped for a regular file.
 */
export async function writeFileAtomic(path: string, content: string | Uint8Array): Promise<void> {
  await Deno.mkdir(dirname(path), { recursive: true });
  const target = await canonicalViaAncestor(path);
  const mode = await Deno.stat(target).then((info) => info.mode ?? undefined, () => undefined);
  const temp = `${dirname(target)}/.${basename(target)}.${crypto.randomUUID().slice(0, 8)}.tmp`;
  const bytes = typeof content === "string" ? new TextEncoder().encode(content) : content;
  try {
    await Deno.writeFile(temp, bytes, { createNew: true, ...(mode === undefined ? {} : { mode: mode & 0o7777 }) });
    await Deno.rename(temp, target);
  } catch (error) {
    await Deno.remove(temp).catch(() => {});
    throw error;
  }
}
