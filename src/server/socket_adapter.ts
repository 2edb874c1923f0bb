import { within } from "../async/within.ts";
import { originAllowed } from "../auth/origin_check.ts";
import { directLoopback } from "../auth/proxy_attribution.ts";
import type { Logger } from "../log/logger.ts";
import { Connection, type ConnectionHandlers, type ConnectionLimits } from "../protocol/connection.ts";
import { HandshakeDeadlines } from "../protocol/handshake_deadlines.ts";
import type { Hub } from "../protocol/hub.ts";
import { CloseCode } from "../protocol/socket.ts";
import type { UpgradeAnswer, Upgrader, UpgradeRequest } from "./http1.ts";
import { PreAuthBudget } from "./preauth_budget.ts";
import type { ServerWebSocket } from "./websocket.ts";

/** How long stop waits for clients to answer the close frame. */
const CLOSE_HANDSHAKE_MS = 1000;

/** What every socket the adapter accepts shares. */
export interface SocketAdapterOptions {
  /** Where an opened connection joins the broadcast. */
  hub: Hub;
  limits: ConnectionLimits;
  /** Caps on sockets that have not finished `connect`, in total and per client address. */
  preAuth: { total: number; perAddress: number };
  /** How long a peer has to answer our close frame. */
  closeTimeoutMs: number;
  log: Logger;
}

/** One admitted upgrade: the request, who sent it, and the server's hook that accepts it. */
export interface SocketUpgrade {
  request: UpgradeRequest;
  /** The TCP peer. */
  socketAddr: string;
  /** The client, after proxy attribution. */
  remoteAddr: string;
  upgrade: Upgrader;
  handlers: ConnectionHandlers;
  /** `gateway.controlUi.allowedOrigins` in force. */
  allowedOrigins: readonly string[];
}

/**
 * The only code between the server's WebSocket upgrade and a protocol {@link Connection}: it
 * checks the browser `Origin`, takes a pre-auth slot, accepts the upgrade, wires the socket's
 * events to the connection (catching whatever the connection throws, so a failure closes that
 * socket with 1011 and never reaches the server) and keeps the open sockets for a clean stop.
 */
export class SocketAdapter {
  #options: SocketAdapterOptions;
  #preAuth: PreAuthBudget;
  /** Each pre-auth socket's slot, given back once `connect` succeeds or the socket closes. */
  #preAuthRelease = new WeakMap<Connection, () => void>();
  /** Sockets still open; shutdown waits on each one's `closed`. */
  #open = new Set<ServerWebSocket>();
  /** The time each socket has to send `connect`, on one timer for all of them. */
  #deadlines = new HandshakeDeadlines();

  constructor(options: SocketAdapterOptions) {
    this.#options = options;
    this.#preAuth = new PreAuthBudget(options.preAuth);
  }

  /** Gives back a connection's pre-auth slot; called once its `connect` succeeded. */
  authenticated(connection: Connection): void {
    this.#preAuthRelease.get(connection)?.();
  }

  /** How many sockets are open and have not finished `connect` yet. */
  get handshaking(): number {
    return this.#preAuth.total;
  }

  /** Accepts an upgrade as a protocol connection, or answers why not (403 origin, 503 full). */
  accept(input: SocketUpgrade): UpgradeAnswer {
    const { request, remoteAddr } = input;
    const { hub, limits, log } = this.#options;
    const origin = request.headers.get("origin");
    if (!originAllowed({ origin, host: request.headers.get("host"), allowedOrigins: input.allowedOrigins })) {
      log.warn(
        `refused WebSocket from origin ${origin} (not this gateway's and not in gateway.controlUi.allowedOrigins)`,
      );
      return new Response(
        "origin not allowed (open the Control UI from the gateway host or allow it in gateway.controlUi.allowedOrigins)",
        { status: 403, headers: { "content-type": "text/plain; charset=utf-8" } },
      );
    }
    // Sockets that never send `connect` are capped, per address and in total, before any is accepted.
    const release = this.#preAuth.acquire(remoteAddr);
    if (!release) {
      return new Response("Too many unauthenticated sockets", {
        status: 503,
        headers: { "content-type": "text/plain; charset=utf-8", "retry-after": "5" },
      });
    }
    let accepted: ReturnType<Upgrader>;
    try {
      accepted = input.upgrade({
        // Read per frame, once the socket is open: the limit grows when `connect` succeeds. A
        // method, not an arrow property: the bundle's kept names would give each socket's arrow
        // its own 256-byte property array for its `name`.
        maxMessageBytes() {
          return connection.authenticated ? limits.maxPayload : limits.maxPreAuthPayload;
        },
        closeTimeoutMs: this.#options.closeTimeoutMs,
      });
    } catch (error) {
      // The HTTP layer refuses malformed handshakes before this runs; whatever else fails
      // here must not keep the slot.
      release();
      throw error;
    }
    const { socket } = accepted;
    const peer = { origin: origin ?? undefined, direct: directLoopback(request.headers, input.socketAddr) };
    const connection = new Connection(socket, {
      remoteAddr,
      handlers: input.handlers,
      limits,
      log,
      peer,
      deadlines: this.#deadlines,
    });
    this.#preAuthRelease.set(connection, release);
    socket.onopen = () =>
      this.#guard(connection, "open", () => {
        hub.add(connection);
        connection.opened();
      });
    // received() never rejects: a failing handler is answered or the socket closed with 1011.
    socket.onmessage = (event) => void connection.received(event.data);
    // The socket's own `closed` is what shutdown waits on: no second promise, executor and
    // reaction per held socket.
    this.#open.add(socket);
    socket.onclose = () => {
      release();
      this.#guard(connection, "close", () => connection.socketClosed());
      this.#open.delete(socket);
    };
    socket.onerror = () => this.#guard(connection, "error", () => connection.socketClosed());
    return accepted;
  }

  /** Waits until every open socket has finished its close handshake, at most `timeoutMs` (1 s). */
  async closed(timeoutMs: number = CLOSE_HANDSHAKE_MS): Promise<void> {
    await within(Promise.all([...this.#open].map((socket) => socket.closed)), timeoutMs);
  }

  /** Runs a socket event's handling; a throw is logged and closes that socket with 1011. */
  #guard(connection: Connection, event: string, handle: () => void): void {
    try {
      handle();
    } catch (error) {
      this.#options.log.error(
        `socket ${event} handling failed on ${connection.connId}: ${
          error instanceof Error ? error.stack : String(error)
        }`,
      );
      if (event === "open") connection.close(CloseCode.internalError, "internal error");
    }
  }
}
