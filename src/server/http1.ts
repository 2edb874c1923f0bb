import { ConnReader } from "./conn_reader.ts";
import { type BodyProgress, requestBody } from "./http1_body.ts";
import { handlerRequest } from "./http1_request.ts";
import { refusal, writeAllTracked, type WriteProgress, writeResponse } from "./http1_write.ts";
import { ServerWebSocket, type WsOptions } from "./websocket.ts";
import { handshakeHead, handshakeRefusal, hasToken, wantsWebSocket, websocketKey } from "./ws_handshake.ts";

/**
 * What an upgrade's handler is given of the request: its method, URL and head. No `Request` is built for an
 * upgrade: Deno 2.9 loads `Request` on its first use (10–15 ms here), and a gateway's start and its first
 * client would otherwise pay for it (docs/performance.md, session 37).
 */
export interface UpgradeRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Headers;
}

/** An upgrade the handler accepted: the value it must return for the server to write the 101. */
export interface UpgradeAccepted {
  /** Opens once the 101 is written. */
  readonly socket: ServerWebSocket;
}

/** How an upgrade's handler answers: accepted, or refused with a response. */
export type UpgradeAnswer = UpgradeAccepted | Response;

/**
 * Accepts the WebSocket upgrade a handler is looking at: returns what the handler must return (its socket opens
 * once the 101 is written). Throws when called twice.
 */
export type Upgrader = (options: WsOptions) => UpgradeAccepted;

/**
 * Where one connection stands, for the listener's timeouts and eviction. A `busy` connection has
 * no deadline of its own (a handler may think for minutes), but a body read or a response write
 * that stops making progress does (`bodySince`, `writeSince`).
 */
export interface ConnActivity extends BodyProgress, WriteProgress {
  /**
   * `head`: a request head is due (fresh connection, or bytes arrived); `idle`: kept alive with
   * nothing sent; `busy`: a request is being served; `drain`: the unread rest of a body is being
   * dropped; `websocket`: upgraded. `head`, `idle` and `drain` are timed out and evicted.
   */
  state: "head" | "idle" | "busy" | "drain" | "websocket";
  /** When the current state began (ms since epoch). */
  since: number;
  /** Requests answered on this connection. */
  served: number;
  /** The socket of an upgraded connection. */
  socket?: ServerWebSocket | undefined;
  /** Set at shutdown: end the connection once the request in flight is answered. */
  closeWhenIdle?: boolean | undefined;
}

/** The two kinds of traffic on a connection, each handed the peer's address. */
export interface RequestHandlers {
  /** Every request that does not ask to become a WebSocket. */
  http(request: Request, remoteAddr: string): Response | Promise<Response>;
  /** A well-formed WebSocket upgrade (a malformed one is refused before any handler sees it). */
  upgrade(request: UpgradeRequest, remoteAddr: string, upgrade: Upgrader): UpgradeAnswer | Promise<UpgradeAnswer>;
}

/** What serving a connection needs. */
export interface Http1Options {
  conn: Deno.Conn;
  remoteAddr: string;
  /** Shared by every connection (no closure per connection). */
  handlers: RequestHandlers;
  activity: ConnActivity;
  /** Called when the handler throws; the client gets a 500. */
  onError(error: unknown): void;
  /** The `date` header value for a response now (the registry caches it per second). */
  date?: (() => string) | undefined;
}

