// POSIX path joins as node:path's `posix` makes them, without loading node:path: modules on the
// gateway's start path use these so that start-up loads no part of Deno's Node compatibility layer
// (about 50 ms of CPU and 4–5 MB, docs/performance.md). tests/config/posix_path_test.ts holds them
// equal to node:path on a corpus of paths.

/** Whether a path is absolute (node:path `isAbsolute`, POSIX). */
export function isAbsolutePath(path: string): boolean {
  return path.startsWith("/");
}

/** Collapses `//`, `.` and `..` as node:path `normalize` does (POSIX), keeping a trailing slash. */
export function normalizePath(path: string): string {
  if (path === "") return ".";
  const absolute = path.startsWith("/");
  const segments: string[] = [];
  for (const segment of path.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..") {
      if (segments.length && segments[segments.length - 1] !== "..") segments.pop();
      else if (!absolute) segments.push("..");
      continue;
    }
    segments.push(segment);
  }
  const joined = segments.join("/");
  if (absolute) return joined === "" ? "/" : `/${joined}${path.endsWith("/") ? "/" : ""}`;
  return `${joined === "" ? "." : joined}${path.endsWith("/") ? "/" : ""}`;
}

/** Joins path segments as node:path `join` does (POSIX): empty segments skipped, the result normalized. */
export function joinPath(...segments: string[]): string {
  const joined = segments.filter((segment) => segment !== "").join("/");
  return joined === "" ? "." : normalizePath(joined);
}

/** An absolute, normalized path without a trailing slash (node:path `resolve` of one path, POSIX). */
export function resolvePath(path: string): string {
  const normalized = normalizePath(isAbsolutePath(path) ? path : `${Deno.cwd()}/${path}`);
  return normalized.length > 1 && normalized.endsWith("/") ? normalized.slice(0, -1) : normalized;
}

/**
 * Whether `path` lies strictly inside `root`: node:path's `relative(root, path)` is neither empty
 * nor starts with `..` (a child whose name starts with `..` counts as outside, as there).
 */
export function isInsidePath(root: string, path: string): boolean {
  const from = resolvePath(root);
  const to = resolvePath(path);
  if (from === to) return false;
  const prefix = from === "/" ? "/" : `${from}/`;
  return to.startsWith(prefix) && !to.slice(prefix.length).startsWith("..");
}
