import { ConnReader } from "./conn_reader.ts";
import { ServerWebSocket, type WsOptions } from "./websocket.ts";
import { handshakeHead, websocketKey } from "./ws_handshake.ts";

/**
 * Accepts the WebSocket upgrade a handler is looking at: returns the socket (it opens once the
 * 101 is written) and the response the handler must return. Throws for a non-upgrade request.
 */
export type Upgrader = (options: WsOptions) => { socket: ServerWebSocket; response: Response };

/** Where one connection stands, for the listener's timeouts and eviction. */
export interface ConnActivity {
  /**
   * `head`: a request head is due (fresh connection, or bytes arrived); `idle`: kept alive with
   * nothing sent; `busy`: a request is being served; `websocket`: upgraded. Only `head` and
   * `idle` connections are timed out or evicted.
   */
  state: "head" | "idle" | "busy" | "websocket";
  /** When the current state began (ms since epoch). */
  since: number;
  /** Requests answered on this connection. */
  served: number;
  /** The socket of an upgraded connection. */
  socket?: ServerWebSocket | undefined;
  /** Set at shutdown: end the connection once the request in flight is answered. */
  closeWhenIdle?: boolean | undefined;
}

/** What serving a connection needs. */
export interface Http1Options {
  conn: Deno.Conn;
  remoteAddr: string;
  handler(request: Request, upgrade: Upgrader): Response | Promise<Response>;
  activity: ConnActivity;
  /** Called when the handler throws; the client gets a 500. */
  onError(error: unknown): void;
}

const MAX_HEAD_BYTES = 16_384;
const MAX_DRAIN_BYTES = 65_536;
const CRLF2 = new Uint8Array([13, 10, 13, 10]);
const encoder = new TextEncoder();
const latin1 = new TextDecoder("latin1");

/**
 * Serves HTTP/1.1 on one accepted connection until it closes: parse a head, hand a `Request` to
 * the handler, write its `Response`, repeat while keep-alive holds. A WebSocket upgrade accepted
 * by the handler takes the connection over. Never throws.
 */
export async function serveHttp1(options: Http1Options): Promise<void> {
  const { conn, activity } = options;
  const reader = new ConnReader(conn);
  reader.onData = () => {
    // The first bytes of a new head on a kept-alive connection start the head clock.
    if (activity.state !== "idle") return;
    activity.state = "head";
    activity.since = Date.now();
  };
  try {
    for (;;) {
      const head = await readHead(reader);
      if (head === undefined) break;
      if (typeof head === "number") {
        await writeAll(conn, refusal(head));
        break;
      }
      activity.state = "busy";
      activity.since = Date.now();
      const outcome = await serveRequest(options, reader, head);
      activity.served += 1;
      if (outcome === "upgraded") return;
      activity.state = reader.available > 0 ? "head" : "idle";
      activity.since = Date.now();
      if (outcome === "close" || activity.closeWhenIdle) break;
    }
  } catch {
    // A reset or a write to a closed socket: nothing left to answer.
  }
  try {
    conn.close();
  } catch {
    // Closed by the listener (timeout, eviction) or already gone.
  }
}

interface Head {
  method: string;
  target: string;
  version: "1.0" | "1.1";
  headers: Headers;
}

/** A parsed head, a status to refuse with, or undefined at a clean end of stream. */
async function readHead(reader: ConnReader): Promise<Head | number | undefined> {
  let end: number;
  for (;;) {
    // Tolerate the blank lines some clients send between requests.
    while (reader.available >= 2 && reader.peek()[0] === 13 && reader.peek()[1] === 10) reader.consume(2);
    end = indexOf(reader.peek(), CRLF2);
    if (end >= 0) break;
    if (reader.available > MAX_HEAD_BYTES) return 431;
    if (!(await reader.fill())) return reader.available > 0 ? 400 : undefined;
  }
  if (end > MAX_HEAD_BYTES) return 431;
  const lines = latin1.decode(reader.peek().subarray(0, end)).split("\r\n");
  reader.consume(end + 4);
  const match = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+) (\S+) HTTP\/1\.([01])$/.exec(lines[0] ?? "");
  if (!match) return 400;
  const headers = new Headers();
  try {
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(":");
      if (colon <= 0 || line[0] === " " || line[0] === "\t") return 400;
      headers.append(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
    }
  } catch {
    return 400;
  }
  return { method: match[1]!, target: match[2]!, version: match[3] === "0" ? "1.0" : "1.1", headers };
}

type Outcome = "keep" | "close" | "upgraded";

