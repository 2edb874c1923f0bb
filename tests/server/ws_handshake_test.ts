import assert from "node:assert/strict";
import { getLogger } from "../../src/log/logger.ts";
import { ConnectionRegistry } from "../../src/server/connections.ts";
import { type ConnActivity, serveHttp1, type UpgradeAccepted, type UpgradeAnswer } from "../../src/server/http1.ts";
import type { ServerWebSocket } from "../../src/server/websocket.ts";
import { rawResponseHead } from "../support/raw_socket.ts";

const encoder = new TextEncoder();
const KEY = "dGhlIHNhbXBsZSBub25jZQ==";

const upgradeRequest = (lines: string[], requestLine = "GET / HTTP/1.1") =>
  `${requestLine}\r\nHost: x\r\n${lines.join("\r\n")}\r\n\r\n`;
const VALID = ["Upgrade: websocket", "Connection: Upgrade", `Sec-WebSocket-Key: ${KEY}`, "Sec-WebSocket-Version: 13"];

Deno.test("WebSocket handshake: malformed upgrades get 400 or 426 before any handler runs", async () => {
  let handled = 0;
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const registry = new ConnectionRegistry({
    limits: { maxConnections: 16, headersTimeoutMs: 5000, keepAliveTimeoutMs: 5000, webSocketIdleMs: 60_000 },
    log: getLogger("test"),
    handlers: {
      http: () => {
        handled += 1;
        return new Response("not an upgrade", { status: 400 });
      },
      upgrade: (_request, _remoteAddr, upgrade) => {
        handled += 1;
        const accepted = upgrade({ maxMessageBytes: () => 1024, closeTimeoutMs: 300 });
        accepted.socket.onopen = () => accepted.socket.close(1000, "");
        return accepted;
      },
    },
  });
  registry.serve(listener);
  const port = listener.addr.port;
  try {
    const without = (name: string) => VALID.filter((line) => !line.startsWith(name));
    const refused: Array<[string, RegExp]> = [
      [upgradeRequest(without("Sec-WebSocket-Key")), /^HTTP\/1\.1 400 /],
      [upgradeRequest([...without("Sec-WebSocket-Key"), "Sec-WebSocket-Key: x"]), /^HTTP\/1\.1 400 /],
      [
        upgradeRequest([...without("Sec-WebSocket-Key"), "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ"]),
        /^HTTP\/1\.1 400 /,
      ],
      [upgradeRequest(without("Connection")), /^HTTP\/1\.1 400 /],
      [upgradeRequest([...without("Connection"), "Connection: notupgrade"]), /^HTTP\/1\.1 400 /],
      [upgradeRequest([...VALID, "Content-Length: 0"], "POST / HTTP/1.1"), /^HTTP\/1\.1 400 /],
      [upgradeRequest(VALID, "GET / HTTP/1.0"), /^HTTP\/1\.1 400 /],
      [upgradeRequest(without("Sec-WebSocket-Version")), /^HTTP\/1\.1 426 [\s\S]*sec-websocket-version: 13\r\n/],
      [
        upgradeRequest([...without("Sec-WebSocket-Version"), "Sec-WebSocket-Version: 8"]),
        /^HTTP\/1\.1 426 [\s\S]*sec-websocket-version: 13\r\n/,
      ],
    ];
    for (const [request, expected] of refused) assert.match(await rawResponseHead(port, request), expected, request);
    assert.equal(handled, 0, "no handler saw a malformed upgrade (so none took a pre-auth slot)");
    // Connection is a token list: a browser's "keep-alive, Upgrade" is a valid upgrade.
    const ok = await rawResponseHead(
      port,
      upgradeRequest([...without("Connection"), "Connection: keep-alive, Upgrade"]),
    );
    assert.match(ok, /^HTTP\/1\.1 101 /);
    assert.equal(handled, 1);
  } finally {
    await registry.shutdown(500);
  }
});

/** A fake connection that delivers `request` and fails every write (the peer reset before our 101). */
function resettingConn(request: Uint8Array): Deno.Conn {
  let sent = false;
  return {
    read: (buffer: Uint8Array) => {
      if (sent) return new Promise<null>(() => {});
      sent = true;
      buffer.set(request);
      return Promise.resolve(request.length);
    },
    write: () => Promise.reject(new Deno.errors.ConnectionReset("Connection reset by peer (os error 104)")),
    close: () => {},
  } as unknown as Deno.Conn;
}

/** A fake connection that delivers `request` and takes every write. */
function acceptingConn(request: Uint8Array): Deno.Conn {
  let sent = false;
  return {
    read: (buffer: Uint8Array) => {
      if (sent) return Promise.resolve(null);
      sent = true;
      buffer.set(request);
      return Promise.resolve(request.length);
    },
    write: (bytes: Uint8Array) => Promise.resolve(bytes.length),
    close: () => {},
  } as unknown as Deno.Conn;
}

/** Serves one upgrade on `conn`; the handler accepts it and returns `respond(what accepting it returned)`. */
async function acceptedSocket(
  conn: Deno.Conn,
  respond: (accepted: UpgradeAccepted) => UpgradeAnswer,
): Promise<{ socket: ServerWebSocket; closes: number }> {
  const result = { socket: undefined as unknown as ServerWebSocket, closes: 0 };
  const activity: ConnActivity = { state: "head", since: Date.now(), served: 0 };
  await serveHttp1({
    conn,
    remoteAddr: "127.0.0.1",
    activity,
    onError: () => {},
    date: () => "Thu, 01 Jan 1970 00:00:00 GMT",
    handlers: {
      http: () => new Response("upgrade only", { status: 426 }),
      upgrade: (_request, _remoteAddr, upgrade) => {
        const accepted = upgrade({ maxMessageBytes: () => 1024, closeTimeoutMs: 100 });
        result.socket = accepted.socket;
        accepted.socket.onclose = () => result.closes += 1; // where the gateway gives back its pre-auth slot
        return respond(accepted);
      },
    },
  });
  return result;
}

Deno.test("WebSocket handshake: an accepted socket that never opens still closes (101 write failed, or not returned)", async () => {
  const request = encoder.encode(upgradeRequest(VALID));
  for (
    const [conn, respond] of [
      [resettingConn(request), (accepted: UpgradeAccepted) => accepted],
      [acceptingConn(request), () => new Response("changed my mind", { status: 403 })],
    ] as const
  ) {
    const { socket, closes } = await acceptedSocket(conn, respond);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const settled = await Promise.race([
      socket.closed.then(() => "closed"),
      new Promise<string>((resolve) => timer = setTimeout(() => resolve("never"), 2000)),
    ]);
    clearTimeout(timer);
    assert.equal(settled, "closed");
    assert.equal(closes, 1);
  }
});
