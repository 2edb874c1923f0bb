// File access that stays inside the workspace even when the workspace changes under it. The path
// check (tool_paths.ts) runs before the access; a process sharing the workspace (a sandboxed exec)
// can swap a checked directory for a symlink in between. So, confined, the access checks again:
// directories by real path just before use, new files by inode where they were meant to land
// (before they get content), reads by the identity of the file they opened.
import { basename, dirname } from "node:path";
import { ToolError } from "./tool.ts";
import { isInside } from "./tool_paths.ts";

function escape(root: string, path: string): ToolError {
  return new ToolError(`Symlink escapes sandbox root (${root}): ${path}`);
}

/**
 * Runs `work` with directory `dir`'s real path, checked just now to be inside `root` (the
 * workspace's real path) when given. Deno offers no descriptor-relative calls (openat, renameat;
 * /proc/self/fd needs --allow-all, which the gateway does not run with), so writes then verify
 * where their file landed ({@link assertPlaced}) and reads what they opened ({@link readFileWithin}).
 */
export async function withinDirectory<T>(
  dir: string,
  root: string | undefined,
  work: (dir: string) => Promise<T>,
): Promise<T> {
  if (root === undefined) return await work(dir);
  const real = await Deno.realPath(dir);
  if (!isInside(root, real)) throw escape(root, dir);
  return await work(real);
}

/** Whether `path` names the inode `written`, reached at a real path inside `root`. */
async function holds(path: string, root: string, written: Deno.FileInfo): Promise<boolean> {
  try {
    const real = await Deno.realPath(path);
    const entry = await Deno.lstat(real);
    return isInside(root, real) && entry.dev === written.dev && entry.ino === written.ino;
  } catch {
    return false;
  }
}

/**
 * Confined, after creating, renaming or linking file `path`: it must be the file written
 * (`written`, still open as `file`), inside `root`. When not, the file's content is wiped through
 * the open handle (wherever a swap carried it), removed where it can still be found, and the
 * write refused. Creating the file empty and checking it before writing keeps content from
 * ever landing outside.
 */
export async function assertPlaced(path: string, root: string, file: Deno.FsFile, written: Deno.FileInfo) {
  if (await holds(path, root, written)) return;
  await file.truncate(0).catch(() => {});
  const stray = await Deno.realPath(path).catch(() => undefined);
  const same = stray && (await Deno.lstat(stray).catch(() => undefined));
  if (stray && same && same.dev === written.dev && same.ino === written.ino) await Deno.remove(stray).catch(() => {});
  throw escape(root, path);
}

/** Writes all of `bytes` to `file`. */
export async function writeAll(file: Deno.FsFile, bytes: Uint8Array): Promise<void> {
  for (let offset = 0; offset < bytes.length;) offset += await file.write(bytes.subarray(offset));
}

/**
 * Creates directory `dir` and its missing parents; with `root`, one at a time, each in its
 * parent's real path checked just before, so a swapped component does not lead the creation outside.
 */
export async function makeDirectoryWithin(dir: string, root: string | undefined): Promise<void> {
  if (root === undefined) return await Deno.mkdir(dir, { recursive: true });
  const missing: string[] = [];
  let cursor = dir;
  while (!(await Deno.stat(cursor).then(() => true, () => false))) {
    const parent = dirname(cursor);
    if (parent === cursor) break;
    missing.unshift(basename(cursor));
    cursor = parent;
  }
  for (const name of missing) {
    await withinDirectory(cursor, root, (held) => makeOneDirectory(held, name, root));
    cursor = `${cursor}/${name}`;
  }
}

/**
 * Makes `name` in `held` (a real path just checked) so that a component swapped for a symlink
 * meanwhile leaves nothing outside: the directory is made under a random name, checked where it
 * landed (removed and refused when outside), then renamed into place. After a swap the rename finds
 * no such random name at the swapped-in target and fails, so nothing is left there.
 */
async function makeOneDirectory(held: string, name: string, root: string): Promise<void> {
  const temp = `${held}/.openclaw-mkdir-${crypto.randomUUID()}`;
  await Deno.mkdir(temp, { mode: 0o700 });
  let real: string | undefined;
  try {
    real = await Deno.realPath(temp);
    if (!isInside(root, real)) throw escape(root, `${held}/${name}`);
    if (await Deno.lstat(`${held}/${name}`).then(() => true, () => false)) return;
    await Deno.rename(temp, `${held}/${name}`);
    real = undefined;
    const placed = await Deno.realPath(`${held}/${name}`);
    if (!isInside(root, placed)) throw escape(root, `${held}/${name}`);
    await Deno.chmod(placed, 0o755).catch(() => {});
  } finally {
    // The made directory is ours and empty: remove it wherever it landed (by its real path).
    if (real !== undefined) await Deno.remove(real).catch(() => {});
    else await Deno.remove(temp).catch(() => {});
  }
}

/**
 * Opens file `path` to read; with `root`, the file opened must be the one its real path inside
 * `root` names now, with no second name (checked on the open file: a swap after the check reads
 * nothing). The caller closes it.
 */
export async function openFileWithin(path: string, root: string | undefined): Promise<Deno.FsFile> {
  const file = await Deno.open(path, { read: true });
  if (root === undefined) return file;
  try {
    const opened = await file.stat();
    const real = await Deno.realPath(path);
    // lstat, then the real path once more: a component flipped to a symlink between the two
    // resolutions shows as a changed real path instead of being followed to the opened file.
    const named = await Deno.lstat(real);
    const again = await Deno.realPath(path);
    if (
      !isInside(root, real) || again !== real || !named.isFile || opened.dev !== named.dev ||
      opened.ino !== named.ino || (opened.nlink ?? 1) > 1
    ) {
      throw escape(root, path);
    }
    return file;
  } catch (error) {
    file.close();
    throw error;
  }
}

/**
 * Reads file `path`; with `root`, the file opened must be the one its real path inside `root`
 * names now, with no second name (checked on the open file: a swap after the check reads nothing).
 */
export async function readFileWithin(
  path: string,
  root: string | undefined,
  signal?: AbortSignal,
): Promise<Uint8Array> {
  if (root === undefined) return await Deno.readFile(path, { signal });
  const file = await openFileWithin(path, root);
  try {
    const chunks: Uint8Array[] = [];
    let total = 0;
    for (;;) {
      signal?.throwIfAborted();
      const chunk = new Uint8Array(256 * 1024);
      const read = await file.read(chunk);
      if (read === null) break;
      chunks.push(chunk.subarray(0, read));
      total += read;
    }
    const bytes = new Uint8Array(total);
    let offset = 0;
    for (const chunk of chunks) {
      bytes.set(chunk, offset);
      offset += chunk.length;
    }
    return bytes;
  } finally {
    file.close();
  }
}
