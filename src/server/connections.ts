import { delay } from "../async/delay.ts";
import { within } from "../async/within.ts";
import type { Logger } from "../log/logger.ts";
import { type ConnActivity, type RequestHandlers, serveHttp1 } from "./http1.ts";
import { messageOf, stackOf } from "../log/error_text.ts";
import { type CancelTimer, webInterval } from "../async/web_timer.ts";

/** Connection-level limits of the listener (docs/security.md, "Connection limits"). */
export interface ConnectionLimits {
  /** Open connections at most; past it the oldest idle one is dropped, or the newcomer refused. */
  maxConnections: number;
  /** Time a connection has to deliver a complete request head. */
  headersTimeoutMs: number;
  /** Time a kept-alive connection may sit idle between requests. */
  keepAliveTimeoutMs: number;
  /** A WebSocket silent this long is pinged, and dropped after twice as long. */
  webSocketIdleMs: number;
  /** A response write the peer takes no byte of for this long closes the connection (default 30 s). */
  sendTimeoutMs?: number | undefined;
}

/** How long a response write may make no progress when `sendTimeoutMs` is not set. */
const DEFAULT_SEND_TIMEOUT_MS = 30_000;

/** How often timeouts are checked: a timed-out socket closes within this much of its deadline. */
const SWEEP_MS = 500;
/** Longest pause of the accept loop after a failed accept (EMFILE backs off up to this). */
const MAX_ACCEPT_BACKOFF_MS = 1000;
/** A repeated accept failure is logged at most this often. */
const ACCEPT_LOG_EVERY_MS = 10_000;
/**
 * File descriptors kept free below the point where accept ran out of them, for log and state
 * files and upstream sockets. Deno cannot read the open-file limit without --allow-all, so the
 * first EMFILE is how the registry learns where the wall is.
 */
const FD_HEADROOM = 64;

/** True for the accept failures that mean "out of file descriptors" (EMFILE, ENFILE). */
function outOfFiles(error: unknown): boolean {
  return /os error 2[34]\b|EMFILE|ENFILE|Too many open files/.test(messageOf(error));
}

/** Out of descriptors or memory (ENOMEM, ENOBUFS): the failures shedding connections and pausing help. */
function outOfResources(error: unknown): boolean {
  return outOfFiles(error) ||
    /os error (?:12|105)\b|ENOMEM|ENOBUFS|Cannot allocate memory|No buffer space/.test(
      messageOf(error),
    );
}

/**
 * A client that reset or aborted while its connection sat in the accept queue (Deno reports
 * ENOTCONN as NotConnected): that one connection is gone, the listener is fine.
 */
function peerGone(error: unknown): boolean {
  return error instanceof Deno.errors.NotConnected || error instanceof Deno.errors.ConnectionReset ||
    error instanceof Deno.errors.ConnectionAborted ||
    /os error (?:103|104|107)\b|ENOTCONN|ECONNRESET|ECONNABORTED/.test(messageOf(error));
}

interface Tracked {
  conn: Deno.Conn;
  activity: ConnActivity;
}

/**
 * Every accepted connection of the gateway, with the rules that keep one client from exhausting
 * the process: a cap on open connections (the oldest idle one makes room), a deadline for each
 * request head and each keep-alive pause, liveness pings on WebSockets, and an accept loop that
 * survives EMFILE by shedding idle connections and backing off instead of dying.
 */
export class ConnectionRegistry {
  #limits: ConnectionLimits;
  #log: Logger;
  #handlers: RequestHandlers;
  #open = new Set<Tracked>();
  #served = new Set<Promise<void>>();
  #listeners: Deno.TcpListener[] = [];
  #stopSweep: CancelTimer;
  #closing = false;
  #lastAcceptLog = 0;
  #refused = 0;
  /** The connection cap in force: `maxConnections`, lowered below the fd limit once EMFILE was seen. */
  #ceiling: number;
  /** The `date` header, formatted once per second rather than per response. */
  #dateSecond = 0;
  #dateText = "";

  constructor(options: {
    limits: ConnectionLimits;
    log: Logger;
    handlers: RequestHandlers;
  }) {
    this.#limits = options.limits;
    this.#log = options.log;
    this.#handlers = options.handlers;
    this.#ceiling = options.limits.maxConnections;
    // On the web platform's timer: made before the port accepts, where Node's would cost the start (web_timer.ts).
    this.#stopSweep = webInterval(SWEEP_MS, () => this.#checkTimeouts());
  }

  /** Connections open now. */
  get size(): number {
    return this.#open.size;
  }

  /** Accepts on `listener` until shutdown. */
  serve(listener: Deno.TcpListener): void {
    this.#listeners.push(listener);
    void this.#acceptLoop(listener);
  }