const MAX_HEAD_BYTES = 16_384;
const CRLF2 = new Uint8Array([13, 10, 13, 10]);
const latin1 = new TextDecoder("latin1");
/** A header field name (RFC 9110 §5.6.2 token): no whitespace before the colon (RFC 9112 §5.1). */
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** Optional whitespace around a field value is SP and HTAB only (String.trim would also eat \v, \f, NBSP). */
const OWS = /^[ \t]+|[ \t]+$/g;
/** A Host value: a name, IPv4 or bracketed IPv6, and an optional port; nothing that would change the URL's shape. */
const HOST = /^(?:[A-Za-z0-9._~!$&'()*+,;=-]+|\[[0-9A-Fa-f:.]+\])(?::\d{0,5})?$/;
/** Methods a `Request` cannot carry (Fetch forbids them): 501 rather than a dropped connection. */
const FORBIDDEN_METHODS = new Set(["CONNECT", "TRACE", "TRACK"]);

/**
 * Serves HTTP/1.1 on one accepted connection until it closes: parse a head, hand a `Request` to
 * the handler, write its `Response`, repeat while keep-alive holds. A WebSocket upgrade accepted
 * by the handler takes the connection over. Never throws.
 */
export async function serveHttp1(options: Http1Options): Promise<void> {
  const { conn, activity } = options;
  const reader = new ConnReader(conn);
  reader.onData = () => {
    // Body bytes move the body's progress clock.
    if (activity.bodySince !== undefined) activity.bodySince = Date.now();
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
        await writeAllTracked(conn, refusal(head), activity);
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
  /** The same fields as received, in order: what the handler's `Request` is given (`handlerRequest`). */
  fields: [string, string][];
}

/** A parsed head, a status to refuse with, or undefined at a clean end of stream. */
async function readHead(reader: ConnReader): Promise<Head | number | undefined> {
  let end: number;
  // Each search resumes where the last one stopped (less the 3 bytes a split CRLFCRLF may span),
  // so a head trickled in byte by byte is scanned once, not once per read.
  let scanned = 0;
  for (;;) {
    // Tolerate the blank lines some clients send between requests.
    while (reader.available >= 2 && reader.peek()[0] === 13 && reader.peek()[1] === 10) {
      reader.consume(2);
      scanned = 0;
    }
    end = reader.find(CRLF2, scanned);
    if (end >= 0) break;
    scanned = Math.max(0, reader.available - 3);
    if (reader.available > MAX_HEAD_BYTES) return 431;
    if (!(await reader.fill())) return reader.available > 0 ? 400 : undefined;
  }
  if (end > MAX_HEAD_BYTES) return 431;
  const lines = latin1.decode(reader.peek().subarray(0, end)).split("\r\n");
  reader.consume(end + 4);
  const match = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+) (\S+) HTTP\/1\.([01])$/.exec(lines[0] ?? "");
  if (!match) return 400;
  const headers = new Headers();
  const fields: [string, string][] = [];
  try {
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i]!;
      const colon = line.indexOf(":");
      if (colon <= 0) return 400;
      const name = line.slice(0, colon);
      if (!TOKEN.test(name)) return 400;
      const value = line.slice(colon + 1).replace(OWS, "");
      headers.append(name, value);
      fields.push([name, value]);
    }
  } catch {
    return 400;
  }
  const version = match[3] === "0" ? "1.0" : "1.1";
  // RFC 9112 §3.2: an HTTP/1.1 request without exactly one Host is refused.
  if (version === "1.1" && !headers.has("host")) return 400;
  return { method: match[1]!, target: match[2]!, version, headers, fields };
}

/**
 * The URL of a request target: origin-form (`/path`) is appended to the Host, never resolved
 * against it, so `//evil.example/x` stays a path on this host; absolute-form only for http(s).
 */
function targetUrl(head: Head): URL | undefined {
  const host = head.headers.get("host") ?? "";
  if (host !== "" && !HOST.test(host)) return undefined;
  try {
    if (head.target.startsWith("/")) return new URL(`http://${host || "localhost"}${head.target}`);
    const url = new URL(head.target);
    return url.protocol === "http:" || url.protocol === "https:" ? url : undefined;
  } catch {
    return undefined;
  }
}

type Outcome = "keep" | "close" | "upgraded";

/** The answer when a handler throws. */
function serverError(): Response {
  return new Response("Internal Server Error", {
    status: 500,
    headers: { "content-type": "text/plain; charset=utf-8" },
  });
}

