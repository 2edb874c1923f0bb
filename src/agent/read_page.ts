// One page of a text file as the reference's `read` returns it: lines from `offset` (1-based),
// at most `limit` lines, cut at the page's byte budget on a line boundary (or inside an over-long
// first line, continued with `cursor`), followed by the notice telling the model how to go on.

/** The reference's read budget without a known context window: 32 KB per call. */
export const READ_PAGE_MAX_BYTES = 32_768;
/** Lines one read returns at most (the reference's 2000). */
export const READ_MAX_LINES = 2_000;

/** Where the next read starts. */
export type ReadContinuation =
  | { kind: "line"; offset: number; limit?: number }
  | { kind: "cursor"; offset: number; cursor: number; limit?: number };

/** What the reference's read puts in `details` for text. */
export type ReadTextDetails =
  | { kind: "text"; content: string }
  | {
    kind: "truncated";
    content: string;
    truncation: Record<string, unknown>;
    continuation: ReadContinuation;
  };

/** A page: the text for the model and the details for clients. */
export interface ReadPage {
  text: string;
  details?: ReadTextDetails | undefined;
}

/** The page request, validated by the tool. */
export interface ReadPageRequest {
  offset?: number | undefined;
  limit?: number | undefined;
  cursor: number;
  maxBytes: number;
}

const encoder = new TextEncoder();
const bytesOf = (text: string) => encoder.encode(text).length;

function kb(bytes: number): string {
  return bytes < 1024 ? `${bytes}B` : `${(bytes / 1024).toFixed(1)}KB`.replace(/\.0(?=KB)/, "");
}

function cappedNotice(next: ReadContinuation, maxBytes: number): string {
  const cursor = next.kind === "cursor" ? `, cursor=${next.cursor}` : "";
  const limit = next.limit === undefined ? "" : `, limit=${next.limit}`;
  return `\n\n[Read output capped at ${
    kb(maxBytes)
  } for this call. Use offset=${next.offset}${cursor}${limit} to continue.]`;
}

/** The longest prefix of `text` whose UTF-8 encoding fits `maxBytes`, never splitting a character. */
function utf8Prefix(text: string, maxBytes: number): string {
  let bytes = 0;
  let end = 0;
  for (const char of text) {
    const size = bytesOf(char);
    if (bytes + size > maxBytes) break;
    bytes += size;
    end += char.length;
  }
  return text.slice(0, end);
}

/** Splits decoded file text into lines the way the reference counts them (a final newline ends the last line). */
function lineSpans(text: string): { start: number; end: number }[] {
  const spans: { start: number; end: number }[] = [];
  for (let start = 0; start < text.length;) {
    const newline = text.indexOf("\n", start);
    const end = newline === -1 ? text.length : newline;
    spans.push({ start, end });
    start = end + 1;
  }
  return spans;
}

/**
 * What a page is built from: the file's line count, the start line's length, and the requested
 * range's text (`content`, from the start line and cursor; at least `maxBytes` + 1 bytes of it
 * when longer, `contentBytes` its full size) and whether all its lines are blank.
 */
export interface TextWindow {
  total: number;
  firstLength: number;
  content: string;
  contentBytes: number;
  blank: boolean;
}

/** The last line a request reads (exclusive), given the file's line count. */
export function requestEnd(request: ReadPageRequest, total: number): number {
  const startLine = (request.offset ?? 1) - 1;
  const wanted = request.limit === undefined ? undefined : Math.max(1, Math.floor(request.limit));
  return Math.min(total, startLine + (wanted ?? total));
}

/** Builds the page of `text` (BOM stripped, CRLF already LF) that a read with `request` returns. */
export function readPage(text: string, fileBytes: number, request: ReadPageRequest): ReadPage {
  const spans = lineSpans(text);
  const total = spans.length;
  const startLine = (request.offset ?? 1) - 1;
  const first = spans[startLine];
  if (!first) return pageOf({ total, firstLength: 0, content: "", contentBytes: 0, blank: true }, fileBytes, request);
  const endLine = requestEnd(request, total);
  const sliceEnd = endLine === total ? text.length : spans[endLine - 1]!.end;
  const content = text.slice(first.start + Math.min(request.cursor, first.end - first.start), sliceEnd);
  return pageOf(
    {
      total,
      firstLength: first.end - first.start,
      content,
      contentBytes: bytesOf(content),
      blank: spans.slice(startLine, endLine).every((span) => span.end === span.start),
    },
    fileBytes,
    request,
  );
}

