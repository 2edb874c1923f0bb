// Memory files cut into overlapping chunks as the reference cuts them: whole lines gathered up to
// `tokens × 4` characters (400 tokens by default), the next chunk starting with the last
// `overlap × 4` characters' worth of lines (80 tokens), a line longer than a chunk split in
// pieces; each chunk knows its 1-based line range and its text's SHA-256.
import { createHash } from "node:crypto";

/** Chunk size and overlap, in tokens (the reference estimates four characters a token). */
export interface ChunkingSettings {
  tokens: number;
  overlap: number;
  /** Curated files (MEMORY.md, USER.md): each `- ` entry and each heading's section starts a chunk. */
  perEntry?: boolean | undefined;
}

/** The reference's defaults: 400-token chunks with an 80-token overlap. */
export const DEFAULT_CHUNKING: ChunkingSettings = { tokens: 400, overlap: 80 };

/** One chunk of a file. */
export interface MemoryChunk {
  startLine: number;
  endLine: number;
  text: string;
  /** SHA-256 of `text`, hex. */
  hash: string;
}

/** SHA-256 of a string, hex (the reference's `hashText`). */
export function sha256Text(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** A curated file's entry boundary: a `- ` list entry or a Markdown heading. */
function entryKind(line: string): "entry" | "section" | undefined {
  return line.startsWith("- ") ? "entry" : /^#{1,6}(?:\s|$)/u.test(line) ? "section" : undefined;
}

/** The chunks of a Markdown file's content (blank chunks dropped). */
export function chunkMarkdown(content: string, settings: ChunkingSettings = DEFAULT_CHUNKING): MemoryChunk[] {
  return [...markdownChunks(content, settings)];
}

/**
 * The chunks of a Markdown file's content one at a time (blank chunks dropped), so that a caller
 * can give the event loop a turn between chunks of a large file.
 */
export function* markdownChunks(
  content: string,
  settings: ChunkingSettings = DEFAULT_CHUNKING,
): Generator<MemoryChunk> {
  const lines = content.split("\n");
  const maxChars = Math.max(32, settings.tokens * 4);
  const overlapChars = Math.max(0, settings.overlap * 4);
  let current: { line: string; lineNo: number }[] = [];
  let currentChars = 0;
  const flush = (): MemoryChunk | undefined => {
    const first = current[0];
    const last = current.at(-1);
    if (!first || !last) return undefined;
    const text = current.map((entry) => entry.line).join("\n");
    return text.trim().length > 0
      ? { startLine: first.lineNo, endLine: last.lineNo, text, hash: sha256Text(text) }
      : undefined;
  };
  // Keep the tail of the chunk just written (whole lines, or the end of one long line).
  const carryOverlap = (window: number) => {
    if (window <= 0 || current.length === 0) {
      current = [];
      currentChars = 0;
      return;
    }
    let acc = 0;
    const kept: { line: string; lineNo: number }[] = [];
    for (let i = current.length - 1; i >= 0; i -= 1) {
      const entry = current[i]!;
      const size = entry.line.length + 1;
      const remaining = window - acc;
      if (size > remaining) {
        const tail = kept.length === 0 && remaining - 1 > 0 ? entry.line.slice(-(remaining - 1)) : "";
        if (tail.length > 0) {
          kept.unshift({ line: tail, lineNo: entry.lineNo });
          acc += tail.length + 1;
        }
        break;
      }
      acc += size;
      kept.unshift(entry);
      if (acc >= window) break;
    }
    current = kept;
    currentChars = acc;
  };
  // Adds a segment; returns the chunk it completed, if any.
  const append = (segment: string, lineNo: number): MemoryChunk | undefined => {
    const size = segment.length + 1;
    let done: MemoryChunk | undefined;
    if (currentChars + size > maxChars && current.length > 0) {
      done = flush();
      carryOverlap(Math.min(overlapChars, Math.max(0, maxChars - size)));
    }
    current.push({ line: segment, lineNo });
    currentChars += size;
    return done;
  };
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i]!;
    if (settings.perEntry && (entryKind(line) ?? (i === 0 ? "section" : undefined)) && current.length > 0) {
      const done = flush();
      if (done) yield done;
      current = [];
      currentChars = 0;
    }
    for (let start = 0; start < Math.max(1, line.length); start += maxChars) {
      const done = append(line.slice(start, start + maxChars), i + 1);
      if (done) yield done;
    }
  }
  const last = flush();
  if (last) yield last;
}

/** Whether a workspace-relative memory path is curated (chunked per entry). */
export function isCuratedMemoryPath(path: string): boolean {
  return path === "MEMORY.md" || path === "USER.md";
}
