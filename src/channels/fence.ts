// Markdown code fences, so that a reply cut into several chat messages keeps each code block
// whole or, when one must be cut, closed at the end of one message and reopened in the next.

/** A fence line: up to three spaces, three or more backticks or tildes, then an info string. */
const FENCE_LINE = /^ {0,3}(`{3,}|~{3,})(.*)$/;

/** The marker an opening fence line starts with (```` ``` ````, `~~~~`), which also closes it. */
export function fenceMarker(opening: string): string {
  return /^(`+|~+)/.exec(opening)?.[1] ?? "```";
}

/**
 * The opening line (with its info string, ```` ```ts ````) of the code fence still open after
 * `text`, when `open` was open before it; undefined when no fence is open. A fence closes on a
 * line of the same character, at least as long, with nothing after it (CommonMark).
 */
export function fenceAfter(text: string, open: string | undefined): string | undefined {
  let fence = open;
  for (const line of text.split("\n")) {
    const match = FENCE_LINE.exec(line);
    if (!match) continue;
    const marker = match[1] ?? "";
    if (fence === undefined) fence = line.trim();
    else if (marker[0] === fence[0] && marker.length >= fenceMarker(fence).length && !match[2]?.trim()) {
      fence = undefined;
    }
  }
  return fence;
}
