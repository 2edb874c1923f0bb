const encoder = new TextEncoder();
/** The chunked coding's end: a zero-size chunk and no trailers. */
const LAST_CHUNK = encoder.encode("0\r\n\r\n");

/** Where the connection tracks a write the peer is not taking (the listener's progress deadline). */
export interface WriteProgress {
  /** Set while a write waits; moved forward each time the peer accepts bytes. */
  writeSince?: number | undefined;
}

const NO_BODY_STATUS = new Set([101, 204, 205, 304]);

/**
 * Writes a handler's response: one write with a length when the body is already complete,
 * chunked when it streams (to an HTTP/1.0 client: raw, ended by closing). Resolves true when the
 * connection must close after it.
 */
export async function writeResponse(
  conn: Deno.Conn,
  head: { method: string; version: "1.0" | "1.1" },
  response: Response,
  close: boolean,
  hangUp: AbortSignal,
  progress: WriteProgress,
  date: string,
): Promise<boolean> {
  const writeAll = (bytes: Uint8Array) => writeAllTracked(conn, bytes, progress);
  let text = `HTTP/1.1 ${response.status} ${response.statusText || reason(response.status)}\r\n`;
  for (const [name, value] of response.headers) {
    if (name === "connection" || name === "transfer-encoding" || name === "content-length") continue;
    if (name === "set-cookie") continue;
    text += `${name}: ${value}\r\n`;
  }
  for (const cookie of response.headers.getSetCookie()) text += `set-cookie: ${cookie}\r\n`;
  if (!response.headers.has("date")) text += `date: ${date}\r\n`;
  // HTTP/1.0 closes by default: a kept-alive one must say so.
  const persistence = close ? "connection: close\r\n" : head.version === "1.0" ? "connection: keep-alive\r\n" : "";
  const bodyless = head.method === "HEAD" || NO_BODY_STATUS.has(response.status) || !response.body;
  if (bodyless) {
    const declared = response.headers.get("content-length");
    if (head.method === "HEAD" && declared !== null) text += `content-length: ${declared}\r\n`;
    else if (!NO_BODY_STATUS.has(response.status)) text += "content-length: 0\r\n";
    await response.body?.cancel().catch(() => {});
    await writeAll(encodeHead(`${text}${persistence}\r\n`));
    return close;
  }
  const reader = response.body!.getReader();
  // A client that hangs up while the body waits for its next piece (a quiet SSE stream) cancels
  // the body at once, as Deno.serve does: the producer (the SSE writer) stops its run.
  const cancel = () => void reader.cancel(new Error("client hung up")).catch(() => {});
  hangUp.addEventListener("abort", cancel, { once: true });
  try {
    let first: ReadableStreamReadResult<Uint8Array>;
    try {
      first = await reader.read();
    } catch {
      // Nothing was written yet: the client gets an answer rather than a silent close.
      await writeAll(refusal(500));
      return true;
    }
    // A body that ends right after its first chunk (JSON, a file) goes out with a length in one write.
    const secondRead = first.done ? Promise.resolve(first) : reader.read();
    const second = await Promise.race([secondRead, tick()]);
    if (second?.done) {
      const bytes = first.value ?? new Uint8Array(0);
      const headBytes = encodeHead(`${text}${persistence}content-length: ${bytes.length}\r\n\r\n`);
      await writeAll(join(headBytes, bytes));
      return close;
    }
    // Streamed (SSE): chunked, each piece written as it comes; HTTP/1.0 has no chunked coding.
    const chunked = head.version === "1.1";
    const piece = (bytes: Uint8Array) => chunked ? writeChunk(writeAll, bytes) : writeAll(bytes);
    const framing = chunked ? `${persistence}transfer-encoding: chunked\r\n` : "connection: close\r\n";
    // The head and the first piece (an SSE stream's opening event) in one write: a socket write
    // is about 0.1 ms of main-thread CPU on loopback, and this one lands during the run's set-up.
    const headBytes = encodeHead(`${text}${framing}\r\n`);
    await writeAll(join(headBytes, chunked ? chunkFrame(first.value!) : first.value!));
    let next = second ?? await secondRead;
    while (!next.done) {
      const after = reader.read();
      // The body's end already queued behind this piece (an answer's last events, then the close): the piece
      // and the chunked coding's end go in one write, a socket write fewer per answer.
      const queued = await Promise.race([after, tick()]);
      if (queued?.done) {
        await writeAll(chunked ? join(chunkFrame(next.value), LAST_CHUNK) : next.value);
        return close || !chunked;
      }
      await piece(next.value);
      next = queued ?? await after;
    }
    if (chunked) await writeAll(LAST_CHUNK);
    return close || !chunked;
  } catch (error) {
    // The client went away mid-body: cancelling the body tells its producer (the SSE writer).
    await reader.cancel(error).catch(() => {});
    throw error;
  } finally {
    hangUp.removeEventListener("abort", cancel);
  }
}

