const WS_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

/** The `Sec-WebSocket-Key` of a valid WebSocket upgrade request, or undefined. */
export function websocketKey(request: Request): string | undefined {
  const key = request.headers.get("sec-websocket-key");
  const upgrade = request.headers.get("upgrade")?.toLowerCase();
  const connection = request.headers.get("connection")?.toLowerCase() ?? "";
  if (request.method !== "GET" || upgrade !== "websocket" || !connection.includes("upgrade") || !key) return undefined;
  return key;
}

/** The 101 head that completes the handshake for `key` (RFC 6455 §4.2.2). */
export async function handshakeHead(key: string): Promise<Uint8Array> {
  const digest = await crypto.subtle.digest("SHA-1", new TextEncoder().encode(key + WS_GUID));
  const accept = btoa(String.fromCharCode(...new Uint8Array(digest)));
  return new TextEncoder().encode(
    `HTTP/1.1 101 Switching Protocols\r\nupgrade: websocket\r\nconnection: Upgrade\r\nsec-websocket-accept: ${accept}\r\n\r\n`,
  );
}
