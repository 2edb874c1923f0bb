// One HTTP/1.1 response read off a model provider's connection (upstream_pool.ts): its head, then
// its body as the head frames it (chunked, a length, or up to the close), handed out as views of
// the connection's one read buffer instead of a copy per read.

/** The connection side a response is read from. */
export interface ByteSource {
  read(into: Uint8Array): Promise<number | null>;
}

/** A response head as fetch would present it. */
export interface AnswerHead {
  status: number;
  /** The status's canonical reason, as Deno's fetch gives it (not the server's own phrase). */
  statusText: string;
  headers: Headers;
  /** How the body is framed; `none` for statuses without one. */
  framing: { kind: "none" } | { kind: "chunked" } | { kind: "length"; length: number } | { kind: "close" };
  /** The connection may carry another request once this body is read to its end. */
  keepAlive: boolean;
}

/** Deno's fetch: the message of a body that failed mid-read, word for word. */
export function bodyReadError(): TypeError {
  return new TypeError("error reading a body from connection");
}

/** A response that is not HTTP/1.x as this reader takes it (a protocol error, not a network one). */
export class MalformedAnswerError extends Error {
  override name = "MalformedAnswerError";
}

const MAX_HEAD_BYTES = 64 * 1024;
const MAX_LINE_BYTES = 4 * 1024;
/** An HTTP token (RFC 9110): what a header name may be. */
export const HTTP_TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const STATUS_LINE = /^HTTP\/1\.([01]) (\d{3})(?: .*)?$/;

// The reasons Deno's fetch reports as `statusText` (the http crate's canonical reasons; read off
// fetch for every status 200-599 and held to it by tests/agent/upstream_pool_test.ts).
const REASONS: Readonly<Record<number, string>> = {
  200: "OK",
  201: "Created",
  202: "Accepted",
  203: "Non Authoritative Information",
  204: "No Content",
  205: "Reset Content",
  206: "Partial Content",
  207: "Multi-Status",
  208: "Already Reported",
  226: "IM Used",
  300: "Multiple Choices",
  301: "Moved Permanently",
  302: "Found",
  303: "See Other",
  304: "Not Modified",
  305: "Use Proxy",
  307: "Temporary Redirect",
  308: "Permanent Redirect",
  400: "Bad Request",
  401: "Unauthorized",
  402: "Payment Required",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  406: "Not Acceptable",
  407: "Proxy Authentication Required",
  408: "Request Timeout",
  409: "Conflict",
  410: "Gone",
  411: "Length Required",
  412: "Precondition Failed",
  413: "Payload Too Large",
  414: "URI Too Long",
  415: "Unsupported Media Type",
  416: "Range Not Satisfiable",
  417: "Expectation Failed",
  418: "I'm a teapot",
  421: "Misdirected Request",
  422: "Unprocessable Entity",
  423: "Locked",
  424: "Failed Dependency",
  425: "Too Early",
  426: "Upgrade Required",
  428: "Precondition Required",
  429: "Too Many Requests",
  431: "Request Header Fields Too Large",
  451: "Unavailable For Legal Reasons",
  500: "Internal Server Error",
  501: "Not Implemented",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
  505: "HTTP Version Not Supported",
  506: "Variant Also Negotiates",
  507: "Insufficient Storage",
  508: "Loop Detected",
  510: "Not Extended",
  511: "Network Authentication Required",
};

/** The canonical reason of `status`, or "" (as fetch's `statusText`). */
export function statusReason(status: number): string {
  return REASONS[status] ?? "";
}

/**
 * A connection's read buffer: the bytes read and not yet taken are `bytes[start, end)`. One read is
 * in flight at most; a read started while the connection sat idle (to notice the server closing it)
 * is the one the next response's first bytes arrive in.
 */
export class ReadWindow {
  bytes = new Uint8Array(16 * 1024);
  start = 0;
  end = 0;
  #source: ByteSource;
  #pending: Promise<boolean> | undefined;

  constructor(source: ByteSource) {
    this.#source = source;
  }

  /** Bytes read and not yet taken. */
  get size(): number {
    return this.end - this.start;
  }

  /** Reads more bytes after the window (the read in flight, if any); false at the end of the stream. */
  fill(): Promise<boolean> {
    this.#pending ??= this.#read().finally(() => this.#pending = undefined);
    return this.#pending;
  }

