const WS_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
/** Base64 of exactly 16 bytes (RFC 6455 §4.2.1, item 5). */
const KEY = /^[A-Za-z0-9+/]{21}[AQgw]==$/;

/** True when a comma-separated header value lists `token` (case-insensitive), e.g. `Connection: keep-alive, Upgrade`. */
export function hasToken(value: string | null, token: string): boolean {
  if (value === null) return false;
  const lower = value.toLowerCase();
  if (lower === token) return true;
  for (const part of lower.split(",")) if (part.trim() === token) return true;
  return false;
}

/** True when the request asks to become a WebSocket (`Upgrade: websocket`), valid or not. */
export function wantsWebSocket(headers: Headers): boolean {
  return hasToken(headers.get("upgrade"), "websocket");
}

/**
 * Why a WebSocket upgrade request cannot be accepted, as the response to give it (400, or 426
 * naming the one version spoken), or undefined for a valid one. Checked by the HTTP layer before
 * any handler runs, so a malformed upgrade never takes a pre-auth slot.
 */
export function handshakeRefusal(
  head: { method: string; version: "1.0" | "1.1"; headers: Headers },
): Response | undefined {
  const { headers } = head;
  const bad = (why: string) =>
    new Response(`Bad WebSocket upgrade: ${why}`, {
      status: 400,
      headers: { "content-type": "text/plain; charset=utf-8", connection: "close" },
    });
  if (head.method !== "GET" || head.version !== "1.1") return bad("use GET over HTTP/1.1");
  if (!hasToken(headers.get("connection"), "upgrade")) return bad("Connection must include Upgrade");
  if (headers.get("sec-websocket-version")?.trim() !== "13") {
    return new Response("Unsupported WebSocket version: use 13", {
      status: 426,
      headers: {
        "content-type": "text/plain; charset=utf-8",
        "sec-websocket-version": "13",
        connection: "close",
      },
    });
  }
  if (!KEY.test(headers.get("sec-websocket-key")?.trim() ?? "")) {
    return bad("Sec-WebSocket-Key must be 16 bytes in base64");
  }
  return undefined;
}

/** The `Sec-WebSocket-Key` of a WebSocket upgrade request (validated by {@link handshakeRefusal}), or undefined. */
export function websocketKey(request: { method: string; headers: Headers }): string | undefined {
  if (request.method !== "GET" || !wantsWebSocket(request.headers)) return undefined;
  return request.headers.get("sec-websocket-key")?.trim() || undefined;
}

/** The 101 head that completes the handshake for `key` (RFC 6455 §4.2.2). */
export async function handshakeHead(key: string): Promise<Uint8Array> {
  const digest = await crypto.subtle.digest("SHA-1", new TextEncoder().encode(key + WS_GUID));
  const accept = btoa(String.fromCharCode(...new Uint8Array(digest)));
  return new TextEncoder().encode(
    `HTTP/1.1 101 Switching Protocols\r\nupgrade: websocket\r\nconnection: Upgrade\r\nsec-websocket-accept: ${accept}\r\n\r\n`,
  );
}
