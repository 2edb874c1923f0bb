// A path as the file system resolves it, for comparing two spellings of one place (a symlinked home, an
// alias of a workspace): the longest existing prefix through realpath, the part that does not exist yet
// appended as written. The reference compares deletion targets the same way.

/** `path` (absolute) with its existing part's symlinks resolved. */
export async function canonicalPath(path: string): Promise<string> {
  const parts = path.replace(/\/+$/, "").split("/");
  const missing: string[] = [];
  while (parts.length > 1) {
    try {
      const real = await Deno.realPath(parts.join("/") || "/");
      return [real.replace(/\/+$/, ""), ...missing].join("/") || "/";
    } catch {
      missing.unshift(parts.pop()!);
    }
  }
  return `/${missing.join("/")}`;
}

/** True when `child` is `parent` or lies inside it. */
export function isInside(child: string, parent: string): boolean {
  return parent === "/" || child === parent || child.startsWith(`${parent}/`);
}
