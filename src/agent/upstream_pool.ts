// Model requests over kept-alive HTTP/1.1 connections of the gateway's own (docs/decisions/0018):
// Deno's fetch body cost a streamed answer about 10 µs of CPU and of its way for every chunk (a
// 200-chunk answer 2 ms; docs/performance.md, session 34). The request goes out byte for byte as
// fetch would send it; anything this client does not do as fetch does (a proxy, a redirect, a URL
// with credentials, a header fetch would refuse, a connection that cannot be opened) goes through
// fetch instead.
import { AnswerBody, type AnswerHead, HTTP_TOKEN, readAnswerHead, ReadWindow } from "./http1_answer.ts";
import { answerOfResponse, responseOfAnswer, type UpstreamAnswer } from "./upstream_answer.ts";

/** How a request is sent: what `fetch` would be given. */
export interface UpstreamRequest {
  method: "POST";
  /** In the order fetch would send them; names as given (sent lower-cased), values trimmed. */
  headers: Record<string, string>;
  body: string;
  signal: AbortSignal;
}

/** The fetch a request falls back to. */
export type FallbackFetch = (url: string, init: RequestInit) => Promise<Response>;

/** How the pool opens connections; tests lend a TLS connector that trusts their own CA. */
export interface UpstreamPoolOptions {
  connect?: (options: Deno.ConnectOptions) => Promise<Deno.Conn>;
  connectTls?: (options: Deno.ConnectTlsOptions) => Promise<Deno.TlsConn>;
  /** An idle connection older than this (ms) is closed instead of reused: servers' keep-alive is often 5 s. */
  idleMs?: number;
  /** Idle connections kept per origin. */
  maxIdle?: number;
}

interface Target {
  origin: string;
  hostname: string;
  port: number;
  tls: boolean;
  /** The request line and the headers fetch adds after the caller's (`host` last), for one header set. */
  heads: WeakMap<Record<string, string>, Head | null>;
  path: string;
  host: string;
}

/** A request head around its content length, and whether fetch would decode the answer. */
interface Head {
  before: string;
  after: string;
  decodes: boolean;
}

interface Link {
  conn: Deno.Conn;
  window: ReadWindow;
  received: number;
  idleSince: number;
  idle: boolean;
}

// Proxy settings Deno's fetch honours: with any of them set every request goes through fetch.
const PROXY_VARIABLES = ["HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"];
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
// The codings Deno's fetch decodes (it hands deflate and x-gzip bodies over as they came).
const CODINGS: Readonly<Record<string, CompressionFormat>> = { gzip: "gzip", br: "brotli" as CompressionFormat };

/** True when the environment names a proxy, which only fetch knows how to use. */
export function proxyConfigured(env: (name: string) => string | undefined): boolean {
  return PROXY_VARIABLES.some((name) => Boolean(env(name)));
}

// What Deno's fetch sends after the caller's headers when they lack them, in its order.
function defaultHeaders(given: Set<string>): string {
  let text = "";
  if (!given.has("accept")) text += "accept: */*\r\n";
  if (!given.has("accept-language")) text += "accept-language: *\r\n";
  if (!given.has("user-agent")) text += `user-agent: ${globalThis.navigator?.userAgent ?? "Deno"}\r\n`;
  if (!given.has("accept-encoding")) text += "accept-encoding: gzip,br\r\n";
  return text;
}

/** Fetch's failure for a request that got no answer, its cause saying why. */
function fetchFailed(url: string, error: unknown): TypeError {
  const why = error instanceof Error ? error.message : String(error);
  return new TypeError("fetch failed", {
    cause: new Error(`error sending request for url (${url}): ${why}`),
  });
}

/**
 * Kept-alive connections to model providers, by origin. An idle connection keeps one read in
 * flight, unreferenced, so a server's close is seen at once and the process can still exit; the
 * next request's answer arrives in that same read. {@link UpstreamPool.close} on gateway stop.
 */
export class UpstreamPool {
  #targets = new Map<string, Target | null>();
  #idle = new Map<string, Link[]>();
  #closed = false;
  #connect: NonNullable<UpstreamPoolOptions["connect"]>;
  #connectTls: NonNullable<UpstreamPoolOptions["connectTls"]>;
  #idleMs: number;
  #maxIdle: number;
  #encoder = new TextEncoder();

  constructor(options: UpstreamPoolOptions = {}) {
    this.#connect = options.connect ?? ((o) => Deno.connect(o));
    this.#connectTls = options.connectTls ?? ((o) => Deno.connectTls(o));
    this.#idleMs = options.idleMs ?? 4_000;
    this.#maxIdle = options.maxIdle ?? 8;
  }

