import type { ProtocolSocket } from "../protocol/socket.ts";
import type { ConnReader } from "./conn_reader.ts";
import { closeFrame, concat, frame, splicedTextFrame, textFrame, unmask, validCloseCode, view } from "./ws_frames.ts";

/** The close event a {@link ServerWebSocket} reports, once. */
export interface WsCloseEvent {
  code: number;
  reason: string;
}

/** Settings of one server WebSocket. */
export interface WsOptions {
  /** Largest message accepted, read at each frame (it grows once `connect` succeeds). */
  maxMessageBytes(): number;
  /** How long a peer has to answer our close frame before the socket is destroyed. */
  closeTimeoutMs: number;
}

const OPEN = 1;
const CLOSING = 2;
const CLOSED = 3;
const fatalUtf8 = new TextDecoder("utf-8", { fatal: true });
/** Read space of a held socket: clients' frames are small, and each socket keeps this much while it waits. */
const READ_CHUNK = 512;

/**
 * RFC 6455 on a raw connection, server side. Owning the frames is what lets the gateway answer
 * invalid UTF-8 with 1007 and destroy a peer that ignores our close frame (Deno's built-in server
 * WebSocket does neither: it drops the first without a close frame and waits forever on the second).
 * Handlers mirror the WebSocket API the gateway wiring uses.
 */
