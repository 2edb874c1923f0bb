// The first WebSocket a gateway serves pays for compiling the code it runs: the request-head parser, the upgrade
// (the SHA-1 accept key), the frame reader and writer, UTF-8 and JSON on the way. V8 compiles each
// function on its first call, and Deno's code cache holds only what ran while the modules loaded, so every start
// pays this again in front of its first client (docs/performance.md, "the first hello-ok, part 3"). The gateway
// serves one scripted connection in memory before it listens: the same serveHttp1 and ServerWebSocket, a private
// handler, no socket, nothing of the gateway's state (no hub, presence, limiter or log) touched.
import { type ConnActivity, serveHttp1 } from "./http1.ts";
import type { ServerWebSocket } from "./websocket.ts";
import { type CancelTimer, webTimeout } from "../async/web_timer.ts";

const encoder = new TextEncoder();

/** A client frame as RFC 6455 wants it on the wire: FIN, the opcode, masked payload (16-bit length when > 125). */
function maskedFrame(opcode: number, payload: Uint8Array): Uint8Array {
  const mask = [0x12, 0x34, 0x56, 0x78];
  const long = payload.length > 125;
  const head = long ? [0x80 | opcode, 0x80 | 126, payload.length >> 8, payload.length & 0xff] : [
    0x80 | opcode,
    0x80 | payload.length,
  ];
  const out = new Uint8Array(head.length + 4 + payload.length);
  out.set(head);
  out.set(mask, head.length);
  for (let i = 0; i < payload.length; i++) out[head.length + 4 + i] = payload[i]! ^ mask[i % 4]!;
  return out;
}

/** What a client sends: the upgrade's head, one `connect`-sized text message, then a close. */
function clientBytes(): Uint8Array[] {
  const head = "GET / HTTP/1.1\r\nHost: 127.0.0.1:18789\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
  const request = JSON.stringify({
    type: "req",
    id: "warm-up",
    method: "connect",
    params: {
      minProtocol: 4,
      maxProtocol: 4,
      client: { id: "gateway-client", version: "warm-up", platform: "linux", mode: "backend" },
      role: "operator",
      scopes: ["operator.read"],
      auth: { token: "warm-up-0123456789abcdef" },
    },
  });
  return [encoder.encode(head), maskedFrame(0x1, encoder.encode(request)), maskedFrame(0x8, new Uint8Array([3, 232]))];
}

/**
 * The part of `Deno.Conn` the HTTP/1.1 server and ServerWebSocket use (read, write, close), in memory: reads hand
 * out `incoming` one chunk at a time, then end of stream; writes are counted and dropped.
 */
class MemoryConn {
  #incoming: Uint8Array[];
  #pending: Uint8Array | undefined;
  #written = 0;

  constructor(incoming: Uint8Array[]) {
    this.#incoming = incoming;
  }

  read(into: Uint8Array): Promise<number | null> {
    const next = this.#pending ?? this.#incoming.shift();
    if (next === undefined) return Promise.resolve(null);
    const n = Math.min(into.length, next.length);
    into.set(next.subarray(0, n));
    this.#pending = n < next.length ? next.subarray(n) : undefined;
    return Promise.resolve(n);
  }

  /** Bytes the server has written so far. */
  get written(): number {
    return this.#written;
  }

  write(bytes: Uint8Array): Promise<number> {
    this.#written += bytes.length;
    return Promise.resolve(bytes.length);
  }

  close(): void {
    this.#incoming = [];
    this.#pending = undefined;
  }
}

/** How long the rehearsal may take before it is cut short (4-13 ms is usual): a warm-up never holds a start. */
const REHEARSAL_BOUND_MS = 1_000;

/**
 * Serves one scripted WebSocket connection in memory (upgrade, a challenge-sized event out, one request in, a
 * response out, the close handshake), so the first real client does not compile that code while it waits.
 * Resolves with the bytes the server wrote; never throws, and never takes longer than `boundMs`: it is awaited before
 * the port is bound, so a warm-up that fails or stalls must cost nothing but its time.
 */
export async function rehearseConnect(boundMs = REHEARSAL_BOUND_MS): Promise<number> {
  let conn: MemoryConn | undefined;
  let socket: ServerWebSocket | undefined;
  let cancelBound: CancelTimer | undefined;
  try {
    const memory = new MemoryConn(clientBytes());
    conn = memory;
    const activity: ConnActivity = { state: "head", since: Date.now(), served: 0 };
    const served = (async () => {
      await serveHttp1({
        // The three methods above are all serveHttp1 and ServerWebSocket call on a connection.
        conn: memory as unknown as Deno.Conn,
        remoteAddr: "127.0.0.1",
        activity,
        onError: () => {},
        handlers: {
          // Never called: the script's one request is an upgrade.
          http: () => {
            throw new Error("the rehearsal sends only an upgrade");
          },
          upgrade: (_request, _remoteAddr, upgrade) => {
            const accepted = upgrade({ maxMessageBytes: () => 512 * 1024, closeTimeoutMs: 1_000 });
            socket = accepted.socket;
            const ws = accepted.socket;
            ws.onopen = () =>
              ws.send(JSON.stringify({ type: "event", event: "connect.challenge", payload: { ts: 0 } }));
            ws.onmessage = (event) => {
              const frame = typeof event.data === "string" ? JSON.parse(event.data) : undefined;
              ws.send(JSON.stringify({ type: "res", id: frame?.id, ok: true, payload: { type: "hello-ok" } }));
            };
            return accepted;
          },
        },
      });
      // A socket that took the connection but whose open failed is never read nor destroyed: the bound ends it.
      await socket?.closed;
    })().catch(() => {});
    // The web platform's timer: Node's would cost the start what the rehearsal saves (async/web_timer.ts).
    await Promise.race([served, new Promise<void>((resolve) => cancelBound = webTimeout(boundMs, resolve))]);
  } catch {
    // Never expected: a warm-up is not worth failing a start for.
  } finally {
    cancelBound?.();
    // Cut short by the bound: end the socket and the scripted input, so nothing of the rehearsal is left waiting.
    socket?.terminate();
    conn?.close();
  }
  return conn?.written ?? 0;
}