async function serveRequest(options: Http1Options, reader: ConnReader, head: Head): Promise<Outcome> {
  const { conn, activity } = options;
  const body = requestBody(conn, reader, head, activity);
  const method = head.method.toUpperCase();
  if (FORBIDDEN_METHODS.has(method)) {
    await writeAllTracked(conn, refusal(501), activity);
    return "close";
  }
  const url = body === "invalid" ? undefined : targetUrl(head);
  if (body === "invalid" || url === undefined) {
    await writeAllTracked(conn, refusal(400), activity);
    return "close";
  }
  // A malformed WebSocket upgrade is answered here, before any handler (and its pre-auth budget) sees it.
  const upgrading = wantsWebSocket(head.headers);
  const upgradeRefused = upgrading ? handshakeRefusal(head) : undefined;
  const hangUp = new AbortController();
  const hasBody = body.stream !== undefined && method !== "GET" && method !== "HEAD";
  let request: Request | undefined;
  if (!upgrading) {
    try {
      request = handlerRequest(url, head, {
        method: head.method,
        body: hasBody ? body.stream : undefined,
        signal: hangUp.signal,
      });
    } catch {
      await writeAllTracked(conn, refusal(400), activity);
      return "close";
    }
  }
  let finished = false;
  let accepted: UpgradeAccepted | undefined;
  const key = upgrading && !upgradeRefused ? websocketKey(head) : undefined;
  const upgrade: Upgrader = (wsOptions) => {
    if (!key || accepted) throw new TypeError("not a WebSocket upgrade request");
    accepted = { socket: new ServerWebSocket(wsOptions) };
    return accepted;
  };
  // Once the body is read, a pending read doubles as the hang-up watch (pipelined bytes stay buffered).
  void body.done.then(async () => {
    while (!finished && reader.available === 0 && !reader.eof) await reader.fill();
    if (reader.eof && !finished) hangUp.abort();
  });
  let answer: UpgradeAnswer;
  try {
    answer = upgradeRefused ??
      (request ? await options.handlers.http(request, options.remoteAddr) : await options.handlers.upgrade(
        { method: head.method, url: url.href, headers: head.headers },
        options.remoteAddr,
        upgrade,
      ));
  } catch (error) {
    options.onError(error);
    answer = serverError();
  }
  if (accepted && answer === accepted && key) {
    finished = true;
    try {
      await writeAllTracked(conn, await handshakeHead(key), activity);
    } catch (error) {
      // Never attached: without this its close would never fire (and the caller's slot never return).
      accepted.socket.terminate();
      throw error;
    }
    activity.state = "websocket";
    activity.since = Date.now();
    activity.socket = accepted.socket;
    accepted.socket.attach(conn, reader);
    return "upgraded";
  }
  // An upgrade accepted but answered otherwise: the socket will never open; end it so its close fires.
  accepted?.socket.terminate();
  // Only a refusal gets here; an accepted upgrade that is not this request's is a handler's bug.
  const response = answer instanceof Response ? answer : serverError();
  const requested = head.headers.get("connection");
  const keepAlive = head.version === "1.1" ? !hasToken(requested, "close") : hasToken(requested, "keep-alive");
  let wantsClose = !keepAlive || upgradeRefused !== undefined || body.mustClose() ||
    hasToken(response.headers.get("connection"), "close");
  try {
    wantsClose = await writeResponse(
      conn,
      head,
      response,
      wantsClose,
      hangUp.signal,
      activity,
      options.date?.() ?? new Date().toUTCString(),
    );
  } catch (error) {
    hangUp.abort();
    throw error;
  } finally {
    finished = true;
  }
  if (wantsClose || hangUp.signal.aborted) return "close";
  // An unread body must leave the connection before the next head; a large one is not worth it.
  activity.state = "drain";
  activity.since = Date.now();
  return await body.drain() ? "keep" : "close";
}
