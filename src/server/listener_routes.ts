import { proxyAttributionRequired } from "../auth/proxy_attribution.ts";
import { channelWebhook } from "../http/channel_webhook.ts";
import type { HttpBindings } from "../http/types.ts";
import type { ConnectionHandlers } from "../protocol/connection.ts";
import type { RequestHandlers, UpgradeRequest } from "./http1.ts";
import type { SocketAdapter } from "./socket_adapter.ts";

/** What the listener's two handlers route to. */
export interface ListenerRoutes {
  /** The client address of a request, or undefined when its proxy headers cannot be believed. */
  attribute(request: { headers: Headers }, socketAddr: string): string | undefined;
  /** True while the gateway accepts new sockets (not starting, not draining). */
  ready(): boolean;
  /** The channel webhook a request is addressed to, if any. */
  webhookFor(request: Request): ((request: Request) => Response | Promise<Response>) | undefined;
  app: { fetch(request: Request, env: HttpBindings): Response | Promise<Response> };
  sockets: Pick<SocketAdapter, "accept">;
  handlers: ConnectionHandlers;
  /** `gateway.controlUi.allowedOrigins` in force. */
  allowedOrigins(): readonly string[];
}

/**
 * Where each request on the port goes: an attributed request to its channel webhook or the HTTP
 * app, an unattributable one to the refusal (liveness excepted); an upgrade to the socket adapter
 * once the gateway is ready and the client is attributed.
 */
export function listenerHandlers(r: ListenerRoutes): RequestHandlers {
  return {
    http: (request, remoteAddr) => {
      const client = r.attribute(request, remoteAddr);
      // Channel webhooks (Telegram) authenticate with their own secret, checked by the channel.
      const webhook = client === undefined ? undefined : r.webhookFor(request);
      if (webhook) return channelWebhook(webhook, request);
      if (client === undefined) {
        // Liveness stays answerable behind any proxy; everything else needs attribution.
        const path = new URL(request.url).pathname;
        if (path === "/healthz" || path === "/health") return r.app.fetch(request, { remoteAddr });
        return proxyAttributionRequired();
      }
      return r.app.fetch(request, { remoteAddr: client });
    },
    upgrade: (request: UpgradeRequest, socketAddr, upgrade) => {
      if (!r.ready()) {
        return new Response("gateway restart in progress", { status: 503, headers: { "retry-after": "1" } });
      }
      const remoteAddr = r.attribute(request, socketAddr);
      if (remoteAddr === undefined) return proxyAttributionRequired();
      return r.sockets.accept({
        request,
        socketAddr,
        remoteAddr,
        upgrade,
        handlers: r.handlers,
        allowedOrigins: r.allowedOrigins(),
      });
    },
  };
}
