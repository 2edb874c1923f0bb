// Listing a directory that stays inside the workspace even when the workspace changes under it.
// Deno lists by path and offers no descriptor-relative listing (fdopendir; /proc/self/fd needs
// --allow-all), so checking the path before and after cannot tell which directory the listing
// itself opened: a directory swapped for a symlink and back (or removed and made again, reusing
// its inode number) in between passes both checks while the outside directory's names are read.
// Confined, the listing is done by a child shell whose working directory is the directory: a
// process's working directory is held by the kernel, not by a path, so `pwd -P` names the very
// directory its globs list, and that name must be inside the workspace.
import { ToolError } from "./tool.ts";
import { isInside } from "./tool_paths.ts";

/** One entry of a listed directory: `isDirectory` for real directories (not links to them). */
export interface ListedEntry {
  name: string;
  isDirectory: boolean;
}

// Prints the working directory's physical path, a NUL, then `d` or `-` and each entry's name,
// NUL-terminated. The C locale lets the globs match any byte sequence; the three globs together
// match every name but `.` and `..`; a glob matching nothing stays as written and is skipped.
const LISTER = [
  "pwd -P || exit 3",
  // A directory it may enter but not read would glob to nothing: say so instead of listing it empty.
  "[ -r . ] || exit 4",
  "printf '\\0'",
  'for f in * .[!.]* ..?*; do [ -e "$f" ] || [ -L "$f" ] || continue',
  'if [ -d "$f" ] && [ ! -L "$f" ]; then printf "d%s\\0" "$f"; else printf -- "-%s\\0" "$f"; fi; done',
].join("\n");

function escape(root: string, path: string): ToolError {
  return new ToolError(`Path escapes sandbox root (${root}): ${path}`);
}

async function listHeld(real: string, root: string, path: string): Promise<ListedEntry[]> {
  const output = await new Deno.Command("/bin/sh", {
    args: ["-c", LISTER],
    cwd: real,
    clearEnv: true,
    env: { LC_ALL: "C", PATH: "/usr/bin:/bin" },
    stdin: "null",
    stdout: "piped",
    stderr: "null",
  }).output();
  // Not permitted to read it (the start itself fails when it may not enter it): as Deno.readDir says it.
  if (output.code === 4) throw new Deno.errors.PermissionDenied(`permission denied: ${path}`);
  const text = new TextDecoder().decode(output.stdout);
  const end = text.indexOf("\0");
  if (!output.success || end < 0) throw escape(root, path);
  const held = text.slice(0, end).replace(/\n$/, "");
  if (!isInside(root, held)) throw escape(root, path);
  const seen = new Map<string, ListedEntry>();
  for (const record of text.slice(end + 1).split("\0")) {
    if (record === "") continue;
    const name = record.slice(1);
    seen.set(name, { name, isDirectory: record[0] === "d" });
  }
  return [...seen.values()];
}

/**
 * The entries of directory `dir`; with `root` (the workspace's real path), only of a directory
 * inside it, whatever the path leads to while it is listed. Throws Deno's NotFound /
 * NotADirectory / PermissionDenied as `Deno.readDir` does, and the reference's escape refusal.
 */
export async function listDirectoryWithin(dir: string, root: string | undefined): Promise<ListedEntry[]> {
  // Windows has no /bin/sh: there the path is checked just before listing (the race above remains).
  if (root === undefined || Deno.build.os === "windows") {
    const listed = root === undefined ? dir : await Deno.realPath(dir);
    if (root !== undefined && !isInside(root, listed)) throw escape(root, dir);
    return (await Array.fromAsync(Deno.readDir(listed))).map((entry) => ({
      name: entry.name,
      isDirectory: entry.isDirectory,
    }));
  }
  const real = await Deno.realPath(dir);
  if (!isInside(root, real)) throw escape(root, dir);
  if (!(await Deno.stat(real)).isDirectory) throw new Deno.errors.NotADirectory(`not a directory: ${dir}`);
  return await listHeld(real, root, dir);
}