  async #read(): Promise<boolean> {
    if (this.start === this.end) this.start = this.end = 0;
    if (this.end === this.bytes.length) {
      if (this.start > 0) {
        this.bytes.copyWithin(0, this.start, this.end);
        this.end -= this.start;
        this.start = 0;
      } else {
        const grown = new Uint8Array(this.bytes.length * 2);
        grown.set(this.bytes);
        this.bytes = grown;
      }
    }
    const n = await this.#source.read(this.bytes.subarray(this.end));
    if (n === null) return false;
    this.end += n;
    return true;
  }

  /** The offset just past the next `\n` at or after `from`, or -1. */
  lineEnd(from = this.start): number {
    const at = this.bytes.subarray(0, this.end).indexOf(10, from);
    return at < 0 ? -1 : at + 1;
  }
}

// Header bytes as a ByteString (one char a byte), as fetch presents header values.
function latin1(bytes: Uint8Array): string {
  let text = "";
  for (let i = 0; i < bytes.length; i += 8192) {
    text += String.fromCharCode(...bytes.subarray(i, Math.min(bytes.length, i + 8192)));
  }
  return text;
}

// The offset just past the head's closing empty line in the window (CRLF CRLF, or bare LFs, which
// fetch takes too); -1 before it has come.
function headEnd(window: ReadWindow): number {
  const b = window.bytes;
  for (let i = window.start; i + 1 < window.end; i++) {
    if (b[i] !== 10) continue;
    if (b[i + 1] === 10) return i + 2;
    if (b[i + 1] === 13 && i + 2 < window.end && b[i + 2] === 10) return i + 3;
  }
  return -1;
}

/** Reads one response head (skipping interim 1xx answers); throws {@link MalformedAnswerError} or at EOF. */
export async function readAnswerHead(window: ReadWindow, method: string): Promise<AnswerHead> {
  for (;;) {
    // Searched from the window's start each time: a fill may move the bytes, and heads are short.
    let end = headEnd(window);
    while (end < 0) {
      if (window.size > MAX_HEAD_BYTES) throw new MalformedAnswerError("the response head is larger than 64 KiB");
      if (!await window.fill()) throw new MalformedAnswerError("the connection closed before the response head");
      end = headEnd(window);
    }
    const lines = latin1(window.bytes.subarray(window.start, end)).replace(/\r?\n\r?\n$/, "").split(/\r?\n/);
    window.start = end;
    const status = STATUS_LINE.exec(lines[0]!);
    if (!status) {
      throw new MalformedAnswerError(`not an HTTP/1.x status line: ${JSON.stringify(lines[0]!.slice(0, 80))}`);
    }
    const code = Number(status[2]);
    if (code < 100 || code > 599) throw new MalformedAnswerError(`a status fetch does not take: ${code}`);
    const headers = new Headers();
    const fields = new Map<string, string[]>();
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(":");
      const name = colon > 0 ? line.slice(0, colon) : "";
      if (!HTTP_TOKEN.test(name)) {
        throw new MalformedAnswerError(`a malformed header line: ${JSON.stringify(line.slice(0, 80))}`);
      }
      const value = line.slice(colon + 1).replace(/^[ \t]+|[ \t]+$/g, "");
      headers.append(name, value);
      const key = name.toLowerCase();
      fields.set(key, [...fields.get(key) ?? [], value]);
    }
    if (code < 200) {
      if (code === 101) throw new MalformedAnswerError("the server switched protocols");
      continue;
    }
    const tokens = (name: string) =>
      (fields.get(name) ?? []).flatMap((v) => v.split(",")).map((v) => v.trim().toLowerCase()).filter(Boolean);
    const http11 = status[1] === "1";
    let keepAlive = http11 && !tokens("connection").includes("close");
    let framing: AnswerHead["framing"];
    const coding = tokens("transfer-encoding");
    const lengths = [...new Set(tokens("content-length"))];
    if (method === "HEAD" || code === 204 || code === 304) framing = { kind: "none" };
    else if (coding.length > 0) {
      framing = coding.at(-1) === "chunked" ? { kind: "chunked" } : { kind: "close" };
      // A length beside a coding is ignored, and the connection is not trusted with another request.
      if (framing.kind === "close" || lengths.length > 0) keepAlive = false;
    } else if (lengths.length > 0) {
      if (lengths.length > 1 || !/^\d{1,15}$/.test(lengths[0]!)) {
        throw new MalformedAnswerError(`an invalid content-length: ${JSON.stringify(fields.get("content-length"))}`);
      }
      framing = { kind: "length", length: Number(lengths[0]) };
    } else {
      framing = { kind: "close" };
      keepAlive = false;
    }
    return { status: code, statusText: statusReason(code), headers, framing, keepAlive };
  }
}