  /** Idle connections held now (what the tests check). */
  get idleCount(): number {
    let count = 0;
    for (const links of this.#idle.values()) count += links.length;
    return count;
  }

  /** Sends `request` to `url` and returns its answer once the head has come; as fetch would, or through `fallback`. */
  async send(url: string, request: UpstreamRequest, fallback: FallbackFetch): Promise<UpstreamAnswer> {
    const viaFetch = async () => answerOfResponse(await fallback(url, request));
    const target = this.#target(url);
    const head = target && this.#head(target, request.headers);
    if (!target || !head || this.#closed) return viaFetch();
    const { signal } = request;
    if (signal.aborted) throw signal.reason;
    const body = this.#encoder.encode(request.body);
    const bytes = this.#encoder.encode(`${head.before}content-length: ${body.length}\r\n${head.after}`);
    const message = new Uint8Array(bytes.length + body.length);
    message.set(bytes);
    message.set(body, bytes.length);
    let reused = this.#takeIdle(target);
    for (;;) {
      let link = reused;
      if (!link) {
        try {
          link = await this.#open(target, signal);
        } catch {
          if (signal.aborted) throw signal.reason;
          // Fetch opens it again and fails (or not) exactly as it would have: its own error, word for word.
          return viaFetch();
        }
      }
      const conn = link.conn;
      const onAbort = () => void close(conn);
      signal.addEventListener("abort", onAbort, { once: true });
      // Aborted between the connection's coming and here: no event will fire now.
      if (signal.aborted) onAbort();
      let answer: AnswerHead;
      try {
        await writeAll(conn, message);
        answer = await readAnswerHead(link.window, request.method);
      } catch (error) {
        signal.removeEventListener("abort", onAbort);
        close(conn);
        if (signal.aborted) throw signal.reason;
        // A kept connection the server closed as it was taken: once more on a new one, as fetch (and
        // browsers) do. No answer byte came; a server that read the request and then closed may see it twice.
        if (reused && link.received === 0) {
          reused = undefined;
          continue;
        }
        throw fetchFailed(url, error);
      }
      if (REDIRECTS.has(answer.status) && answer.headers.has("location")) {
        signal.removeEventListener("abort", onAbort);
        close(conn);
        return viaFetch();
      }
      const raw = this.#answer(target, link, answer, () => signal.removeEventListener("abort", onAbort), signal);
      // Decoded as fetch decodes: only when it asked for the codings itself (the caller set no accept-encoding).
      const coding = head.decodes
        ? CODINGS[(answer.headers.get("content-encoding") ?? "").trim().toLowerCase()]
        : undefined;
      return coding ? decoded(raw, coding) : raw;
    }
  }

  /** Closes the idle connections; those in use close when their answers end. */
  close(): void {
    this.#closed = true;
    for (const links of this.#idle.values()) for (const link of links) close(link.conn);
    this.#idle.clear();
  }

  #answer(target: Target, link: Link, head: AnswerHead, done: () => void, signal: AbortSignal): UpstreamAnswer {
    const body = new AnswerBody(link.window, head.framing);
    let settled = false;
    const settle = (reuse: boolean) => {
      if (settled) return;
      settled = true;
      done();
      if (reuse) this.#release(target, link);
      else close(link.conn);
    };
    if (head.framing.kind === "none") settle(head.keepAlive && body.ended);
    // Deno's fetch gives these no body whatever was framed (a redirect it could not follow too):
    // what was sent is read past, unseen.
    const empty = head.status === 204 || head.status === 205 || head.status === 304 || REDIRECTS.has(head.status);
    const answer: UpstreamAnswer = {
      status: head.status,
      statusText: head.statusText,
      headers: head.headers,
      empty,
      async read() {
        if (signal.aborted) {
          settle(false);
          throw signal.reason;
        }
        try {
          let bytes = await body.read();
          while (empty && bytes !== null) bytes = await body.read();
          if (bytes === null) settle(head.keepAlive && body.ended);
          return bytes;
        } catch (error) {
          settle(false);
          if (signal.aborted) throw signal.reason;
          throw error instanceof TypeError ? error : new TypeError("error reading a body from connection");
        }
      },
      cancel() {
        settle(false);
        return Promise.resolve();
      },
      response: () => responseOfAnswer(answer),
    };
    return answer;
  }

  #target(url: string): Target | undefined {
    let target = this.#targets.get(url);
    if (target === undefined) {
      target = parseTarget(url);
      // Bounded: a provider's base URLs are few; a config edit adds a handful more.
      if (this.#targets.size >= 64) this.#targets.clear();
      this.#targets.set(url, target);
    }
    return target ?? undefined;
  }

  // The head around the content length for `headers` (made once per header object), or null when a
  // header is one fetch would refuse or send differently.
  #head(target: Target, headers: Record<string, string>): Head | null {
    let head = target.heads.get(headers);
    if (head !== undefined) return head;
    head = buildHead(target, headers);
    target.heads.set(headers, head);
    return head;
  }

  #takeIdle(target: Target): Link | undefined {
    const links = this.#idle.get(target.origin);
    while (links && links.length > 0) {
      const link = links.pop()!;
      if (performance.now() - link.idleSince > this.#idleMs) {
        close(link.conn);
        continue;
      }
      link.idle = false;
      link.received = 0;
      link.conn.ref();
      return link;
    }
    return undefined;
  }

