/** The `logs.tail` reply (`LogsTailResultSchema`). */
export interface LogsTailResult {
  file: string;
  cursor: number;
  size: number;
  lines: string[];
  truncated: boolean;
  reset: boolean;
  skippedBytes?: number;
}

/** Limits of `logs.tail`, as the reference applies them. */
export const LOGS_TAIL_DEFAULTS = { limit: 500, maxLimit: 5000, maxBytes: 250_000, maxMaxBytes: 1_000_000 };

async function readRange(path: string, start: number, end: number): Promise<string> {
  if (end <= start) return "";
  const file = await Deno.open(path, { read: true });
  try {
    await file.seek(start, Deno.SeekMode.Start);
    const buffer = new Uint8Array(end - start);
    let read = 0;
    while (read < buffer.length) {
      const n = await file.read(buffer.subarray(read));
      if (n === null) break;
      read += n;
    }
    return new TextDecoder().decode(buffer.subarray(0, read));
  } finally {
    file.close();
  }
}

/**
 * Reads the log file from a byte cursor. Without a cursor: the last `limit` lines of the last
 * `maxBytes`. With one: what was appended since, ending at the last complete line so a line
 * being written is never split. A cursor past the end (rotation) or too far behind answers
 * from the tail with `reset: true`.
 */
export async function tailLog(
  path: string,
  request: { cursor?: number | undefined; limit?: number | undefined; maxBytes?: number | undefined },
): Promise<LogsTailResult> {
  const limit = Math.min(request.limit ?? LOGS_TAIL_DEFAULTS.limit, LOGS_TAIL_DEFAULTS.maxLimit);
  const maxBytes = Math.min(request.maxBytes ?? LOGS_TAIL_DEFAULTS.maxBytes, LOGS_TAIL_DEFAULTS.maxMaxBytes);
  let size: number;
  try {
    size = (await Deno.stat(path)).size;
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
    return { file: path, cursor: 0, size: 0, lines: [], truncated: false, reset: request.cursor !== undefined };
  }
  let start: number;
  let reset = false;
  let skippedBytes: number | undefined;
  let fromTail = false;
  if (request.cursor === undefined) {
    start = Math.max(0, size - maxBytes);
    fromTail = start > 0;
  } else if (request.cursor > size) {
    reset = true;
    start = Math.max(0, size - maxBytes);
    fromTail = start > 0;
  } else if (size - request.cursor > maxBytes) {
    reset = true;
    start = size - maxBytes;
    skippedBytes = start - request.cursor;
    fromTail = true;
  } else {
    start = request.cursor;
  }
  let text = await readRange(path, start, size);
  let cursor = start;
  if (fromTail) {
    // Starting mid-file: drop the partial first line.
    const firstBreak = text.indexOf("\n");
    cursor += firstBreak + 1;
    text = firstBreak === -1 ? "" : text.slice(firstBreak + 1);
  }
  const lastBreak = text.lastIndexOf("\n");
  const complete = lastBreak === -1 ? "" : text.slice(0, lastBreak);
  cursor += new TextEncoder().encode(lastBreak === -1 ? "" : text.slice(0, lastBreak + 1)).length;
  let lines = complete === "" ? [] : complete.split("\n");
  const truncated = lines.length > limit;
  if (truncated) lines = lines.slice(-limit);
  const result: LogsTailResult = { file: path, cursor, size, lines, truncated, reset };
  if (skippedBytes !== undefined) result.skippedBytes = skippedBytes;
  return result;
}
