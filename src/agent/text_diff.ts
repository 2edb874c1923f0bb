// The diffs the reference's write and edit put in `details` (clients render them; the model never
// sees them): a numbered display diff and a unified patch. One hunk around the changed span
// (common head and tail trimmed), with four context lines, as the reference uses.

const CONTEXT = 4;

interface Lines {
  lines: string[];
  /** The text does not end with a newline (the unified patch says so). */
  noFinalNewline: boolean;
}

function toLines(text: string): Lines {
  if (text === "") return { lines: [], noFinalNewline: false };
  const lines = text.split("\n");
  if (lines.at(-1) === "") {
    lines.pop();
    return { lines, noFinalNewline: false };
  }
  return { lines, noFinalNewline: true };
}

interface Hunk {
  oldStart: number;
  newStart: number;
  /** Each line with its prefix: " ", "-" or "+". */
  lines: string[];
  oldCount: number;
  newCount: number;
}

function hunkOf(before: Lines, after: Lines): Hunk | undefined {
  const a = before.lines;
  const b = after.lines;
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  // A changed final newline changes the last line even when its text is equal.
  if (before.noFinalNewline !== after.noFinalNewline && tail > 0) tail--;
  if (head === a.length && head === b.length && before.noFinalNewline === after.noFinalNewline) return undefined;
  const from = Math.max(0, head - CONTEXT);
  const contextAfter = Math.min(CONTEXT, tail);
  const lines = [
    ...a.slice(from, head).map((line) => ` ${line}`),
    ...a.slice(head, a.length - tail).map((line) => `-${line}`),
    ...b.slice(head, b.length - tail).map((line) => `+${line}`),
    ...a.slice(a.length - tail, a.length - tail + contextAfter).map((line) => ` ${line}`),
  ];
  return {
    oldStart: from + 1,
    newStart: from + 1,
    lines,
    oldCount: lines.filter((line) => line[0] !== "+").length,
    newCount: lines.filter((line) => line[0] !== "-").length,
  };
}

/** The display diff (`+12 text`, `-12 text`, ` 12 text`, `...` between) and the first changed line. */
export function displayDiff(before: string, after: string): { diff: string; firstChangedLine?: number } {
  const hunk = hunkOf(toLines(before), toLines(after));
  if (!hunk) return { diff: "" };
  const width = String(Math.max(before.split("\n").length, after.split("\n").length)).length;
  const ellipsis = ` ${"".padStart(width, " ")} ...`;
  const out: string[] = [];
  if (hunk.newStart > 1) out.push(ellipsis);
  let oldLine = hunk.oldStart;
  let newLine = hunk.newStart;
  let firstChangedLine: number | undefined;
  for (const line of hunk.lines) {
    const prefix = line[0]!;
    if (firstChangedLine === undefined && prefix !== " ") firstChangedLine = newLine;
    out.push(`${prefix}${String(prefix === "-" ? oldLine : newLine).padStart(width, " ")} ${line.slice(1)}`);
    if (prefix !== "+") oldLine++;
    if (prefix !== "-") newLine++;
  }
  const lastNewLine = after === "" ? 0 : after.split("\n").length - Number(after.endsWith("\n"));
  if (hunk.newStart + hunk.newCount <= lastNewLine) out.push(ellipsis);
  return firstChangedLine === undefined ? { diff: out.join("\n") } : { diff: out.join("\n"), firstChangedLine };
}

/** A unified patch of one file (`--- path`, `+++ path`, one hunk). */
export function unifiedPatch(path: string, before: string, after: string): string {
  const oldLines = toLines(before);
  const newLines = toLines(after);
  const hunk = hunkOf(oldLines, newLines);
  const header = `--- ${path}\n+++ ${path}\n`;
  if (!hunk) return header;
  const range = (start: number, count: number) => `${count === 0 ? start - 1 : start},${count}`;
  const body: string[] = [`@@ -${range(hunk.oldStart, hunk.oldCount)} +${range(hunk.newStart, hunk.newCount)} @@`];
  let oldIndex = hunk.oldStart - 1;
  let newIndex = hunk.newStart - 1;
  for (const line of hunk.lines) {
    body.push(line);
    const prefix = line[0];
    if (prefix !== "+") oldIndex++;
    if (prefix !== "-") newIndex++;
    const lastOld = prefix !== "+" && oldIndex === oldLines.lines.length && oldLines.noFinalNewline;
    const lastNew = prefix !== "-" && newIndex === newLines.lines.length && newLines.noFinalNewline;
    if (lastOld || lastNew) body.push("\\ No newline at end of file");
  }
  return `${header}${body.join("\n")}\n`;
}

/** `diff`, `patch` and `firstChangedLine` in the order the reference's details carry them. */
export function diffDetails(path: string, before: string, after: string): Record<string, unknown> {
  const { diff, firstChangedLine } = displayDiff(before, after);
  return {
    diff,
    patch: unifiedPatch(path, before, after),
    ...(firstChangedLine === undefined ? {} : { firstChangedLine }),
  };
}