async function serveRequest(options: Http1Options, reader: ConnReader, head: Head): Promise<Outcome> {
  const { conn } = options;
  const body = requestBody(conn, reader, head);
  if (body === "invalid") {
    await writeAll(conn, refusal(400));
    return "close";
  }
  let url: URL;
  try {
    url = head.target.startsWith("/")
      ? new URL(head.target, `http://${head.headers.get("host") || "localhost"}`)
      : new URL(head.target);
  } catch {
    await writeAll(conn, refusal(400));
    return "close";
  }
  const hangUp = new AbortController();
  const hasBody = body.stream !== undefined && head.method !== "GET" && head.method !== "HEAD";
  const request = new Request(url, {
    method: head.method,
    headers: head.headers,
    body: hasBody ? body.stream : undefined,
    signal: hangUp.signal,
  });
  let finished = false;
  let accepted: { socket: ServerWebSocket; response: Response; key: string } | undefined;
  const upgrade: Upgrader = (wsOptions) => {
    const key = websocketKey(request);
    if (!key || accepted) throw new TypeError("not a WebSocket upgrade request");
    // A placeholder: a Response cannot carry status 101; the server writes the real head.
    accepted = { socket: new ServerWebSocket(wsOptions), response: new Response(null, { status: 204 }), key };
    return { socket: accepted.socket, response: accepted.response };
  };
  // Once the body is read, a pending read doubles as the hang-up watch (pipelined bytes stay buffered).
  void body.done.then(async () => {
    while (!finished && reader.available === 0 && !reader.eof) await reader.fill();
    if (reader.eof && !finished) hangUp.abort();
  });
  let response: Response;
  try {
    response = await options.handler(request, upgrade);
  } catch (error) {
    options.onError(error);
    response = new Response("Internal Server Error", {
      status: 500,
      headers: { "content-type": "text/plain; charset=utf-8" },
    });
  }
  if (accepted && response === accepted.response) {
    finished = true;
    await writeAll(conn, await handshakeHead(accepted.key));
    options.activity.state = "websocket";
    options.activity.since = Date.now();
    options.activity.socket = accepted.socket;
    accepted.socket.attach(conn, reader);
    return "upgraded";
  }
  const keepAlive = head.version === "1.1"
    ? head.headers.get("connection")?.toLowerCase() !== "close"
    : head.headers.get("connection")?.toLowerCase() === "keep-alive";
  const wantsClose = !keepAlive || response.headers.get("connection")?.toLowerCase() === "close";
  try {
    await writeResponse(conn, head, response, wantsClose, hangUp.signal);
  } catch (error) {
    hangUp.abort();
    throw error;
  } finally {
    finished = true;
  }
  if (wantsClose || hangUp.signal.aborted) return "close";
  // An unread body must leave the connection before the next head; a large one is not worth it.
  return await body.drain() ? "keep" : "close";
}

interface Body {
  stream: ReadableStream<Uint8Array> | undefined;
  /** Resolves once the body has been read to its end (at once when there is none). */
  done: Promise<void>;
  /** Reads and drops what the handler left unread; false when too much was left. */
  drain(): Promise<boolean>;
}

function requestBody(conn: Deno.Conn, reader: ConnReader, head: Head): Body | "invalid" {
  const te = head.headers.get("transfer-encoding");
  const cl = head.headers.get("content-length");
  let remaining: number | "chunked" = 0;
  if (te !== null) {
    if (te.toLowerCase() !== "chunked" || cl !== null) return "invalid";
    remaining = "chunked";
  } else if (cl !== null) {
    if (!/^\d{1,15}$/.test(cl)) return "invalid";
    remaining = Number(cl);
  }
  let resolveDone!: () => void;
  const done = new Promise<void>((resolve) => resolveDone = resolve);
  if (remaining === 0) {
    resolveDone();
    return { stream: undefined, done, drain: () => Promise.resolve(true) };
  }
  const expectContinue = head.version === "1.1" && head.headers.get("expect")?.toLowerCase() === "100-continue";
  let continued = !expectContinue;
  const chunked = remaining === "chunked" ? new ChunkedDecoder(reader) : undefined;
  let left = typeof remaining === "number" ? remaining : 0;
  let ended = false;
  const next = async (): Promise<Uint8Array | undefined> => {
    if (!continued) {
      continued = true;
      await writeAll(conn, encoder.encode("HTTP/1.1 100 Continue\r\n\r\n"));
    }
    if (chunked) return await chunked.next();
    if (left === 0) return undefined;
    const part = await reader.readSome(left);
    if (!part) throw new Error("connection closed inside the request body");
    left -= part.length;
    return part;
  };
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const part = await next();
        if (part) return controller.enqueue(part);
        ended = true;
        resolveDone();
        controller.close();
      } catch (error) {
        ended = true;
        resolveDone();
        controller.error(error);
      }
    },
  }, { highWaterMark: 0 });
  return {
    stream,
    done,
    async drain() {
      if (ended) return true;
      if (!continued) return false; // the client waits for 100-continue: nothing was sent
      let dropped = 0;
      try {
        for (let part = await next(); part; part = await next()) {
          dropped += part.length;
          if (dropped > MAX_DRAIN_BYTES) return false;
        }
      } catch {
        return false;
      }
      return true;
    },
  };
}

/** Decodes `Transfer-Encoding: chunked` from the reader; trailers are read and dropped. */
class ChunkedDecoder {
  #reader: ConnReader;
  #left = 0;
  #done = false;

  constructor(reader: ConnReader) {
    this.#reader = reader;
  }

