import type { ResolvedGatewayConfig } from "../config/resolve.ts";
import { createHttpApp } from "../http/app.ts";
import type { GatewayPhase } from "../http/types.ts";
import { getLogger } from "../log/logger.ts";
import { Connection, DEFAULT_LIMITS } from "../protocol/connection.ts";
import { Hub, type ShutdownNotice } from "../protocol/hub.ts";
import { createProtocolHandlers } from "../protocol/handlers.ts";
import { safeEqualSecret } from "../auth/secret_compare.ts";
import { isLoopbackHost } from "../config/resolve.ts";
import { VERSION } from "../version.ts";
import { type BindRetry, listen, type Listener } from "./listener.ts";
import { formatHost } from "./guards.ts";

/** How long stop waits for clients to answer the close frame. */
const CLOSE_HANDSHAKE_MS = 1000;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The secrets in force for this run, after the stored token was loaded or generated. */
export interface EffectiveSecrets {
  token: string | undefined;
  password: string | undefined;
}

/** Everything {@link Gateway.start} needs. */
export interface GatewayStartOptions {
  config: ResolvedGatewayConfig;
  secrets: EffectiveSecrets;
  bindRetry?: BindRetry | undefined;
  /** Bound on waiting for in-flight HTTP requests at stop. */
  drainTimeoutMs?: number | undefined;
}

/**
 * The running gateway: one port carrying the WebSocket control plane and the HTTP surface. It
 * owns the listener, the connection hub and the lifecycle phase that probes report.
 */
export class Gateway {
  #config: ResolvedGatewayConfig;
  #secrets: EffectiveSecrets;
  #phase: GatewayPhase = "starting";
  #startedAt = performance.now();
  #hub: Hub;
  #listener: Listener | undefined;
  /** Sockets still open, resolved when each finishes its close handshake. */
  #openSockets = new Set<Promise<void>>();
  #drainTimeoutMs: number;
  #log = getLogger("gateway");

  private constructor(options: GatewayStartOptions) {
    this.#config = options.config;
    this.#secrets = options.secrets;
    this.#drainTimeoutMs = options.drainTimeoutMs ?? 10_000;
    this.#hub = new Hub(getLogger("gateway/ws"));
  }

  /** Builds the services, binds the port and becomes ready. */
  static async start(options: GatewayStartOptions): Promise<Gateway> {
    const gateway = new Gateway(options);
    await gateway.#start(options.bindRetry);
    return gateway;
  }

  async #start(bindRetry: BindRetry | undefined): Promise<void> {
    const config = this.#config;
    const wsLog = getLogger("gateway/ws");
    const handlers = createProtocolHandlers({
      hub: this.#hub,
      auth: () => ({ mode: config.auth.mode, ...this.#secrets }),
      rateLimit: config.auth.rateLimit,
      uptimeMs: () => this.uptimeMs,
      log: wsLog,
    });
    const app = createHttpApp({
      log: getLogger("gateway/http"),
      probes: {
        phase: () => this.#phase,
        uptimeMs: () => this.uptimeMs,
        version: VERSION,
        detailed: (request, remoteAddr) => this.#detailedProbe(request, remoteAddr),
      },
    });
    this.#listener = await listen({
      addresses: config.listen,
      port: config.port,
      retry: bindRetry,
      log: this.#log,
      handlers: {
        http: (request, remoteAddr) => app.fetch(request, { remoteAddr }),
        upgrade: (request, remoteAddr) => {
          if (this.#phase === "draining") {
            return new Response("gateway restart in progress", { status: 503, headers: { "retry-after": "1" } });
          }
          const { socket, response } = Deno.upgradeWebSocket(request);
          const connection = new Connection(socket, { remoteAddr, handlers, limits: DEFAULT_LIMITS, log: wsLog });
          socket.onopen = () => {
            this.#hub.add(connection);
            connection.opened();
          };
          socket.onmessage = (event) => void connection.received(event.data);
          const closed = new Promise<void>((resolve) => {
            socket.onclose = () => {
              connection.socketClosed();
              resolve();
            };
          });
          this.#openSockets.add(closed);
          void closed.then(() => this.#openSockets.delete(closed));
          socket.onerror = () => connection.socketClosed();
          return response;
        },
      },
    });
    this.#phase = "ready";
  }

  /** Local callers without proxy headers, and callers with a valid bearer secret, see probe details. */
  #detailedProbe(request: Request, remoteAddr: string): boolean {
    const proxied = ["forwarded", "x-forwarded-for", "x-real-ip"].some((h) => request.headers.has(h));
    if (isLoopbackHost(remoteAddr) && !proxied) return true;
    const bearer = /^bearer\s+(.+)$/i.exec(request.headers.get("authorization") ?? "")?.[1]?.trim();
    return safeEqualSecret(bearer, this.#secrets.token) || safeEqualSecret(bearer, this.#secrets.password);
  }

  /** Milliseconds since this gateway started. */
  get uptimeMs(): number {
    return Math.round(performance.now() - this.#startedAt);
  }

  /** The WebSocket URL of the primary listener. */
  get url(): string {
    return `ws://${formatHost(this.#config.host)}:${this.#config.port}`;
  }

  /** Current lifecycle phase. */
  get phase(): GatewayPhase {
    return this.#phase;
  }

  /**
   * Stops in the reference's order: refuse new work, tell every client why (`shutdown`), close
   * them with 1012, let in-flight HTTP requests finish within the drain budget, close the port.
   */
  async stop(notice: ShutdownNotice): Promise<void> {
    if (this.#phase === "draining") return;
    this.#phase = "draining";
    const started = performance.now();
    this.#hub.shutdownAll(notice);
    // Let the 1012 close handshakes finish; shutting the server down first would cut them
    // off and clients would see 1001 instead of the restart code they act on.
    await Promise.race([Promise.all(this.#openSockets), sleep(CLOSE_HANDSHAKE_MS)]);
    await this.#listener?.shutdown(this.#drainTimeoutMs);
    this.#log.info(`shutdown completed cleanly in ${Math.round(performance.now() - started)}ms`);
  }
}
