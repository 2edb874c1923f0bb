// The diffs the reference's write and edit put in `details` (clients render them; the model never
// sees them): a numbered display diff and a unified patch, from a minimal line diff (Myers) cut
// into hunks with four context lines, as the reference's diff library cuts them.

const CONTEXT = 4;
/** Beyond this many differing lines the diff is one block (the reference bounds its search too). */
const MAX_EDIT = 2_000;

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

type Op = " " | "-" | "+";

/**
 * The edit script turning `a` into `b`: Myers' O(ND) search, then changes regrouped so each run
 * lists its removals before its additions. Lines compare with their final-newline state, so a
 * last line that gained or lost its newline counts as changed.
 */
function editScript(a: string[], b: string[]): Op[] {
  const n = a.length;
  const m = b.length;
  const max = Math.min(n + m, MAX_EDIT);
  const offset = max + 1;
  const v = new Array<number>(2 * max + 3).fill(0);
  const trace: number[][] = [];
  let found = false;
  for (let d = 0; d <= max && !found; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!)
        ? v[offset + k + 1]!
        : v[offset + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) {
        found = true;
        break;
      }
    }
  }
  if (!found) return [...a.map((): Op => "-"), ...b.map((): Op => "+")];
  const ops: Op[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d > 0; d--) {
    const prev = trace[d]!;
    const k = x - y;
    const down = k === -d || (k !== d && prev[offset + k - 1]! < prev[offset + k + 1]!);
    const prevK = down ? k + 1 : k - 1;
    const prevX = prev[offset + prevK]!;
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      ops.push(" ");
      x--;
      y--;
    }
    ops.push(down ? "+" : "-");
    x = prevX;
    y = prevY;
  }
  while (x > 0 && y > 0) {
    ops.push(" ");
    x--;
    y--;
  }
  ops.reverse();
  // Within each run of changes, removals first (as unified diffs show them).
  const out: Op[] = [];
  for (let i = 0; i < ops.length;) {
    if (ops[i] === " ") {
      out.push(ops[i++]!);
      continue;
    }
    let removed = 0;
    let added = 0;
    while (i < ops.length && ops[i] !== " ") ops[i++] === "-" ? removed++ : added++;
    out.push(...Array<Op>(removed).fill("-"), ...Array<Op>(added).fill("+"));
  }
  return out;
}

interface Hunk {
  oldStart: number;
  newStart: number;
  /** Each line with its prefix, and whether it is the last line of a text without a final newline. */
  lines: { op: Op; text: string; noNewlineOld: boolean; noNewlineNew: boolean }[];
  oldCount: number;
  newCount: number;
}

function hunksOf(before: Lines, after: Lines): Hunk[] {
  // Tag the last line of a text without a final newline so it differs from the same text with one.
  const tag = (l: Lines) =>
    l.lines.map((line, i) => i === l.lines.length - 1 && l.noFinalNewline ? `${line}\u0000` : line);
  const ops = editScript(tag(before), tag(after));
  const rows: Hunk["lines"] = [];
  let oldIndex = 0;
  let newIndex = 0;
  for (const op of ops) {
    const text = op === "+" ? after.lines[newIndex]! : before.lines[oldIndex]!;
    rows.push({
      op,
      text,
      noNewlineOld: op !== "+" && oldIndex === before.lines.length - 1 && before.noFinalNewline,
      noNewlineNew: op !== "-" && newIndex === after.lines.length - 1 && after.noFinalNewline,
    });
    if (op !== "+") oldIndex++;
    if (op !== "-") newIndex++;
  }
  const hunks: Hunk[] = [];
  let i = 0;
  while (i < rows.length) {
    while (i < rows.length && rows[i]!.op === " ") i++;
    if (i >= rows.length) break;
    const start = Math.max(0, i - CONTEXT);
    // Extend while the next change is within two contexts of this one.
    let end = i;
    for (;;) {
      while (end < rows.length && rows[end]!.op !== " ") end++;
      let next = end;
      while (next < rows.length && rows[next]!.op === " ") next++;
      if (next < rows.length && next - end <= 2 * CONTEXT) {
        end = next;
        continue;
      }
      break;
    }
    const stop = Math.min(rows.length, end + CONTEXT);
    const slice = rows.slice(start, stop);
    const oldBefore = rows.slice(0, start).filter((row) => row.op !== "+").length;
    const newBefore = rows.slice(0, start).filter((row) => row.op !== "-").length;
    hunks.push({
      oldStart: oldBefore + 1,
      newStart: newBefore + 1,
      lines: slice,
      oldCount: slice.filter((row) => row.op !== "+").length,
      newCount: slice.filter((row) => row.op !== "-").length,
    });
    i = stop;
  }
  return hunks;
}

/** The display diff (`+12 text`, `-12 text`, ` 12 text`, `...` between hunks) and the first changed line. */
export function displayDiff(before: string, after: string): { diff: string; firstChangedLine?: number } {
  const hunks = hunksOf(toLines(before), toLines(after));
  const width = String(Math.max(before.split("\n").length, after.split("\n").length)).length;
  const ellipsis = ` ${"".padStart(width, " ")} ...`;
  const lastNewLine = after === "" ? 0 : after.split("\n").length - Number(after.endsWith("\n"));
  const out: string[] = [];
  let firstChangedLine: number | undefined;
  for (const [index, hunk] of hunks.entries()) {
    if (index > 0 || hunk.newStart > 1) out.push(ellipsis);
    let oldLine = hunk.oldStart;
    let newLine = hunk.newStart;
    for (const row of hunk.lines) {
      if (firstChangedLine === undefined && row.op !== " ") firstChangedLine = newLine;
      out.push(`${row.op}${String(row.op === "-" ? oldLine : newLine).padStart(width, " ")} ${row.text}`);
      if (row.op !== "+") oldLine++;
      if (row.op !== "-") newLine++;
    }
    if (index === hunks.length - 1 && hunk.newStart + hunk.newCount <= lastNewLine) out.push(ellipsis);
  }
  return firstChangedLine === undefined ? { diff: out.join("\n") } : { diff: out.join("\n"), firstChangedLine };
}

/** A unified patch of one file (`--- path`, `+++ path`, its hunks). */
export function unifiedPatch(path: string, before: string, after: string): string {
  const hunks = hunksOf(toLines(before), toLines(after));
  const range = (start: number, count: number) => `${count === 0 ? start - 1 : start},${count}`;
  const body: string[] = [];
  for (const hunk of hunks) {
    body.push(`@@ -${range(hunk.oldStart, hunk.oldCount)} +${range(hunk.newStart, hunk.newCount)} @@`);
    for (const row of hunk.lines) {
      body.push(`${row.op}${row.text}`);
      if (row.noNewlineOld || row.noNewlineNew) body.push("\\ No newline at end of file");
    }
  }
  return `--- ${path}\n+++ ${path}\n${body.map((line) => `${line}\n`).join("")}`;
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
