// A loopback WebSocket relay between a real client that is not a browser (the reference TUI) and a
// gateway: every frame passes through unchanged and is written into a FrameLog, so a test sees what
// the client asked for and how the gateway answered.
import type { FrameLog } from "./ws_frame_log.ts";

/** A running relay. */
export interface WsRelay {
  /** `ws://127.0.0.1:<port>`: point the client here instead of at the gateway. */
  url: string;
  stop(): Promise<void>;
}

/**
 * Relays WebSocket connections on a free loopback port to the gateway on `targetPort`. A client frame `hold` picks
 * is logged but not passed on: the gateway never sees it, so the client waits on its answer until the relay stops.
 */
export function startWsRelay(
  targetPort: number,
  log: FrameLog,
  options: { hold?: (text: string) => boolean } = {},
): Promise<WsRelay> {
  let connections = 0;
  const open = new Set<WebSocket>();
  const { promise, resolve } = Promise.withResolvers<number>();
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: (addr) => resolve(addr.port) }, (request) => {
    if (request.headers.get("upgrade")?.toLowerCase() !== "websocket") {
      return new Response("websocket only", { status: 400 });
    }
    const connection = String(++connections);
    const { socket: client, response } = Deno.upgradeWebSocket(request);
    const url = new URL(request.url);
    const upstream = new WebSocket(`ws://127.0.0.1:${targetPort}${url.pathname}${url.search}`);
    open.add(client).add(upstream);
    const queue: string[] = [];
    upstream.onopen = () => queue.splice(0).forEach((text) => upstream.send(text));
    client.onmessage = (event) => {
      const text = String(event.data);
      log.sent(text, connection);
      if (options.hold?.(text)) return;
      if (upstream.readyState === WebSocket.OPEN) upstream.send(text);
      else queue.push(text);
    };
    upstream.onmessage = (event) => {
      const text = String(event.data);
      log.received(text, connection);
      if (client.readyState === WebSocket.OPEN) client.send(text);
    };
    const closeBoth = (code?: number, reason?: string) => {
      log.closed(connection);
      // 1005/1006 cannot be sent on a close frame: pass a normal close instead.
      const sendable = code && code !== 1005 && code !== 1006 ? code : 1000;
      for (const socket of [client, upstream]) {
        if (socket.readyState === WebSocket.OPEN || socket.readyState === WebSocket.CONNECTING) {
          try {
            socket.close(sendable, reason);
          } catch {
            socket.close();
          }
        }
        open.delete(socket);
      }
    };
    client.onclose = (event) => closeBoth(event.code, event.reason);
    upstream.onclose = (event) => closeBoth(event.code, event.reason);
    upstream.onerror = () => closeBoth(1011, "upstream error");
    return response;
  });
  return promise.then((port) => ({
    url: `ws://127.0.0.1:${port}`,
    async stop() {
      for (const socket of open) socket.close();
      await server.shutdown();
    },
  }));
}
