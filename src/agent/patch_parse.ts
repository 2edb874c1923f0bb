// The apply_patch envelope (`*** Begin Patch` … `*** End Patch`) parsed into file operations, with
// the reference's error texts: models learn the format from these messages when they get it wrong.
import { ToolError } from "./tool.ts";

/** One change to a file, as an update hunk's `@@` section writes it. */
export interface UpdateChunk {
  /** The `@@ context` line the chunk is searched after. */
  changeContext?: string | undefined;
  oldLines: string[];
  newLines: string[];
  /** For each new line, the old line it keeps (a context line), else undefined: context lines keep the file's own text. */
  contextOldIndexes: (number | undefined)[];
  /** `*** End of File`: the chunk sits at the end of the file. */
  isEndOfFile: boolean;
}

/** One file operation of a patch. */
export type PatchHunk =
  | { kind: "add"; path: string; contents: string }
  | { kind: "delete"; path: string }
  | { kind: "update"; path: string; movePath?: string | undefined; chunks: UpdateChunk[] };

const BEGIN = "*** Begin Patch";
const END = "*** End Patch";
const ADD = "*** Add File: ";
const DELETE = "*** Delete File: ";
const UPDATE = "*** Update File: ";
const MOVE = "*** Move to: ";
const EOF_MARKER = "*** End of File";

function boundaryError(lines: string[]): string | null {
  const first = lines[0]?.trim();
  const last = lines.at(-1)?.trim();
  if (first === BEGIN && last === END) return null;
  return first !== BEGIN
    ? "The first line of the patch must be '*** Begin Patch'"
    : "The last line of the patch must be '*** End Patch'";
}

/** The patch's lines inside its markers; a heredoc wrapper (`<<'EOF'` … `EOF`) is tolerated. */
function envelope(lines: string[]): string[] {
  const strict = boundaryError(lines);
  if (!strict) return lines;
  const first = lines[0];
  const last = lines.at(-1);
  if (lines.length >= 4 && last?.endsWith("EOF") && (first === "<<EOF" || first === "<<'EOF'" || first === '<<"EOF"')) {
    const inner = lines.slice(1, -1);
    const innerError = boundaryError(inner);
    if (!innerError) return inner;
    throw new ToolError(innerError);
  }
  throw new ToolError(strict);
}

function parseChunk(lines: string[], lineNumber: number, allowMissingContext: boolean) {
  if (lines.length === 0) {
    throw new ToolError(`Invalid patch hunk at line ${lineNumber}: Update hunk does not contain any lines`);
  }
  let changeContext: string | undefined;
  let start = 0;
  const first = lines[0]!;
  if (first === "@@") start = 1;
  else if (first.startsWith("@@ ")) {
    changeContext = first.slice(3);
    start = 1;
  } else if (!allowMissingContext) {
    throw new ToolError(
      `Invalid patch hunk at line ${lineNumber}: Expected update hunk to start with a @@ context marker, got: '${first}'`,
    );
  }
  if (start >= lines.length) {
    throw new ToolError(`Invalid patch hunk at line ${lineNumber + 1}: Update hunk does not contain any lines`);
  }
  const chunk: UpdateChunk = { changeContext, oldLines: [], newLines: [], contextOldIndexes: [], isEndOfFile: false };
  let parsed = 0;
  for (const line of lines.slice(start)) {
    if (line === EOF_MARKER) {
      if (parsed === 0) {
        throw new ToolError(`Invalid patch hunk at line ${lineNumber + 1}: Update hunk does not contain any lines`);
      }
      chunk.isEndOfFile = true;
      parsed++;
      break;
    }
    const marker = line[0];
    if (marker === undefined || marker === " ") {
      chunk.contextOldIndexes.push(chunk.oldLines.length);
      chunk.oldLines.push(line.slice(1));
      chunk.newLines.push(line.slice(1));
    } else if (marker === "+") {
      chunk.contextOldIndexes.push(undefined);
      chunk.newLines.push(line.slice(1));
    } else if (marker === "-") chunk.oldLines.push(line.slice(1));
    else if (parsed === 0) {
      throw new ToolError(
        `Invalid patch hunk at line ${
          lineNumber + 1
        }: Unexpected line found in update hunk: '${line}'. Every line should start with ' ' (context line), '+' (added line), or '-' (removed line)`,
      );
    } else break;
    parsed++;
  }
  return { chunk, consumed: parsed + start };
}

function parseHunk(lines: string[], lineNumber: number): { hunk: PatchHunk; consumed: number } {
  const first = lines[0]?.trim();
  if (first === undefined) throw new ToolError(`Invalid patch hunk at line ${lineNumber}: empty hunk`);
  if (first.startsWith(ADD)) {
    let contents = "";
    let consumed = 1;
    for (const line of lines.slice(1)) {
      if (!line.startsWith("+")) break;
      contents += `${line.slice(1)}\n`;
      consumed++;
    }
    return { hunk: { kind: "add", path: first.slice(ADD.length), contents }, consumed };
  }
  if (first.startsWith(DELETE)) return { hunk: { kind: "delete", path: first.slice(DELETE.length) }, consumed: 1 };
  if (first.startsWith(UPDATE)) {
    const path = first.slice(UPDATE.length);
    let rest = lines.slice(1);
    let consumed = 1;
    let movePath: string | undefined;
    if (rest[0]?.trim().startsWith(MOVE)) {
      movePath = rest[0].trim().slice(MOVE.length);
      rest = rest.slice(1);
      consumed++;
    }
    const chunks: UpdateChunk[] = [];
    while (rest.length > 0) {
      const next = rest[0]!;
      if (next.trim() === "") {
        rest = rest.slice(1);
        consumed++;
        continue;
      }
      if (next.startsWith("***")) break;
      const { chunk, consumed: used } = parseChunk(rest, lineNumber + consumed, chunks.length === 0);
      chunks.push(chunk);
      rest = rest.slice(used);
      consumed += used;
    }
    if (chunks.length === 0) {
      throw new ToolError(`Invalid patch hunk at line ${lineNumber}: Update file hunk for path '${path}' is empty`);
    }
    return { hunk: { kind: "update", path, movePath, chunks }, consumed };
  }
  throw new ToolError(
    `Invalid patch hunk at line ${lineNumber}: '${
      lines[0]
    }' is not a valid hunk header. Valid hunk headers: '*** Add File: {path}', '*** Delete File: {path}', '*** Update File: {path}'`,
  );
}

/** Parses a whole patch; throws a {@link ToolError} worded as the reference words it. */
export function parsePatch(input: string): PatchHunk[] {
  const trimmed = input.trim();
  if (!trimmed) throw new ToolError("Invalid patch: input is empty.");
  const lines = envelope(trimmed.split(/\r?\n/));
  const hunks: PatchHunk[] = [];
  let remaining = lines.slice(1, -1);
  let lineNumber = 2;
  while (remaining.length > 0) {
    const { hunk, consumed } = parseHunk(remaining, lineNumber);
    hunks.push(hunk);
    lineNumber += consumed;
    remaining = remaining.slice(consumed);
  }
  return hunks;
}