/** The page a read with `request` returns, built from its window of the file. */
export function pageOf(window: TextWindow, fileBytes: number, request: ReadPageRequest): ReadPage {
  const { total, firstLength, content, contentBytes, blank } = window;
  if (total === 0) {
    return {
      text: fileBytes === 0 ? "File is empty (0 bytes)." : `File contains no readable text (${fileBytes} bytes).`,
    };
  }
  const startLine = (request.offset ?? 1) - 1;
  if (startLine >= total) {
    return {
      text: `Offset ${request.offset} is beyond end of file (${total} lines total). Retry with offset <= ${total}.`,
    };
  }
  const wanted = request.limit === undefined ? undefined : Math.max(1, Math.floor(request.limit));
  const endLine = requestEnd(request, total);
  if (request.cursor > 0 && request.cursor >= firstLength) {
    const more = startLine + 1 < total ? ` Use offset=${startLine + 2} to continue.` : "";
    return {
      text: `Cursor ${request.cursor} is at or beyond the end of line ${
        startLine + 1
      } (${firstLength} characters).${more}`,
    };
  }
  const remaining = total - endLine;
  const limitNotice = wanted !== undefined && remaining > 0
    ? `\n\n[${remaining} more line${remaining === 1 ? "" : "s"} in file. Use offset=${endLine + 1} to continue.]`
    : "";
  if (endLine - startLine <= READ_MAX_LINES && contentBytes + bytesOf(limitNotice) <= request.maxBytes) {
    const shown = blank
      ? `${startLine === 0 && endLine === total ? "File" : "Selected range"} contains ${
        endLine - startLine
      } blank line${endLine - startLine === 1 ? "" : "s"}.`
      : content;
    if (!limitNotice) return { text: shown, details: { kind: "text", content } };
    const next: ReadContinuation = { kind: "line", offset: endLine + 1, limit: endLine - startLine };
    return {
      text: `${shown}${limitNotice}`,
      details: {
        kind: "truncated",
        content,
        // In the reference's order: the truncation, then where to go on.
        truncation: truncation(contentBytes, content, total, request, "lines", false),
        continuation: next,
      },
    };
  }
  // Too big: keep whole lines within the budget, reserving room for the notice.
  const limitLeft = (from: number) => wanted === undefined ? {} : { limit: Math.max(1, endLine - from + 1) };
  // Room for the notice, sized as the reference sizes it: the longer of a cursor and a line notice.
  const bounded = wanted === undefined ? {} : { limit: wanted };
  const firstLineChars = firstLength - request.cursor;
  const reserve = Math.max(
    bytesOf(
      cappedNotice(
        { kind: "cursor", offset: startLine + 1, cursor: request.cursor + firstLineChars, ...bounded },
        request.maxBytes,
      ),
    ),
    bytesOf(cappedNotice({ kind: "line", offset: total + 1, ...bounded }, request.maxBytes)),
  );
  const budget = Math.max(0, request.maxBytes - reserve);
  const lines = content.split("\n");
  let kept = 0;
  let keptBytes = 0;
  while (kept < lines.length && kept < READ_MAX_LINES) {
    const size = bytesOf(lines[kept]!) + (kept > 0 ? 1 : 0);
    if (keptBytes + size > budget) break;
    keptBytes += size;
    kept += 1;
  }
  let shown: string;
  let next: ReadContinuation;
  if (kept === 0) {
    shown = utf8Prefix(lines[0]!, budget);
    next = {
      kind: "cursor",
      offset: startLine + 1,
      cursor: request.cursor + shown.length,
      ...limitLeft(startLine + 1),
    };
  } else {
    shown = lines.slice(0, kept).join("\n");
    next = { kind: "line", offset: startLine + 1 + kept, ...limitLeft(startLine + 1 + kept) };
  }
  return {
    text: `${shown}${cappedNotice(next, request.maxBytes)}`,
    details: {
      kind: "truncated",
      content: shown,
      truncation: {
        ...truncation(contentBytes, shown, total, request, kept >= READ_MAX_LINES ? "lines" : "bytes", kept === 0),
        outputLines: kept,
        maxLines: READ_MAX_LINES,
        maxBytes: Math.min(contentBytes, budget),
      },
      continuation: next,
    },
  };
}

function truncation(
  contentBytes: number,
  shown: string,
  totalLines: number,
  request: ReadPageRequest,
  by: "lines" | "bytes",
  partial: boolean,
): Record<string, unknown> {
  return {
    truncated: true,
    truncatedBy: by,
    totalLines,
    totalBytes: contentBytes,
    outputLines: shown === "" ? 0 : shown.split("\n").length,
    outputBytes: bytesOf(shown),
    lastLinePartial: partial,
    firstLineExceedsLimit: false,
    // The lines asked for as the page used them (a fractional or zero limit reads as the reference reads it).
    maxLines: request.limit === undefined ? 2000 : Math.max(1, Math.floor(request.limit)),
    maxBytes: request.maxBytes,
  };
}
