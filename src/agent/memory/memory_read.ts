// `memory_get`: an exact excerpt of a memory file (MEMORY.md, USER.md, DREAMS.md or anything under
// memory/), by 1-based line and count (120 lines, 12,000 characters by default), in the
// reference's result shape: status, text, path, from, lines, and truncated/nextFrom with the
// continuation notice when more remains.
import { isAbsolute, join, relative, resolve } from "node:path";

/** Lines read when the call gives no count. */
export const DEFAULT_READ_LINES = 120;
/** Characters an excerpt may hold. */
export const DEFAULT_READ_MAX_CHARS = 12_000;

/** A path the memory tools may not read, with the reference's code. */
export class MemoryPathError extends Error {
  override name = "MemoryPathError";
  readonly code = "MEMORY_PATH_NOT_ALLOWED";
  constructor() {
    super("path is not an allowed Markdown memory file");
  }
}

/** Whether a workspace-relative path is a memory file. */
export function isMemoryPath(relPath: string): boolean {
  const normalized = relPath.replace(/\\/g, "/").replace(/^\.\//, "");
  if (!normalized) return false;
  if (normalized === "MEMORY.md" || normalized === "USER.md" || normalized.toLowerCase() === "dreams.md") return true;
  return normalized.startsWith("memory/");
}

/** The excerpt of `content` from line `from`, at most `lines` lines and `maxChars` characters. */
export function memoryExcerpt(input: {
  content: string;
  relPath: string;
  from?: number | undefined;
  lines?: number | undefined;
  maxChars?: number | undefined;
}): Record<string, unknown> {
  const fileLines = input.content.split("\n");
  if (fileLines.at(-1) === "") fileLines.pop();
  const start = Math.max(1, Math.floor(input.from ?? 1));
  const count = Math.max(1, Math.floor(input.lines ?? DEFAULT_READ_LINES));
  const maxChars = Math.max(1, Math.floor(input.maxChars ?? DEFAULT_READ_MAX_CHARS));
  const selected = fileLines.slice(start - 1, start - 1 + count);
  const moreRemain = start - 1 + selected.length < fileLines.length;
  let included = 0;
  let chars = 0;
  for (const line of selected) {
    const next = chars + line.length + (included > 0 ? 1 : 0);
    if (included > 0 && next > maxChars) break;
    included += 1;
    chars = next;
  }
  const hardTruncated = chars > maxChars;
  const text = selected.slice(0, included).join("\n").slice(0, maxChars);
  const capped = hardTruncated || included < selected.length;
  const nextFrom = !hardTruncated && (moreRemain || included < selected.length) ? start + included : undefined;
  const truncated = capped || moreRemain;
  let notice = "";
  if (truncated && (text || hardTruncated)) {
    const base = nextFrom !== undefined
      ? `[More content available. Use from=${nextFrom} to continue.]`
      : "[More content available. Requested excerpt exceeded the default maxChars budget.]";
    const fallback = hardTruncated ? " If you need the full raw line, use read on the source file." : "";
    notice = `\n\n${base.slice(0, -1)}${fallback}]`;
  }
  return {
    status: "ok",
    text: `${text}${notice}`,
    path: input.relPath,
    from: start,
    lines: included,
    ...(truncated ? { truncated: true } : {}),
    ...(nextFrom !== undefined ? { nextFrom } : {}),
  };
}

/** Reads an excerpt of a memory file of `workspace`; `not_found` when it does not exist. */
export async function readMemoryFile(input: {
  workspace: string;
  path: string;
  from?: number | undefined;
  lines?: number | undefined;
}): Promise<Record<string, unknown>> {
  const raw = input.path.trim();
  if (!raw) throw new Error("path required");
  const abs = isAbsolute(raw) ? resolve(raw) : resolve(input.workspace, raw);
  const relPath = relative(input.workspace, abs).replace(/\\/g, "/");
  if (!relPath || relPath.startsWith("..") || isAbsolute(relPath) || !isMemoryPath(relPath) || !abs.endsWith(".md")) {
    throw new MemoryPathError();
  }
  // Every part below the workspace is checked with lstat: a symlinked memory/, subfolder or file
  // could otherwise lead the read out of the workspace.
  let partPath = input.workspace;
  let stat: Deno.FileInfo | undefined;
  for (const part of relPath.split("/")) {
    partPath = join(partPath, part);
    stat = await Deno.lstat(partPath).catch(() => undefined);
    if (!stat) return { status: "not_found", text: "", path: relPath };
    if (stat.isSymlink) throw new MemoryPathError();
  }
  if (!stat?.isFile) return { status: "not_found", text: "", path: relPath };
  const content = await Deno.readTextFile(abs);
  return memoryExcerpt({ content, relPath, from: input.from, lines: input.lines });
}
