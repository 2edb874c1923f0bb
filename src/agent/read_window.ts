// A large file read as a stream: only the lines a `read` returns are kept (at most a page and a
// byte more of them), the rest counted, so a multi-gigabyte log costs a page of memory, not the
// file. The window it yields builds the same page as the whole text would (read_page.ts).
import type { ReadPageRequest, TextWindow } from "./read_page.ts";

/** Files larger than this are streamed instead of read whole. */
export const STREAM_READ_BYTES = 8 * 1024 * 1024;

const encoder = new TextEncoder();

/** The window of the decoded text (BOM stripped, CRLF as LF) of `chunks` that `request` reads. */
export async function streamWindow(
  chunks: AsyncIterable<Uint8Array>,
  request: ReadPageRequest,
  signal?: AbortSignal,
): Promise<TextWindow> {
  const startLine = (request.offset ?? 1) - 1;
  const rangeEnd = request.limit === undefined ? Infinity : startLine + Math.max(1, Math.floor(request.limit));
  const keep = request.maxBytes + 1;
  const kept: string[] = [];
  let keptBytes = 0;
  let contentBytes = 0;
  let line = 0;
  let column = 0;
  let firstLength = 0;
  let blank = true;
  // The newline ending the range's last line belongs to the content only when the file ends there.
  let pendingNewline = false;
  let carry = "";
  let boms = 2;
  const take = (piece: string) => {
    if (!piece) return;
    const size = encoder.encode(piece).length;
    contentBytes += size;
    if (keptBytes < keep) {
      kept.push(piece);
      keptBytes += size;
    }
  };
  const feed = (decoded: string, final: boolean) => {
    // The whole-file read drops a leading BOM twice (the decoder's, then its own).
    while (boms > 0 && decoded.startsWith("\uFEFF")) {
      decoded = decoded.slice(1);
      boms--;
    }
    if (decoded) boms = 0;
    let text = carry + decoded;
    carry = "";
    if (!final && text.endsWith("\r")) {
      carry = "\r";
      text = text.slice(0, -1);
    }
    text = text.replaceAll("\r\n", "\n");
    for (let at = 0; at < text.length;) {
      pendingNewline = false;
      const newline = text.indexOf("\n", at);
      const end = newline === -1 ? text.length : newline;
      const inRange = line >= startLine && line < rangeEnd;
      if (inRange) {
        if (end > at) blank = false;
        if (line === startLine) {
          take(text.slice(Math.min(end, at + Math.max(0, request.cursor - column)), end));
          firstLength += end - at;
        } else take(text.slice(at, end));
      }
      column += end - at;
      if (newline === -1) break;
      if (inRange) {
        if (line < rangeEnd - 1) take("\n");
        else pendingNewline = true;
      }
      line++;
      column = 0;
      at = newline + 1;
    }
  };
  // ignoreBOM: Deno's streaming decoder drops a BOM at the start of every chunk, not only the first.
  const decoder = new TextDecoder("utf-8", { ignoreBOM: true });
  for await (const chunk of chunks) {
    signal?.throwIfAborted();
    feed(decoder.decode(chunk, { stream: true }), false);
  }
  feed(decoder.decode(), true);
  if (pendingNewline) take("\n");
  return { total: line + (column > 0 ? 1 : 0), firstLength, content: kept.join(""), contentBytes, blank };
}
