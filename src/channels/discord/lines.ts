import { fenceAfter, fenceMarker } from "../fence.ts";

/**
 * Cuts a message that is already within Discord's character limit into pieces of at most
 * `maxLines` lines (the reference's `maxLinesPerMessage`, so a tall answer does not fill a screen).
 * A fenced code block cut in two is closed at the end of one piece and reopened in the next.
 */
export function splitByLines(text: string, maxLines: number): string[] {
  const lines = text.split("\n");
  if (lines.length <= maxLines) return [text];
  const pieces: string[] = [];
  let fence: string | undefined;
  for (let start = 0; start < lines.length; start += maxLines) {
    const part = lines.slice(start, start + maxLines);
    const opened = fence;
    fence = fenceAfter(part.join("\n"), opened);
    let piece = part.join("\n");
    // Reopened with its info string, so the language highlighting carries on.
    if (opened) piece = `${opened}\n${piece}`;
    if (fence) piece = `${piece}\n${fenceMarker(fence)}`;
    if (piece.trim()) pieces.push(piece);
  }
  return pieces;
}
