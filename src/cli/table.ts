// A box-drawn table as the reference's CLI prints its lists (`openclaw skills list`): columns sized
// to their content within the terminal width (120 when not a terminal), flex columns shrunk first
// and grown to fill, cells word-wrapped after spaces, `/`, `-`, `_` and `.`. Plain text only.

/** One column: its row key, header, minimum width and whether it absorbs spare or missing width. */
export interface TableColumn {
  key: string;
  header: string;
  minWidth?: number;
  flex?: boolean;
}

const segmenter = new Intl.Segmenter("en", { granularity: "grapheme" });

/** Terminal cells a grapheme takes: wide for emoji and East Asian wide characters. */
function graphemeWidth(grapheme: string): number {
  const cp = grapheme.codePointAt(0) ?? 0;
  if (cp === 0 || /^\p{Mn}+$/u.test(grapheme)) return 0;
  if (/\p{Extended_Pictographic}/u.test(grapheme) && (cp >= 0x1f000 || grapheme.includes("\uFE0F"))) return 2;
  if (
    (cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0xa4cf) || (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6)
  ) return 2;
  return 1;
}

/** The terminal width of a string. */
export function visibleWidth(text: string): number {
  let width = 0;
  for (const { segment } of segmenter.segment(text)) width += graphemeWidth(segment);
  return width;
}

const isBreak = (ch: string) => ch === " " || ch === "/" || ch === "-" || ch === "_" || ch === ".";

/** Wraps one cell to `width` cells, preferring the last break character. */
export function wrapCell(text: string, width: number): string[] {
  if (width <= 0) return [text];
  const lines: string[] = [];
  for (const logical of text.split(/\r?\n/)) {
    let buf: { ch: string; w: number }[] = [];
    let used = 0;
    let lastBreak: number | null = null;
    let emitted = false;
    const flush = (at: number | null) => {
      const left = at === null || at <= 0 ? buf : buf.slice(0, at);
      const rest = at === null || at <= 0 ? [] : buf.slice(at);
      if (used > 0 || !emitted) {
        lines.push(left.map((t) => t.ch).join("").trimEnd());
        emitted = true;
      }
      buf = rest;
      used = rest.reduce((sum, t) => sum + t.w, 0);
      lastBreak = null;
    };
    for (const { segment } of segmenter.segment(logical.replaceAll("\t", " "))) {
      const w = graphemeWidth(segment);
      if (used + w > width && used > 0) {
        flush(lastBreak);
        if (used + w > width && used > 0) flush(null);
      }
      if (used === 0 && segment === " ") continue;
      buf.push({ ch: segment, w });
      used += w;
      if (isBreak(segment)) lastBreak = buf.length;
    }
    if (used > 0 || !emitted) flush(null);
  }
  return lines.length > 0 ? lines : [""];
}

/** The table as lines (no trailing newline), within `width` cells. */
export function renderTable(input: {
  columns: readonly TableColumn[];
  rows: readonly Record<string, string>[];
  width: number;
}): string {
  const { columns, rows } = input;
  const padding = 1;
  const headerW = columns.map((c) => visibleWidth(c.header));
  const cellW = columns.map((c) => rows.reduce((max, row) => Math.max(max, visibleWidth(row[c.key] ?? "")), 0));
  const widths = columns.map((c, i) => Math.max(c.minWidth ?? 3, Math.max(headerW[i]!, cellW[i]!) + padding * 2));
  const seps = columns.length + 1;
  const preferredMin = columns.map((c, i) => Math.max(c.minWidth ?? 3, headerW[i]! + padding * 2, 3));
  const absoluteMin = columns.map((_c, i) => Math.max(headerW[i]! + padding * 2, 3));
  let over = widths.reduce((a, b) => a + b, 0) + seps - input.width;
  const flex = columns.flatMap((c, i) => (c.flex ? [i] : []));
  const fixed = columns.flatMap((c, i) => (c.flex ? [] : [i]));
  const shrink = (indices: number[], mins: number[]) => {
    while (over > 0) {
      let widest: number | undefined;
      for (const i of indices) {
        if (widths[i]! <= mins[i]!) continue;
        if (widest === undefined || widths[i]! > widths[widest]!) widest = i;
      }
      if (widest === undefined) break;
      widths[widest]! -= 1;
      over -= 1;
    }
  };
  if (over > 0) {
    shrink(flex, preferredMin);
    shrink(flex, absoluteMin);
    shrink(fixed, preferredMin);
    shrink(fixed, absoluteMin);
  }
  let extra = input.width - (widths.reduce((a, b) => a + b, 0) + seps);
  while (extra > 0 && flex.length > 0) {
    const round = Math.max(1, Math.floor(extra / flex.length));
    for (const i of flex) {
      const amount = Math.min(round, extra);
      widths[i]! += amount;
      extra -= amount;
      if (extra <= 0) break;
    }
  }
  const line = (l: string, m: string, r: string) => `${l}${widths.map((w) => "─".repeat(w)).join(m)}${r}`;
  const inner = (i: number) => Math.max(1, widths[i]! - padding * 2);
  const out: string[] = [line("┌", "┬", "┐")];
  const renderRow = (cells: readonly string[]) => {
    const wrapped = cells.map((cell, i) => wrapCell(cell, inner(i)));
    const height = Math.max(...wrapped.map((w) => w.length));
    for (let li = 0; li < height; li += 1) {
      const parts = wrapped.map((cellLines, i) => {
        const text = cellLines[li] ?? "";
        return ` ${text}${" ".repeat(Math.max(0, inner(i) - visibleWidth(text)))} `;
      });
      out.push(`│${parts.join("│")}│`);
    }
  };
  renderRow(columns.map((c) => c.header));
  out.push(line("├", "┼", "┤"));
  for (const row of rows) renderRow(columns.map((c) => row[c.key] ?? ""));
  out.push(line("└", "┴", "┘"));
  return out.join("\n");
}

/** The table width: the terminal's columns (at least 60), 120 when not a terminal, as the reference. */
export function tableWidth(): number {
  return Math.max(60, Deno.stdout.isTerminal() ? Deno.consoleSize().columns : 120);
}