// The size of the chunk whose size line is `bytes[start, end)` (ending CRLF): hex digits, then an
// extension after optional blanks and `;` (ignored); anything else fails the body.
function chunkSize(bytes: Uint8Array, start: number, end: number): number {
  if (end < start + 3 || bytes[end - 2] !== 13) throw bodyReadError();
  let size = 0;
  let at = start;
  for (; at < end - 2; at++) {
    const c = bytes[at]!;
    const digit = c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : c >= 65 && c <= 70 ? c - 55 : -1;
    if (digit < 0) break;
    size = size * 16 + digit;
    // Leading zeros are fine (fetch takes them); a size past 2^48 is not a chunk anyone sends.
    if (size > 2 ** 48) throw bodyReadError();
  }
  if (at === start) throw bodyReadError();
  while (at < end - 2 && (bytes[at] === 32 || bytes[at] === 9)) at++;
  if (at < end - 2 && bytes[at] !== 59) throw bodyReadError();
  return size;
}

/**
 * A response body read off its window as the head frames it. A view `read` returns is valid until
 * the next `read`. `ended` tells, once `read` has returned null, that the message ended cleanly
 * and nothing follows it in the window (so the connection may carry another request).
 */
export class AnswerBody {
  #window: ReadWindow;
  #framing: AnswerHead["framing"];
  #remaining: number;
  #state: "size" | "data" | "crlf" | "trailers" | "done";
  #clean = false;

  constructor(window: ReadWindow, framing: AnswerHead["framing"]) {
    this.#window = window;
    this.#framing = framing;
    this.#remaining = framing.kind === "length" ? framing.length : 0;
    this.#state = framing.kind === "none" || (framing.kind === "length" && framing.length === 0) ? "done" : "size";
    if (this.#state === "done") this.#clean = true;
  }

  /** The body ended as framed with no bytes after it. */
  get ended(): boolean {
    return this.#clean && this.#window.size === 0;
  }

  /** The next bytes of the body, or null at its end; throws fetch's body error on a cut or malformed body. */
  async read(): Promise<Uint8Array | null> {
    const w = this.#window;
    for (;;) {
      if (this.#state === "done") return null;
      if (this.#framing.kind === "close") {
        if (w.size === 0 && !await w.fill()) {
          this.#finish();
          return null;
        }
        return this.#take(w.size);
      }
      if (this.#framing.kind === "length" || this.#state === "data") {
        if (this.#remaining === 0) {
          if (this.#framing.kind === "length") {
            this.#finish();
            return null;
          }
          this.#state = "crlf";
          continue;
        }
        if (w.size === 0 && !await w.fill()) throw bodyReadError();
        const n = Math.min(this.#remaining, w.size);
        this.#remaining -= n;
        return this.#take(n);
      }
      // The framing lines between chunks are read off the bytes, no string made (two a chunk).
      if (this.#state === "crlf") {
        if (w.size < 2) {
          if (!await w.fill()) throw bodyReadError();
          continue;
        }
        if (w.bytes[w.start] !== 13 || w.bytes[w.start + 1] !== 10) throw bodyReadError();
        w.start += 2;
        this.#state = "size";
        continue;
      }
      if (this.#state === "size") {
        const end = w.lineEnd();
        if (end < 0) {
          if (w.size > MAX_LINE_BYTES || !await w.fill()) throw bodyReadError();
          continue;
        }
        this.#remaining = chunkSize(w.bytes, w.start, end);
        w.start = end;
        this.#state = this.#remaining === 0 ? "trailers" : "data";
        continue;
      }
      const line = await this.#line();
      if (line === "") {
        this.#finish();
        return null;
      } else if (line.indexOf(":") <= 0) {
        // A trailer that is not a field fails the body, as fetch's does.
        throw bodyReadError();
      }
    }
  }

  #finish(): void {
    this.#state = "done";
    this.#clean = true;
  }

  #take(n: number): Uint8Array {
    const w = this.#window;
    const view = w.bytes.subarray(w.start, w.start + n);
    w.start += n;
    return view;
  }

  // One CRLF-ended line of the chunked framing, without its ending.
  async #line(): Promise<string> {
    const w = this.#window;
    let end = w.lineEnd();
    while (end < 0) {
      if (w.size > MAX_LINE_BYTES || !await w.fill()) throw bodyReadError();
      end = w.lineEnd();
    }
    if (end < w.start + 2 || w.bytes[end - 2] !== 13) throw bodyReadError();
    const line = latin1(w.bytes.subarray(w.start, end - 2));
    w.start = end;
    return line;
  }
}