export class ServerWebSocket implements ProtocolSocket {
  onopen: (() => void) | undefined;
  onmessage: ((event: { data: string | ArrayBuffer }) => void) | undefined;
  onclose: ((event: WsCloseEvent) => void) | undefined;
  onerror: (() => void) | undefined;
  #conn: Deno.Conn | undefined;
  #reader: ConnReader | undefined;
  #options: WsOptions;
  #state = OPEN;
  #buffered = 0;
  #queue: Uint8Array[] = [];
  /** The frames a `conn.write` is writing now, and how much of them is written. */
  #writing: Uint8Array | undefined;
  #written = 0;
  /** Runs once the frames queued so far are written (or the write failed). */
  #afterFlush: (() => void) | undefined;
  #closeTimer: ReturnType<typeof setTimeout> | undefined;
  #closeEvent: WsCloseEvent | undefined;
  #lastInbound = Date.now();
  #pinged = false;
  #resolveClosed!: () => void;
  /** Resolves once the socket is closed, whatever the reason. */
  readonly closed: Promise<void> = new Promise((resolve) => this.#resolveClosed = resolve);

  /**
   * The write settlement handlers, bound once per socket. Bound methods, not arrow class fields:
   * the bundle's kept names wrap each arrow field in a `name` definition that gives every
   * instance's closure its own 256-byte property array.
   */
  #wrote: (count: number) => void;
  #writeFailed: () => void;

  constructor(options: WsOptions) {
    this.#options = options;
    this.#wrote = this.#onWrote.bind(this);
    this.#writeFailed = this.#onWriteFailed.bind(this);
  }

  /** Open, closing or closed, as `WebSocket.readyState` numbers them. */
  get readyState(): number {
    return this.#conn ? this.#state : 0;
  }

  /** Bytes handed to `send` and not yet written to the connection. */
  get bufferedAmount(): number {
    return this.#buffered;
  }

  /** Starts serving frames on the connection the 101 was written to. */
  attach(conn: Deno.Conn, reader: ConnReader): void {
    this.#conn = conn;
    this.#reader = reader;
    reader.shrink(READ_CHUNK);
    // Liveness counts bytes, not whole frames: a large message arriving slowly is still a live peer.
    reader.onData = () => {
      this.#lastInbound = Date.now();
      this.#pinged = false;
    };
    this.onopen?.();
    void this.#readLoop();
  }

  /** Sends a text message. */
  send(data: string): void {
    if (this.#state !== OPEN) return;
    this.#write(textFrame(data));
  }

  /** Sends the text message `head + seq + tail` from its UTF-8 parts (a broadcast's shared frame). */
  sendSpliced(head: Uint8Array, seq: number, tail: Uint8Array): void {
    if (this.#state !== OPEN) return;
    this.#write(splicedTextFrame(head, seq, tail));
  }

  /** Starts the closing handshake; the socket is destroyed if the peer does not answer in time. */
  close(code = 1000, reason = ""): void {
    if (this.#state !== OPEN) return;
    this.#state = CLOSING;
    this.#closeEvent = { code, reason };
    this.#write(closeFrame(code, reason));
    this.#closeTimer = setTimeout(() => this.#destroy(1006, "close handshake timed out"), this.#options.closeTimeoutMs);
  }

  /**
   * Liveness, called by the listener's sweep: a peer silent for `idleMs` gets a ping, and one
   * still silent after another `idleMs` is destroyed (a half-open TCP connection never closes).
   */
  checkAlive(now: number, idleMs: number): void {
    if (this.#state === CLOSED || now - this.#lastInbound < idleMs) return;
    if (!this.#pinged) {
      this.#pinged = true;
      if (this.#state === OPEN) this.#write(frame(0x9, new Uint8Array(0)));
      return;
    }
    if (now - this.#lastInbound >= 2 * idleMs) this.#destroy(1006, "peer stopped answering");
  }

  /** Ends the socket at once (gateway stop after the close budget). */
  terminate(): void {
    this.#destroy(1006, "");
  }

  /**
   * Queues a frame; frames queued while a write is in flight go out together in the next one. No
   * async function per frame: one `conn.write` promise with handlers bound once per socket (with
   * ten thousand clients a tick's generator frames and promises were much of its garbage).
   */
  #write(bytes: Uint8Array): void {
    if (!this.#conn || this.#state === CLOSED) return;
    this.#buffered += bytes.length;
    if (this.#writing) this.#queue.push(bytes);
    else this.#startWrite(bytes);
  }

  #startWrite(bytes: Uint8Array): void {
    this.#writing = bytes;
    this.#written = 0;
    this.#writeFrom(bytes);
  }

  /** One `conn.write`; a synchronous throw (not only a rejection) fails the socket as the old `await` did. */
  #writeFrom(bytes: Uint8Array): void {
    try {
      this.#conn!.write(bytes).then(this.#wrote, this.#writeFailed);
    } catch {
      this.#writeFailed();
    }
  }

  #onWrote(count: number): void {
    const bytes = this.#writing!;
    // Destroyed while the write was in flight (terminate, liveness): nothing more goes out.
    if (this.#state === CLOSED) return this.#writeFailed();
    this.#written += count;
    if (this.#written < bytes.length) {
      this.#writeFrom(bytes.subarray(this.#written));
      return;
    }
    this.#buffered -= bytes.length;
    this.#writing = undefined;
    if (this.#queue.length > 0) {
      const queued = this.#queue;
      this.#queue = [];
      this.#startWrite(queued.length === 1 ? queued[0]! : concat(queued, this.#buffered));
      return;
    }
    this.#flushDone();
  }

  #onWriteFailed(): void {
    this.#queue = [];
    this.#writing = undefined;
    this.#buffered = 0;
    this.#destroy(1006, "");
    this.#flushDone();
  }

  #flushDone(): void {
    const after = this.#afterFlush;
    this.#afterFlush = undefined;
    after?.();
  }

  async #readLoop(): Promise<void> {
    const reader = this.#reader!;
    const fragments: Uint8Array<ArrayBuffer>[] = [];
    let fragmentOpcode = 0;
    let fragmentBytes = 0;
    try {
      for (;;) {
        // A held socket waits here, in the reader's one pending read, without a `readExactly`
        // suspended on top of it (one async function and promise fewer per idle client).
        if (reader.available < 2 && !(await reader.fill())) return this.#destroy(1006, "");
        const header = await reader.readExactly(2);
        if (!header) return this.#destroy(1006, "");
        const fin = (header[0]! & 0x80) !== 0;
        const opcode = header[0]! & 0x0f;
        let length = header[1]! & 0x7f;
        if ((header[0]! & 0x70) !== 0 || (header[1]! & 0x80) === 0) return await this.#fail(1002, "protocol error");
        if (length === 126) length = view(await reader.readExactly(2))?.getUint16(0) ?? -1;
        else if (length === 127) {
          const long = view(await reader.readExactly(8));
          if (!long) return this.#destroy(1006, "");
          // RFC 6455 §5.2: the most significant bit of a 64-bit length must be 0.
          if (long.getUint32(0) >= 0x80000000) return await this.#fail(1002, "protocol error");
          length = long.getUint32(0) * 0x1_0000_0000 + long.getUint32(4);
        }
        if (length < 0) return this.#destroy(1006, "");
        const control = opcode >= 0x8;
        if (control && (length > 125 || !fin)) return await this.#fail(1002, "protocol error");
        if (!control && fragmentBytes + length > this.#options.maxMessageBytes()) {
          // Read past the frame unbuffered, so the peer is not reset mid-send and sees our 1009.
          this.close(1009, "");
          if (!(await reader.skip(4 + length))) return this.#destroy(1006, "");
          fragments.length = 0;
          fragmentOpcode = 0;
          fragmentBytes = 0;
          continue;
        }
        const mask = await reader.readExactly(4);
        const payload = length === 0 ? new Uint8Array(0) : await reader.readExactly(length);
        if (!mask || !payload) return this.#destroy(1006, "");
        unmask(payload, mask);
        if (control) {
          if (opcode === 0x8) return this.#peerClosed(payload);
          if (opcode === 0x9 && this.#state === OPEN) this.#write(frame(0xa, payload));
          else if (opcode !== 0x9 && opcode !== 0xa) return await this.#fail(1002, "protocol error");
          continue;
        }
        if (opcode === 0x0 ? fragmentOpcode === 0 : opcode > 0x2 || fragmentOpcode !== 0) {
          return await this.#fail(1002, "protocol error");
        }
        if (!fin || fragments.length > 0) {
          fragments.push(payload);
          fragmentBytes += payload.length;
          if (opcode !== 0x0) fragmentOpcode = opcode;
          if (!fin) continue;
        }
        const message = fragments.length > 0 ? concat(fragments, fragmentBytes) : payload;
        const kind = fragments.length > 0 ? fragmentOpcode : opcode;
        fragments.length = 0;
        fragmentOpcode = 0;
        fragmentBytes = 0;
        if (this.#state !== OPEN) continue; // closing: frames after our close frame are dropped
        if (kind === 0x1) {
          let text: string;
          try {
            text = fatalUtf8.decode(message);
          } catch {
            // RFC 6455 §8.1: a text message that is not UTF-8 fails the connection with 1007.
            this.close(1007, "invalid UTF-8");
            continue;
          }
          this.onmessage?.({ data: text });
        } else {
          this.onmessage?.({ data: message.buffer });
        }
      }
    } catch {
      this.#destroy(1006, "");
    }
  }

  /**
   * A framing violation: say why with a close frame, then read and drop whatever follows (the
   * frames cannot be trusted) until the peer hangs up or the close timeout destroys the socket.
   * Closing at once would reset a peer still sending, and it would never see the code.
   */
  async #fail(code: number, reason: string): Promise<void> {
    this.close(code, reason);
    while (this.#state !== CLOSED && await this.#reader!.skip(this.#reader!.available || 1));
    this.#destroy(1006, "");
  }

  #peerClosed(payload: Uint8Array): void {
    let code = payload.length >= 2 ? (payload[0]! << 8) | payload[1]! : 1005;
    let reason = "";
    // RFC 6455 §5.5.1, §7.4: a 1-byte body, a code never sent on the wire (1005, 1006, 1015,
    // unassigned ones) or a reason that is not UTF-8 is a protocol error, answered with 1002.
    let valid = payload.length !== 1 && (payload.length === 0 || validCloseCode(code));
    if (valid && payload.length > 2) {
      try {
        reason = fatalUtf8.decode(payload.subarray(2));
      } catch {
        valid = false;
      }
    }
    if (!valid) {
      code = 1002;
      reason = "invalid close frame";
    }
    if (this.#state === OPEN) {
      // Echo the close, as RFC 6455 asks, then end once it is written.
      this.#state = CLOSING;
      this.#write(closeFrame(valid ? (code === 1005 ? 1000 : code) : 1002, ""));
    }
    this.#closeEvent = { code, reason };
    if (this.#writing) this.#afterFlush = () => this.#destroy(code, reason);
    else this.#destroy(code, reason);
  }

  #destroy(code: number, reason: string): void {
    if (this.#state === CLOSED) return;
    this.#state = CLOSED;
    // Only when one was set: reading clearTimeout loads Node's timers, which the start's rehearsal must not.
    if (this.#closeTimer !== undefined) clearTimeout(this.#closeTimer);
    try {
      this.#conn?.close();
    } catch {
      // Already closed.
    }
    const event = code === 1006 ? { code: 1006, reason } : this.#closeEvent ?? { code, reason };
    this.#resolveClosed();
    if (code === 1006 && this.#closeEvent === undefined) this.onerror?.();
    this.onclose?.(event);
  }
}
