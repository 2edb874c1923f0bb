// Where a file tool's `path` argument points, and whether it may go there: relative paths start at
// the workspace, `~` is the home directory, and when confined (`tools.fs.workspaceOnly`, apply_patch's
// `workspaceOnly`) neither `..` nor a symlink may lead outside the workspace. Refusals keep the
// reference's wording ("Path escapes sandbox root (...)"), which models have learned to read.
import { dirname, isAbsolute, relative, resolve, sep as SEPARATOR } from "node:path";
import { ToolError } from "./tool.ts";

/** Where a path resolves, and how the reference displays it. */
export interface ToolPath {
  /** Absolute path (not canonicalised: a symlink inside the workspace stays as written). */
  absolute: string;
  /** The path as the reference shows it in results: relative to the workspace when inside it. */
  display: string;
  /** Confined: the workspace's real path, which the access itself must stay inside (confined_fs.ts). */
  root?: string;
}

/** How to resolve one path argument. */
export interface ToolPathOptions {
  workspace: string;
  /** Refuse paths (and symlinks) that lead outside the workspace. */
  confined: boolean;
  /** The home directory `~` stands for. */
  home?: string | undefined;
  /** Whether a path refusal carries the reference's `.openclaw/tmp/` hint (read/write/edit do, apply_patch does not; symlink refusals never). */
  tempHint?: boolean | undefined;
  /** A final symlink is itself the target (deleting it removes the link, wherever it points). */
  finalLinkIsTarget?: boolean | undefined;
}

const TEMP_HINT =
  ". Use a relative path under `.openclaw/tmp/` inside the workspace for scratch/temp/meta files that file tools need to read or write later.";

/** `@file` (a file reference) loses its `@`; `~` and `~/x` expand to the home directory. */
export function expandToolPath(raw: string, home: string | undefined): string {
  const referenced = raw.startsWith("@") ? raw.slice(1) : raw;
  const path = referenced.startsWith("@") ? `./${referenced}` : referenced;
  if (home && path === "~") return home;
  if (home && path.startsWith("~/")) return home + path.slice(1);
  return path;
}

function shortenHome(path: string, home: string | undefined): string {
  if (!home) return path;
  if (path === home) return "~";
  return path.startsWith(home + SEPARATOR) ? `~${path.slice(home.length)}` : path;
}

/** Whether `target` is `root` or below it (both absolute). */
export function isInside(root: string, target: string): boolean {
  const rel = relative(root, target);
  // `..notes.md` is a name inside; only `..` itself or a `../` prefix climbs out.
  return rel === "" || (rel !== ".." && !rel.startsWith(`..${SEPARATOR}`) && !isAbsolute(rel));
}

async function realpathOrNull(path: string): Promise<string | null> {
  try {
    return await Deno.realPath(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound || error instanceof Deno.errors.NotADirectory) return null;
    throw error;
  }
}

/** The canonical form of `path`: its deepest existing ancestor's real path plus the missing rest. */
export async function canonicalViaAncestor(path: string): Promise<string> {
  const missing: string[] = [];
  let cursor = path;
  for (;;) {
    const real = await realpathOrNull(cursor);
    if (real !== null) return resolve(real, ...missing);
    const parent = dirname(cursor);
    if (parent === cursor) return path;
    missing.unshift(cursor.slice(parent.length).replace(/^\//, ""));
    cursor = parent;
  }
}

/**
 * Resolves a tool's path argument. Confined, a path outside the workspace is refused, and so is
 * any symlink on the way whose target leaves it (checked on the real files: a link made inside the
 * workspace to `/etc` is an escape even though the written path looks inside).
 */
export async function resolveToolPath(raw: string, options: ToolPathOptions): Promise<ToolPath> {
  if (!raw.trim()) throw new ToolError("Malformed path parameter: path. Supply correct parameters before retrying.");
  const expanded = expandToolPath(raw, options.home);
  const absolute = resolve(options.workspace, expanded);
  const root = resolve(options.workspace);
  const display = isInside(root, absolute) ? relative(root, absolute) || "." : absolute;
  if (!options.confined) return { absolute, display };
  const hint = options.tempHint ? TEMP_HINT : "";
  if (!isInside(root, absolute)) {
    throw new ToolError(`Path escapes sandbox root (${shortenHome(root, options.home)}): ${raw}${hint}`);
  }
  const rootReal = await canonicalViaAncestor(root);
  // Walk each existing component: the first symlink that resolves outside names the escape.
  const parts = relative(root, absolute).split(SEPARATOR).filter(Boolean);
  const checked = options.finalLinkIsTarget ? parts.slice(0, -1) : parts;
  let cursor = root;
  for (const part of checked) {
    cursor = `${cursor}${SEPARATOR}${part}`;
    let info: Deno.FileInfo;
    try {
      info = await Deno.lstat(cursor);
    } catch {
      break;
    }
    if (!info.isSymlink) continue;
    // Read the link itself: a dangling link to a missing file outside must count as outside too.
    const target = await canonicalViaAncestor(resolve(dirname(cursor), await Deno.readLink(cursor)));
    if (!isInside(rootReal, target)) {
      throw new ToolError(
        `Symlink escapes sandbox root (${shortenHome(rootReal, options.home)}): ${
          shortenHome(cursor, options.home)
        }${hint}`,
      );
    }
  }
  // A hard link is another name for a file that may live outside: confined, it is refused.
  if (!options.finalLinkIsTarget) {
    const info = await Deno.stat(absolute).catch(() => undefined);
    if (info?.isFile && (info.nlink ?? 1) > 1) {
      throw new ToolError(
        `Hardlinked path is not allowed under sandbox root (${shortenHome(rootReal, options.home)}): ${
          shortenHome(absolute, options.home)
        }`,
      );
    }
  }
  return { absolute, display, root: rootReal };
}
