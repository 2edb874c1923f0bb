// Applies an update hunk's chunks to a file's text the way the reference does: each chunk's old
// lines are found after the previous chunk (exactly, then ignoring trailing whitespace, then
// surrounding whitespace, then typographic punctuation), must be found once, and keep the line
// endings (CRLF, BOM) the file already had.
import type { UpdateChunk } from "./patch_parse.ts";
import { ToolError } from "./tool.ts";

interface SourceLine {
  text: string;
  ending: string;
}

function splitEnding(line: string): SourceLine {
  for (const ending of ["\r\n", "\r", "\n"]) {
    if (line.endsWith(ending)) return { text: line.slice(0, -ending.length), ending };
  }
  return { text: line, ending: "" };
}

const normalizers: ((value: string) => string)[] = [
  (value) => value,
  (value) => value.trimEnd(),
  (value) => value.trim(),
  (value) =>
    value.trim().replace(/[\u2010-\u2015\u2212]/g, "-").replace(/[\u2018-\u201B]/g, "'").replace(
      /[\u201C-\u201F]/g,
      '"',
    )
      .replace(/[\u00A0\u2002-\u200A\u202F\u205F\u3000]/g, " "),
];

type Seek = { kind: "found"; index: number } | { kind: "missing" } | { kind: "ambiguous"; occurrences: number };

/** Where `pattern` occurs in `lines` from `start` (only at the end when `eof`), most exact rule first. */
export function seekSequence(lines: string[], pattern: string[], start: number, eof: boolean): Seek {
  if (pattern.length === 0) return { kind: "found", index: start };
  if (pattern.length > lines.length) return { kind: "missing" };
  const maxStart = lines.length - pattern.length;
  const from = eof ? Math.max(start, maxStart) : start;
  if (from > maxStart) return { kind: "missing" };
  for (const normalize of normalizers) {
    let index: number | null = null;
    let occurrences = 0;
    for (let i = from; i <= maxStart; i++) {
      if (pattern.every((expected, k) => normalize(lines[i + k]!) === normalize(expected))) {
        index ??= i;
        occurrences++;
      }
    }
    if (index !== null) return occurrences === 1 ? { kind: "found", index } : { kind: "ambiguous", occurrences };
  }
  return { kind: "missing" };
}

function changedLines(source: SourceLine[], start: number, oldCount: number, newLines: string[], preferred: string) {
  const replaced = source.slice(start, start + oldCount);
  const nearby = replaced.find((line) => line.ending)?.ending || source[start]?.ending || source[start - 1]?.ending ||
    preferred;
  return newLines.map((text, index): SourceLine => {
    let ending = nearby;
    if (replaced.length === newLines.length) ending = replaced[index]?.ending ?? nearby;
    else if (index === newLines.length - 1 && replaced.length > 0) ending = replaced.at(-1)?.ending ?? nearby;
    else if (index < replaced.length - 1) ending = replaced[index]?.ending ?? nearby;
    return { text, ending };
  });
}

/** A matched chunk's new lines: context lines keep the file's own line (text and ending), the rest are the patch's. */
function chunkLines(
  source: SourceLine[],
  at: number,
  pattern: string[],
  newSlice: string[],
  chunk: UpdateChunk,
  preferred: string,
): SourceLine[] {
  const lines: SourceLine[] = [];
  let oldStart = 0;
  let newStart = 0;
  for (const [newIndex, oldIndex] of chunk.contextOldIndexes.entries()) {
    if (oldIndex === undefined || oldIndex >= pattern.length || newIndex >= newSlice.length) continue;
    lines.push(
      ...changedLines(source, at + oldStart, oldIndex - oldStart, newSlice.slice(newStart, newIndex), preferred),
      { ...source[at + oldIndex]! },
    );
    oldStart = oldIndex + 1;
    newStart = newIndex + 1;
  }
  lines.push(...changedLines(source, at + oldStart, pattern.length - oldStart, newSlice.slice(newStart), preferred));
  return lines;
}

/** The file's new text after `chunks`; `path` names the file in refusals. */
export function applyChunks(contents: string, chunks: readonly UpdateChunk[], path: string): string {
  const bom = contents.startsWith("\uFEFF") ? "\uFEFF" : "";
  const body = bom ? contents.slice(1) : contents;
  const source = (body.match(/[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+/g) ?? []).map(splitEnding);
  const preferred = source.find((line) => line.ending)?.ending || "\n";
  const missingFinalEnding = source.length > 0 && source.at(-1)!.ending === "";
  const original = source.map((line) => line.text);
  const replacements: [number, number, SourceLine[]][] = [];
  let lineIndex = 0;
  for (const chunk of chunks) {
    if (chunk.changeContext) {
      const found = seekSequence(original, [chunk.changeContext], lineIndex, false);
      if (found.kind === "ambiguous") {
        throw new ToolError(
          `Found ${found.occurrences} occurrences of context '${chunk.changeContext}' in ${path}. The context must be unique; use a more specific @@ context line.`,
        );
      }
      if (found.kind === "missing") throw new ToolError(`Failed to find context '${chunk.changeContext}' in ${path}`);
      lineIndex = found.index + 1;
    }
    if (chunk.oldLines.length === 0) {
      const at = chunk.changeContext && !chunk.isEndOfFile ? lineIndex : source.length;
      const inserted = changedLines(source, at, 0, chunk.newLines, preferred);
      if (missingFinalEnding && at === source.length && inserted.length > 0) inserted.at(-1)!.ending = "";
      replacements.push([at, 0, inserted]);
      lineIndex = at;
      continue;
    }
    let pattern = chunk.oldLines;
    let newSlice = chunk.newLines;
    let found = seekSequence(original, pattern, lineIndex, chunk.isEndOfFile);
    if (found.kind === "missing" && pattern.at(-1) === "") {
      pattern = pattern.slice(0, -1);
      if (newSlice.at(-1) === "") newSlice = newSlice.slice(0, -1);
      found = seekSequence(original, pattern, lineIndex, chunk.isEndOfFile);
    }
    if (found.kind === "ambiguous") {
      throw new ToolError(
        `Found ${found.occurrences} occurrences of these lines in ${path}. The lines must be unique; include more surrounding lines in the hunk:\n${
          chunk.oldLines.join("\n")
        }`,
      );
    }
    if (found.kind === "missing") {
      throw new ToolError(`Failed to find expected lines in ${path}:\n${chunk.oldLines.join("\n")}`);
    }
    replacements.push([
      found.index,
      pattern.length,
      chunkLines(source, found.index, pattern, newSlice, chunk, preferred),
    ]);
    lineIndex = found.index + pattern.length;
  }
  replacements.sort((a, b) => a[0] - b[0]);
  const result = [...source];
  for (const [start, count, lines] of replacements.toReversed()) result.splice(start, count, ...lines);
  for (const line of result.slice(0, -1)) line.ending ||= preferred;
  return bom + result.map((line) => line.text + line.ending).join("");
}