  async next(): Promise<Uint8Array | undefined> {
    if (this.#done) return undefined;
    if (this.#left === 0) {
      const size = parseInt((await this.#line()).split(";")[0]!.trim(), 16);
      if (!Number.isFinite(size) || size < 0) throw new Error("invalid chunk size");
      if (size === 0) {
        while ((await this.#line()) !== "");
        this.#done = true;
        return undefined;
      }
      this.#left = size;
    }
    const part = await this.#reader.readSome(this.#left);
    if (!part) throw new Error("connection closed inside a chunk");
    this.#left -= part.length;
    if (this.#left === 0 && (await this.#line()) !== "") throw new Error("chunk not followed by CRLF");
    return part;
  }

  async #line(): Promise<string> {
    for (;;) {
      const at = indexOf(this.#reader.peek(), CRLF2.subarray(2));
      if (at >= 0) {
        const line = latin1.decode(this.#reader.peek().subarray(0, at));
        this.#reader.consume(at + 2);
        return line;
      }
      if (this.#reader.available > 4096) throw new Error("chunk line too long");
      if (!(await this.#reader.fill())) throw new Error("connection closed inside a chunk header");
    }
  }
}

const NO_BODY_STATUS = new Set([101, 204, 205, 304]);

async function writeResponse(
  conn: Deno.Conn,
  head: Head,
  response: Response,
  close: boolean,
  hangUp: AbortSignal,
): Promise<void> {
  let text = `HTTP/1.1 ${response.status} ${response.statusText || reason(response.status)}\r\n`;
  for (const [name, value] of response.headers) {
    if (name === "connection" || name === "transfer-encoding" || name === "content-length") continue;
    if (name === "set-cookie") continue;
    text += `${name}: ${value}\r\n`;
  }
  for (const cookie of response.headers.getSetCookie()) text += `set-cookie: ${cookie}\r\n`;
  if (!response.headers.has("date")) text += `date: ${new Date().toUTCString()}\r\n`;
  if (close) text += "connection: close\r\n";
  const bodyless = head.method === "HEAD" || NO_BODY_STATUS.has(response.status) || !response.body;
  if (bodyless) {
    const declared = response.headers.get("content-length");
    if (head.method === "HEAD" && declared !== null) text += `content-length: ${declared}\r\n`;
    else if (!NO_BODY_STATUS.has(response.status)) text += "content-length: 0\r\n";
    await response.body?.cancel().catch(() => {});
    return await writeAll(conn, encoder.encode(`${text}\r\n`));
  }
  const reader = response.body!.getReader();
  // A client that hangs up while the body waits for its next piece (a quiet SSE stream) cancels
  // the body at once, as Deno.serve does: the producer (the SSE writer) stops its run.
  const cancel = () => void reader.cancel(new Error("client hung up")).catch(() => {});
  hangUp.addEventListener("abort", cancel, { once: true });
  try {
    const first = await reader.read();
    // A body that ends right after its first chunk (JSON, a file) goes out with a length in one write.
    const secondRead = first.done ? Promise.resolve(first) : reader.read();
    const second = await Promise.race([secondRead, tick()]);
    if (second?.done) {
      const bytes = first.value ?? new Uint8Array(0);
      const headBytes = encoder.encode(`${text}content-length: ${bytes.length}\r\n\r\n`);
      return await writeAll(conn, join(headBytes, bytes));
    }
    // Streamed (SSE): chunked, each piece written as it comes.
    await writeAll(conn, encoder.encode(`${text}transfer-encoding: chunked\r\n\r\n`));
    await writeChunk(conn, first.value!);
    let next = second ?? await secondRead;
    while (!next.done) {
      await writeChunk(conn, next.value);
      next = await reader.read();
    }
    await writeAll(conn, encoder.encode("0\r\n\r\n"));
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

async function writeChunk(conn: Deno.Conn, bytes: Uint8Array): Promise<void> {
  if (bytes.length === 0) return;
  await writeAll(conn, join(encoder.encode(`${bytes.length.toString(16)}\r\n`), bytes, encoder.encode("\r\n")));
}

/** Writes every byte (a write may be partial). */
export async function writeAll(conn: Deno.Conn, bytes: Uint8Array): Promise<void> {
  let offset = 0;
  while (offset < bytes.length) offset += await conn.write(bytes.subarray(offset));
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

function indexOf(haystack: Uint8Array, needle: Uint8Array): number {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

/** A refusal written by the parser itself, before any handler saw the request. */
function refusal(status: number): Uint8Array {
  const body = reason(status);
  return encoder.encode(
    `HTTP/1.1 ${status} ${body}\r\ncontent-type: text/plain; charset=utf-8\r\ncontent-length: ${body.length}\r\nconnection: close\r\n\r\n${body}`,
  );
}

function reason(status: number): string {
  return REASONS[status] ?? "Unknown";
}

const REASONS: Record<number, string> = {
  200: "OK",
  201: "Created",
  202: "Accepted",
  204: "No Content",
  301: "Moved Permanently",
  302: "Found",
  304: "Not Modified",
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  408: "Request Timeout",
  409: "Conflict",
  413: "Payload Too Large",
  431: "Request Header Fields Too Large",
  415: "Unsupported Media Type",
  429: "Too Many Requests",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};