  async #acceptLoop(listener: Deno.TcpListener): Promise<void> {
    let backoff = 10;
    let lastFailure = 0;
    for (;;) {
      let conn: Deno.TcpConn;
      try {
        conn = await listener.accept();
      } catch (error) {
        if (this.#closing || error instanceof Deno.errors.BadResource || error instanceof Deno.errors.Interrupted) {
          return;
        }
        // A peer that reset while queued costs nothing: no pause, nobody evicted, no log.
        if (peerGone(error)) continue;
        // A failure long after the last one starts a fresh backoff.
        const now = Date.now();
        if (now - lastFailure > 2 * MAX_ACCEPT_BACKOFF_MS) backoff = 10;
        lastFailure = now;
        // Out of descriptors: stay clear of the wall from now on, if our own connections are what
        // filled it (with few open, the EMFILE came from elsewhere and says nothing about the cap).
        // Learned once: closed sockets free their descriptors a moment late, so a second EMFILE
        // during the same flood would ratchet the cap down for nothing.
        if (
          outOfFiles(error) && this.#ceiling === this.#limits.maxConnections &&
          this.#open.size >= FD_HEADROOM + 16
        ) {
          this.#ceiling = this.#open.size - FD_HEADROOM;
        }
        // Out of descriptors or memory: make room and pause; the kernel queues clients meanwhile.
        // Anything else: pause only.
        const shed = outOfResources(error) && this.#evictIdle();
        this.#logAcceptFailure(error, shed);
        await delay(backoff);
        backoff = Math.min(backoff * 2, MAX_ACCEPT_BACKOFF_MS);
        continue;
      }
      if (this.#closing) {
        conn.close();
        return;
      }
      // Past the cap the longest-idle connection makes room, so a new client is served even
      // while a flood holds the rest; with none idle, the newcomer is turned away.
      while (this.#open.size >= this.#ceiling && this.#evictIdle());
      if (this.#open.size >= this.#ceiling) {
        this.#refused += 1;
        this.#logAcceptFailure(new Error(`${this.#open.size} connections open, none idle`), false);
        conn.close();
        continue;
      }
      this.#track(conn);
    }
  }

  #track(conn: Deno.TcpConn): void {
    try {
      conn.setNoDelay(true);
    } catch {
      // Already reset by the peer.
    }
    const tracked: Tracked = { conn, activity: { state: "head", since: Date.now(), served: 0 } };
    this.#open.add(tracked);
    const addr = conn.remoteAddr;
    const served = serveHttp1({
      conn,
      remoteAddr: addr.hostname,
      activity: tracked.activity,
      handlers: this.#handlers,
      onError: (error) => this.#log.error(`request handler failed: ${stackOf(error)}`),
      date: () => this.#date(),
    }).then(() => this.#untrackWhenClosed(tracked));
    this.#served.add(served);
    void served.finally(() => this.#served.delete(served));
  }

  /**
   * After serveHttp1 returns, an upgraded connection stays tracked until its socket closes. A
   * reaction on `closed`, not an async function suspended per held socket (ten thousand of them).
   */
  #untrackWhenClosed(tracked: Tracked): Promise<void> | undefined {
    const socket = tracked.activity.socket;
    if (socket && socket.readyState !== 3) return socket.closed.then(() => void this.#open.delete(tracked));
    this.#open.delete(tracked);
    return undefined;
  }

  #date(): string {
    const now = Date.now();
    const second = now - (now % 1000);
    if (second !== this.#dateSecond) {
      this.#dateSecond = second;
      this.#dateText = new Date(second).toUTCString();
    }
    return this.#dateText;
  }

  /** Closes the connection idle the longest (waiting for a head, or draining a body nobody wanted); false when none is. */
  #evictIdle(): boolean {
    let oldest: Tracked | undefined;
    for (const tracked of this.#open) {
      const { state, since } = tracked.activity;
      if (state !== "idle" && state !== "head" && state !== "drain") continue;
      if (!oldest || since < oldest.activity.since) oldest = tracked;
    }
    if (!oldest) return false;
    this.#drop(oldest);
    return true;
  }

  #drop(tracked: Tracked): void {
    this.#open.delete(tracked);
    try {
      tracked.conn.close();
    } catch {
      // Already closed.
    }
  }

  #checkTimeouts(): void {
    const now = Date.now();
    const { headersTimeoutMs, keepAliveTimeoutMs, webSocketIdleMs } = this.#limits;
    const sendTimeoutMs = this.#limits.sendTimeoutMs ?? DEFAULT_SEND_TIMEOUT_MS;
    for (const tracked of this.#open) {
      const { state, since, socket, bodySince, writeSince } = tracked.activity;
      if (state === "head" && now - since > headersTimeoutMs) this.#drop(tracked);
      else if ((state === "idle" || state === "drain") && now - since > keepAliveTimeoutMs) this.#drop(tracked);
      else if (state === "websocket") socket?.checkAlive(now, webSocketIdleMs);
      // A request in progress: its body must keep arriving, and its response keep being taken.
      else if (bodySince !== undefined && now - bodySince > headersTimeoutMs) this.#drop(tracked);
      else if (writeSince !== undefined && now - writeSince > sendTimeoutMs) this.#drop(tracked);
    }
  }

  #logAcceptFailure(error: unknown, shed: boolean): void {
    const now = Date.now();
    if (now - this.#lastAcceptLog < ACCEPT_LOG_EVERY_MS) return;
    this.#lastAcceptLog = now;
    const refused = this.#refused > 0 ? `; ${this.#refused} connection(s) refused so far` : "";
    this.#log.warn(
      `not accepting connections for a moment: ${messageOf(error)} (${this.#open.size} open, at most ${this.#ceiling}${
        shed ? ", closed the longest-idle one" : ""
      }${refused}); raise the open-file limit (LimitNOFILE) or lower gateway.limits.maxConnections`,
    );
  }

  /**
   * Stops accepting, closes idle connections, lets requests in flight finish within `timeoutMs`,
   * then closes whatever is left.
   */
  async shutdown(timeoutMs: number): Promise<void> {
    this.#closing = true;
    this.#stopSweep();
    for (const listener of this.#listeners) {
      try {
        listener.close();
      } catch {
        // Already closed.
      }
    }
    for (const tracked of this.#open) {
      tracked.activity.closeWhenIdle = true;
      const { state } = tracked.activity;
      if (state === "idle" || state === "head" || state === "drain") this.#drop(tracked);
    }
    await within(Promise.all([...this.#served]), timeoutMs);
    for (const tracked of this.#open) {
      tracked.activity.socket?.terminate();
      this.#drop(tracked);
    }
  }
}