  // Opens a connection; an abort ends the wait at once (the connection, if it comes later, is closed).
  async #open(target: Target, signal: AbortSignal): Promise<Link> {
    let onAbort = () => {};
    const aborted = new Promise<never>((_, reject) => onAbort = () => reject(signal.reason));
    aborted.catch(() => {});
    signal.addEventListener("abort", onAbort, { once: true });
    const opening = target.tls
      ? this.#connectTls({ hostname: target.hostname, port: target.port, alpnProtocols: ["http/1.1"] })
      : this.#connect({ hostname: target.hostname, port: target.port, transport: "tcp" });
    let conn: Deno.Conn | undefined;
    try {
      conn = await Promise.race([opening, aborted]);
      // The handshake too: a server that takes the connection and never answers it is cut by the abort.
      if (target.tls) await Promise.race([(conn as Deno.TlsConn).handshake(), aborted]);
      (conn as Deno.TcpConn).setNoDelay?.(true);
    } catch (error) {
      if (conn) close(conn);
      else opening.then(close, () => {});
      throw error;
    } finally {
      signal.removeEventListener("abort", onAbort);
    }
    // The bytes received on this connection since it was taken: none means the server never answered.
    const link = { conn, received: 0, idleSince: 0, idle: false } as Link;
    link.window = new ReadWindow({
      read: async (into) => {
        const n = await conn.read(into);
        if (n) link.received += n;
        return n;
      },
    });
    return link;
  }

  #release(target: Target, link: Link): void {
    const links = this.#idle.get(target.origin) ?? [];
    if (this.#closed || links.length >= this.#maxIdle) return close(link.conn);
    link.idle = true;
    link.idleSince = performance.now();
    links.push(link);
    this.#idle.set(target.origin, links);
    // Unreferenced, the read in flight does not keep the process alive; it ends when the server
    // closes (or sends what no request asked for), and the connection goes with it.
    link.conn.unref();
    const ended = () => link.idle && this.#drop(target, link);
    link.window.fill().then(ended, ended);
  }

  #drop(target: Target, link: Link): void {
    link.idle = false;
    close(link.conn);
    const links = this.#idle.get(target.origin);
    const at = links?.indexOf(link) ?? -1;
    if (at >= 0) links!.splice(at, 1);
  }
}

function close(conn: Deno.Conn): void {
  try {
    conn.close();
  } catch {
    // Already closed.
  }
}

async function writeAll(conn: Deno.Conn, bytes: Uint8Array): Promise<void> {
  let written = 0;
  while (written < bytes.length) written += await conn.write(bytes.subarray(written));
}

function parseTarget(url: string): Target | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  const tls = parsed.protocol === "https:";
  if ((!tls && parsed.protocol !== "http:") || parsed.username || parsed.password) return null;
  const hostname = parsed.hostname.replace(/^\[(.*)\]$/, "$1");
  return {
    origin: parsed.origin,
    hostname,
    port: parsed.port ? Number(parsed.port) : tls ? 443 : 80,
    tls,
    heads: new WeakMap(),
    path: `${parsed.pathname}${parsed.search}`,
    host: parsed.host,
  };
}

// A value fetch sends as these very bytes: ASCII without NUL, CR or LF.
function plainValue(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code === 0 || code === 10 || code === 13 || code > 127) return false;
  }
  return true;
}

function buildHead(target: Target, headers: Record<string, string>): Head | null {
  const given = new Set<string>();
  let fields = "";
  for (const [name, raw] of Object.entries(headers)) {
    const key = name.toLowerCase();
    const value = raw.replace(/^[\t\n\r ]+|[\t\n\r ]+$/g, "");
    // Fetch refuses these, writes them itself or sends them as other bytes (a value beyond ASCII goes
    // out as Latin-1 or is refused): leave such requests to it.
    if (!HTTP_TOKEN.test(name) || !plainValue(value) || given.has(key)) return null;
    if (key === "host" || key === "content-length" || key === "transfer-encoding" || key === "connection") return null;
    given.add(key);
    fields += `${key}: ${value}\r\n`;
  }
  // A string body's type, which fetch adds after the caller's headers when they lack one.
  if (!given.has("content-type")) fields += "content-type: text/plain;charset=UTF-8\r\n";
  return {
    before: `POST ${target.path} HTTP/1.1\r\n`,
    after: `${fields}${defaultHeaders(given)}host: ${target.host}\r\n\r\n`,
    decodes: !given.has("accept-encoding"),
  };
}

/** The answer with its body decompressed, as fetch decodes it (headers kept as sent). */
function decoded(raw: UpstreamAnswer, format: CompressionFormat): UpstreamAnswer {
  const stream = responseOfAnswer(raw).body;
  if (!stream) return raw;
  const response = new Response(stream.pipeThrough(new DecompressionStream(format)), {
    status: raw.status,
    statusText: raw.statusText,
    headers: raw.headers,
  });
  return answerOfResponse(response);
}
