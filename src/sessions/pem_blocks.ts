// Private-key PEM blocks inside text (`-----BEGIN … PRIVATE KEY-----` … `-----END … PRIVATE KEY-----`), found as
// the reference finds them: a BEGIN opens a block, later BEGINs inside it are ignored, the first END after
// it closes it. One pass over the delimiters, so a text full of unclosed BEGINs costs no more than its length.

// A delimiter, matched without its closing dashes so they can open the next one (`-----END…-----BEGIN…`).
const DELIMITER = /-----(BEGIN|END) [A-Z ]*PRIVATE KEY(?=-----)/gi;
const DASHES = 5;

/** A found block: where it starts and its text. */
export interface PemBlock {
  index: number;
  match: string;
}

/** The private-key blocks in `text`, in order. */
export function* findPemBlocks(text: string): Generator<PemBlock> {
  let open: { start: number; end: number } | undefined;
  let blockEnd = 0;
  for (const delimiter of text.matchAll(DELIMITER)) {
    const start = delimiter.index;
    const end = start + delimiter[0].length + DASHES;
    const begin = delimiter[1]?.toUpperCase() === "BEGIN";
    if (!open) {
      if (begin && start >= blockEnd) open = { start, end };
      continue;
    }
    if (begin || start <= open.end) continue;
    yield { index: open.start, match: text.slice(open.start, end) };
    blockEnd = end;
    open = undefined;
  }
}

/** A block shown as its first and last lines around `…redacted…` (a one-line block as `***`). */
export function maskPemBlock(block: string): string {
  const lines = block.split(/\r?\n/u).filter(Boolean);
  if (lines.length < 2) return "***";
  return `${lines[0]}\n…redacted…\n${lines.at(-1)}`;
}
