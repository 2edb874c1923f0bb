import { messageOf, stackOf } from "../log/error_text.ts";
import type { Logger } from "../log/logger.ts";
import { answerIdOf, type ErrorShape, isRequestFrame, type RequestFrame, requestFrameProblem } from "./frames.ts";
import { type SharedEventFrame, sharedEventFrame } from "./event_frame.ts";
import type { HubMember } from "./hub.ts";
import type { HandshakeDeadlines, HandshakeWaiter } from "./handshake_deadlines.ts";
import type { ConnectionLimits } from "./limits.ts";
import { CloseCode, type ProtocolSocket } from "./socket.ts";

export { type ConnectionLimits, DEFAULT_LIMITS } from "./limits.ts";
export type { ErrorShape, RequestFrame } from "./frames.ts";

/**
 * What the handshake decided about a `connect` request. `onDelivered` hears whether hello-ok was
 * written to the socket (false also when the client left while `connect` was being decided).
 */
export type HandshakeOutcome =
  | {
    ok: true;
    payload: unknown;
    onAccepted?: (() => void) | undefined;
    onDelivered?: ((delivered: boolean) => void) | undefined;
  }
  | { ok: false; error: ErrorShape; closeCode: number; closeReason: string };

/** The protocol behaviour a connection delegates: handshake and request handling. */
export interface ConnectionHandlers {
  /** Decides a `connect` request; the connection sends the result and opens or closes. */
  connect(connection: Connection, frame: RequestFrame): Promise<HandshakeOutcome>;
  /** Handles a request after `connect`; resolves to the response payload or throws. */
  request(connection: Connection, frame: RequestFrame): Promise<void>;
  /** Called once when the socket is gone, whatever the reason. */
  closed(connection: Connection): void;
}

/** Who a connected client is, as decided by the server at `connect`. */
export interface ConnectionIdentity {
  role: "operator" | "node";
  /** The paired device behind the connection (a node's id), when it presented one. */
  deviceId?: string | undefined;
  /** How the client proved itself; shared-secret sessions end when the secret rotates. */
  method: "none" | "token" | "password" | "device-token" | "bootstrap-token";
  scopes: readonly string[];
  clientId: string;
  clientMode: string;
  /** What the client declared it can do at `connect` (`approvals`, `exec-approvals`, ...). */
  caps?: readonly string[] | undefined;
}

/** Lifecycle of one WebSocket client. */
export type ConnectionState = "awaiting_connect" | "connecting" | "open" | "closed";

/**
 * One WebSocket client: an explicit state machine from the challenge to close. It owns framing,
 * size limits, per-connection event `seq` and the slow-consumer rule; what `connect` and each
 * request mean is decided by the handlers it is given.
 */
export class Connection implements HubMember, HandshakeWaiter {
  readonly connId: string;
  readonly remoteAddr: string;
  readonly nonce: string;
  /** The upgrade's `Origin` header (browsers only), and whether the peer is direct loopback. */
  readonly peer: { origin?: string | undefined; direct: boolean };
  #socket: ProtocolSocket;
  #handlers: ConnectionHandlers;
  #limits: ConnectionLimits;
  #log: Logger;
  #state: ConnectionState = "awaiting_connect";
  #seq = 0;
  #deadlines: HandshakeDeadlines;
  #identity: ConnectionIdentity | undefined;

  constructor(
    socket: ProtocolSocket,
    options: {
      remoteAddr: string;
      handlers: ConnectionHandlers;
      limits: ConnectionLimits;
      log: Logger;
      /** Where the time to send `connect` runs (one per gateway, shared by its connections). */
      deadlines: HandshakeDeadlines;
      peer?: { origin?: string | undefined; direct: boolean } | undefined;
    },
  ) {
    this.connId = crypto.randomUUID();
    this.nonce = crypto.randomUUID();
    this.remoteAddr = options.remoteAddr;
    this.peer = options.peer ?? { direct: false };
    this.#socket = socket;
    this.#handlers = options.handlers;
    this.#limits = options.limits;
    this.#log = options.log;
    this.#deadlines = options.deadlines;
  }

  /** Where the connection is in its lifecycle. */
  get state(): ConnectionState {
    return this.#state;
  }