/**
 * Settles after a few microtask turns: long enough for a body that is already complete (a JSON
 * answer) to report its end, short of any timer, so a stream's first piece is not held back.
 */
function tick(): Promise<undefined> {
  return Promise.resolve().then(() => undefined).then(() => undefined).then(() => undefined);
}

async function writeChunk(write: (bytes: Uint8Array) => Promise<void>, bytes: Uint8Array): Promise<void> {
  if (bytes.length === 0) return;
  await write(chunkFrame(bytes));
}

/** One chunk of the chunked coding; nothing for an empty piece (a zero-size chunk would end the body). */
function chunkFrame(bytes: Uint8Array): Uint8Array {
  if (bytes.length === 0) return bytes;
  return join(encoder.encode(`${bytes.length.toString(16)}\r\n`), bytes, encoder.encode("\r\n"));
}

/** Writes every byte (a write may be partial). */
export async function writeAll(conn: Deno.Conn, bytes: Uint8Array): Promise<void> {
  let offset = 0;
  while (offset < bytes.length) offset += await conn.write(bytes.subarray(offset));
}

/** {@link writeAll}, keeping `progress.writeSince` current so a peer that stops reading is noticed. */
export async function writeAllTracked(conn: Deno.Conn, bytes: Uint8Array, progress: WriteProgress): Promise<void> {
  let offset = 0;
  progress.writeSince = Date.now();
  try {
    while (offset < bytes.length) {
      offset += await conn.write(bytes.subarray(offset));
      progress.writeSince = Date.now();
    }
  } finally {
    progress.writeSince = undefined;
  }
}

/**
 * A response head as bytes. Header values are byte strings (Fetch keeps them Latin-1), so a
 * non-ASCII one is written one byte per character, not re-encoded as UTF-8.
 */
function encodeHead(text: string): Uint8Array {
  // deno-lint-ignore no-control-regex
  if (!/[^\x00-\x7f]/.test(text)) return encoder.encode(text);
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
  return out;
}

function join(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** A refusal written by the parser itself, before any handler saw the request. */
export function refusal(status: number): Uint8Array {
  const body = reason(status);
  return encoder.encode(
    `HTTP/1.1 ${status} ${body}\r\ncontent-type: text/plain; charset=utf-8\r\ncontent-length: ${body.length}\r\nconnection: close\r\n\r\n${body}`,
  );
}

/** A reason phrase is optional (RFC 9112 §4): an unknown status goes out with none. */
function reason(status: number): string {
  return REASONS[status] ?? "";
}

const REASONS: Record<number, string> = {
  100: "Continue",
  101: "Switching Protocols",
  200: "OK",
  201: "Created",
  202: "Accepted",
  204: "No Content",
  301: "Moved Permanently",
  302: "Found",
  303: "See Other",
  304: "Not Modified",
  307: "Temporary Redirect",
  308: "Permanent Redirect",
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  408: "Request Timeout",
  409: "Conflict",
  410: "Gone",
  411: "Length Required",
  412: "Precondition Failed",
  413: "Payload Too Large",
  431: "Request Header Fields Too Large",
  415: "Unsupported Media Type",
  417: "Expectation Failed",
  422: "Unprocessable Content",
  426: "Upgrade Required",
  429: "Too Many Requests",
  500: "Internal Server Error",
  501: "Not Implemented",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};
