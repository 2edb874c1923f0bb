import { ConnReader } from "./conn_reader.ts";
import { requestBody } from "./http1_body.ts";
import { refusal, writeAll, writeResponse } from "./http1_write.ts";
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
const CRLF2 = new Uint8Array([13, 10, 13, 10]);
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
    end = reader.find(CRLF2);
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
  let wantsClose = !keepAlive || response.headers.get("connection")?.toLowerCase() === "close";
  try {
    wantsClose = await writeResponse(conn, head, response, wantsClose, hangUp.signal);
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
