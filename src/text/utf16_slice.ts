// Cutting text by UTF-16 units (JavaScript string length, as the reference measures its limits)
// without splitting a surrogate pair: an emoji at the cut stays whole or goes whole.

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/** `input.slice(start, end)` (negative positions count from the end) without cutting a surrogate pair in half. */
export function sliceUtf16Safe(input: string, start: number, end?: number): string {
  const length = input.length;
  let from = start < 0 ? Math.max(length + start, 0) : Math.min(start, length);
  let to = end === undefined ? length : end < 0 ? Math.max(length + end, 0) : Math.min(end, length);
  if (to <= from) return "";
  if (
    from > 0 && from < length && isLowSurrogate(input.charCodeAt(from)) && isHighSurrogate(input.charCodeAt(from - 1))
  ) {
    from += 1;
  }
  if (to > 0 && to < length && isHighSurrogate(input.charCodeAt(to - 1)) && isLowSurrogate(input.charCodeAt(to))) {
    to -= 1;
  }
  return input.slice(from, to);
}

/** `text` cut to at most `limit` UTF-16 units from its start, without splitting a surrogate pair. */
export function truncateUtf16Safe(text: string, limit: number): string {
  return text.length <= limit ? text : sliceUtf16Safe(text, 0, Math.max(0, Math.floor(limit)));
}

/** Where a cut of `text` at `end` lands without splitting a surrogate pair (a pair at the cut moves out whole). */
export function safeCutIndex(text: string, end: number): number {
  return end > 0 && end < text.length && isHighSurrogate(text.charCodeAt(end - 1)) &&
      isLowSurrogate(text.charCodeAt(end))
    ? end - 1
    : end;
}