  /** True once `connect` succeeded. */
  get authenticated(): boolean {
    return this.#state === "open";
  }

  /** Who the client is, once `connect` decided it. */
  get identity(): ConnectionIdentity | undefined {
    return this.#identity;
  }

  /** Scopes granted at `connect` (none before). */
  get scopes(): readonly string[] {
    return this.#identity?.scopes ?? [];
  }

  /** Records the identity `connect` decided; called by the handshake before `hello-ok` is sent. */
  authorize(identity: ConnectionIdentity): void {
    this.#identity = identity;
  }

  /** Socket opened: the server speaks first with `connect.challenge`. */
  opened(): void {
    this.#sendRaw(
      JSON.stringify({ type: "event", event: "connect.challenge", payload: { nonce: this.nonce, ts: Date.now() } }),
    );
    this.#deadlines.add(this, this.#limits.handshakeTimeoutMs);
  }

  /** The time to send `connect` ran out (called by the deadlines): a socket still waiting is closed. */
  handshakeExpired(): void {
    if (this.#state === "awaiting_connect") this.close(CloseCode.normal, "");
  }

  /**
   * A text or binary frame arrived. Never rejects: whatever a handler throws is logged once and
   * the socket is closed with 1011, so the socket wiring can fire and forget.
   */
  async received(data: string | ArrayBuffer | Blob): Promise<void> {
    try {
      await this.#received(data);
    } catch (error) {
      this.#log.error(`frame handling failed on ${this.connId}: ${stackOf(error)}`);
      this.close(CloseCode.internalError, "internal error");
    }
  }

  async #received(data: string | ArrayBuffer | Blob): Promise<void> {
    if (this.#state === "closed") return;
    const text = typeof data === "string" ? data : await new Blob([data]).text();
    const limit = this.#state === "open" ? this.#limits.maxPayload : this.#limits.maxPreAuthPayload;
    // UTF-16 length undercounts bytes; encode only when close to the limit.
    if (text.length * 3 > limit && new TextEncoder().encode(text).length > limit) {
      this.close(CloseCode.tooBig, "");
      return;
    }
    if (this.#state === "awaiting_connect") return await this.#firstFrame(text);
    if (this.#state === "connecting") {
      // The reference queues a few frames while connect is decided; a client that waits for
      // hello-ok (all real ones do) never hits this.
      this.sendResponseError("invalid", { code: "INVALID_REQUEST", message: "connect is still in progress" });
      return;
    }
    await this.#request(text);
  }

  async #firstFrame(text: string): Promise<void> {
    let frame: unknown;
    try {
      frame = JSON.parse(text);
    } catch {
      this.close(CloseCode.normal, "");
      return;
    }
    if (!isRequestFrame(frame)) {
      this.close(CloseCode.policyViolation, "invalid request frame");
      return;
    }
    if (frame.method !== "connect") {
      const message = "invalid handshake: first request must be connect";
      this.sendResponseError(frame.id, { code: "INVALID_REQUEST", message });
      this.close(CloseCode.policyViolation, message);
      return;
    }
    this.#state = "connecting";
    this.#deadlines.remove(this);
    let outcome: HandshakeOutcome;
    try {
      outcome = await this.#handlers.connect(this, frame);
    } catch (error) {
      this.#log.error(`connect failed on ${this.connId}: ${messageOf(error)}`);
      outcome = {
        ok: false,
        error: { code: "UNAVAILABLE", message: "connect failed; retry shortly", retryable: true },
        closeCode: CloseCode.tryAgainLater,
        closeReason: "connect failed",
      };
    }
    if (this.#state !== "connecting") { // closed while deciding
      if (outcome.ok) outcome.onDelivered?.(false);
      return;
    }
    if (!outcome.ok) {
      this.sendResponseError(frame.id, outcome.error);
      this.close(outcome.closeCode, outcome.closeReason);
      return;
    }
    this.#state = "open";
    const delivered = this.sendResponse(frame.id, outcome.payload);
    try {
      outcome.onAccepted?.();
    } finally {
      outcome.onDelivered?.(delivered);
    }
  }

  async #request(text: string): Promise<void> {
    let frame: unknown;
    try {
      frame = JSON.parse(text);
    } catch {
      this.#log.debug(`parse error on ${this.connId}: frame is not JSON`);
      return;
    }
    if (!isRequestFrame(frame)) {
      const message = `invalid request frame: ${requestFrameProblem(frame)}`;
      this.sendResponseError(answerIdOf(frame), { code: "INVALID_REQUEST", message });
      return;
    }
    const request = frame;
    if (request.method === "connect") {
      this.sendResponseError(request.id, {
        code: "INVALID_REQUEST",
        message: "connect is only valid as the first request",
      });
      return;
    }
    try {
      await this.#handlers.request(this, request);
    } catch (error) {
      // The request is answered and the socket stays up: one bad request must not end a session.
      this.#log.error(`${request.method} failed on ${this.connId}: ${stackOf(error)}`);
      this.sendResponseError(request.id, { code: "UNAVAILABLE", message: `${request.method} failed` });
    }
  }

  /** Sends a successful response; false when it could not be written (closed, slow or failed socket). */
  sendResponse(id: string, payload: unknown): boolean {
    return this.#send(payload === undefined ? { type: "res", id, ok: true } : { type: "res", id, ok: true, payload });
  }

  /** Sends an error response; `payload` accompanies the error for two-stage runs that fail. */
  sendResponseError(id: string, error: ErrorShape, payload?: unknown): void {
    this.#send(
      payload === undefined ? { type: "res", id, ok: false, error } : { type: "res", id, ok: false, payload, error },
    );
  }

  /** Sends an event with this connection's next `seq`. */
  sendEvent(event: string, payload: unknown, extra?: { stateVersion?: unknown }): void {
    if (this.#state !== "open") return;
    this.#seq += 1;
    const frame: Record<string, unknown> = { type: "event", event, payload, seq: this.#seq };
    if (extra?.stateVersion !== undefined) frame.stateVersion = extra.stateVersion;
    this.#send(frame);
  }

  /**
   * Sends an event whose payload is already serialized: the frame is spliced around it, from the
   * broadcast's shared frame when given (its bytes are encoded once for every recipient).
   */
  sendEventJson(
    event: string,
    payloadJson: string,
    extra?: { stateVersion?: unknown },
    shared?: SharedEventFrame,
  ): void {
    if (this.#state !== "open") return;
    this.#seq += 1;
    const frame = shared ?? sharedEventFrame(event, payloadJson, extra?.stateVersion);
    if (!this.#writable()) return;
    try {
      if (this.#socket.sendSpliced) this.#socket.sendSpliced(frame.headBytes, this.#seq, frame.tailBytes);
      else this.#socket.send(frame.head + this.#seq + frame.tail);
    } catch (error) {
      this.#log.debug(`send on ${this.connId} failed: ${messageOf(error)}`);
    }
  }

  #send(frame: unknown): boolean {
    return this.#sendRaw(JSON.stringify(frame));
  }

  #sendRaw(text: string): boolean {
    if (!this.#writable()) return false;
    try {
      this.#socket.send(text);
      return true;
    } catch (error) {
      this.#log.debug(`send on ${this.connId} failed: ${messageOf(error)}`);
      return false;
    }
  }

  /** False when closed, or when the client stopped reading (then it is closed as a slow consumer). */
  #writable(): boolean {
    if (this.#state === "closed") return false;
    // A client that stops reading must not make the gateway buffer without bound.
    if (this.#socket.bufferedAmount > this.#limits.maxBufferedBytes) {
      this.close(CloseCode.policyViolation, "slow consumer");
      return false;
    }
    return true;
  }

  /** Closes the socket; idempotent. */
  close(code: number, reason: string): void {
    if (this.#state === "closed") return;
    this.#markClosed();
    try {
      this.#socket.close(code, reason.slice(0, 123));
    } catch {
      // Already closing.
    }
  }

  /** The socket reported close or error. */
  socketClosed(): void {
    if (this.#state === "closed") return;
    this.#markClosed();
  }

  #markClosed(): void {
    this.#state = "closed";
    this.#deadlines.remove(this);
    try {
      this.#handlers.closed(this);
    } catch (error) {
      // Called from the socket's close event, where a throw would be an uncaught exception.
      this.#log.error(`close handling failed on ${this.connId}: ${stackOf(error)}`);
    }
  }
}
