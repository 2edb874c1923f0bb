import type { ConnReader } from "./conn_reader.ts";
import { writeAll } from "./http1_write.ts";

const MAX_DRAIN_BYTES = 65_536;
const MAX_TRAILER_BYTES = 16_384;
/** A chunk size (RFC 9112 §7.1): hex digits only, optional whitespace before extensions. */
const CHUNK_SIZE = /^([0-9A-Fa-f]{1,13})[ \t]*(?:;.*)?$/;
const CRLF = new Uint8Array([13, 10]);
const encoder = new TextEncoder();
const latin1 = new TextDecoder("latin1");

/** A request body as the handler sees it, plus what the connection needs to move past it. */
export interface Body {
  stream: ReadableStream<Uint8Array> | undefined;
  /** Resolves once the body has been read to its end or failed (at once when there is none). */
  done: Promise<void>;
  /**
   * True when the connection cannot carry another request after this one: the body's framing
   * failed (what follows cannot be trusted), the client still waits for 100-continue, or more
   * is left unread than is worth draining. Known before the response is written, so it says
   * `connection: close`.
   */
  mustClose(): boolean;
  /** Reads and drops what the handler left unread; false when too much was left or it failed. */
  drain(): Promise<boolean>;
}

/** Where the connection tracks a body read waiting for bytes (the listener's progress deadline). */
export interface BodyProgress {
  /** Set while a body read waits; moved forward by every byte that arrives. */
  bodySince?: number | undefined;
}

const NO_BODY: Body = {
  stream: undefined,
  done: Promise.resolve(),
  mustClose: () => false,
  drain: () => Promise.resolve(true),
};

/**
 * The body a head announces (Content-Length or chunked), read from the connection only as the
 * handler pulls it; "invalid" for framing a request smuggler would use (both headers, or an
 * unknown transfer coding).
 */
export function requestBody(
  conn: Deno.Conn,
  reader: ConnReader,
  head: { headers: Headers; version: "1.0" | "1.1" },
  progress: BodyProgress,
): Body | "invalid" {
  const te = head.headers.get("transfer-encoding");
  const cl = head.headers.get("content-length");
  let remaining: number | "chunked" = 0;
  if (te !== null) {
    if (te.toLowerCase() !== "chunked" || cl !== null) return "invalid";
    remaining = "chunked";
  } else if (cl !== null) {
    if (!/^\d{1,15}$/.test(cl)) return "invalid";
    remaining = Number(cl);
  }
  if (remaining === 0) return NO_BODY;
  let resolveDone!: () => void;
  const done = new Promise<void>((resolve) => resolveDone = resolve);
  const expectContinue = head.version === "1.1" && head.headers.get("expect")?.toLowerCase() === "100-continue";
  let continued = !expectContinue;
  const chunked = remaining === "chunked" ? new ChunkedDecoder(reader) : undefined;
  let left = typeof remaining === "number" ? remaining : 0;
  let ended = false;
  // A framing error (bad chunk size, hang-up mid-body) poisons the connection: the bytes after it
  // would otherwise be parsed as the next request (request smuggling).
  let failed = false;
  const read = async (): Promise<Uint8Array | undefined> => {
    if (!continued) {
      continued = true;
      await writeAll(conn, encoder.encode("HTTP/1.1 100 Continue\r\n\r\n"));
    }
    if (chunked) return await chunked.next();
    if (left === 0) return undefined;
    const part = await reader.readSome(left);
    if (!part) throw new Error("connection closed inside the request body");
    left -= part.length;
    return part;
  };
  const next = async (): Promise<Uint8Array | undefined> => {
    if (failed) throw new Error("the request body failed earlier");
    progress.bodySince = Date.now();
    try {
      const part = await read();
      if (!part) {
        ended = true;
        resolveDone();
      }
      return part;
    } catch (error) {
      failed = true;
      ended = true;
      resolveDone();
      throw error;
    } finally {
      progress.bodySince = undefined;
    }
  };
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const part = await next();
        if (part) controller.enqueue(part);
        else controller.close();
      } catch (error) {
        controller.error(error);
      }
    },
  }, { highWaterMark: 0 });
  return {
    stream,
    done,
    mustClose: () => failed || (!ended && (!continued || (!chunked && left > MAX_DRAIN_BYTES))),
    async drain() {
      if (failed) return false;
      if (ended) return true;
      if (!continued) return false; // the client waits for 100-continue: nothing was sent
      let dropped = 0;
      try {
        for (let part = await next(); part; part = await next()) {
          dropped += part.length;
          if (dropped > MAX_DRAIN_BYTES) return false;
        }
      } catch {
        return false;
      }
      return true;
    },
  };
}

/** Decodes `Transfer-Encoding: chunked` from the reader; trailers are read and dropped. */
class ChunkedDecoder {
  #reader: ConnReader;
  #left = 0;
  #done = false;

  constructor(reader: ConnReader) {
    this.#reader = reader;
  }

  async next(): Promise<Uint8Array | undefined> {
    if (this.#done) return undefined;
    if (this.#left === 0) {
      const size = chunkSize(await this.#line());
      if (size === 0) {
        // Trailers are dropped, but counted: an endless trailer section must not hold the connection.
        let trailerBytes = 0;
        for (let line = await this.#line(); line !== ""; line = await this.#line()) {
          trailerBytes += line.length + 2;
          if (trailerBytes > MAX_TRAILER_BYTES) throw new Error("chunked trailers too large");
        }
        this.#done = true;
        return undefined;
      }
      this.#left = size;
    }
    const part = await this.#reader.readSome(this.#left);
    if (!part) throw new Error("connection closed inside a chunk");
    this.#left -= part.length;
    if (this.#left === 0 && (await this.#line()) !== "") throw new Error("chunk not followed by CRLF");
    return part;
  }

  async #line(): Promise<string> {
    for (;;) {
      const at = this.#reader.find(CRLF);
      if (at >= 0) {
        const line = latin1.decode(this.#reader.peek().subarray(0, at));
        this.#reader.consume(at + 2);
        return line;
      }
      if (this.#reader.available > 4096) throw new Error("chunk line too long");
      if (!(await this.#reader.fill())) throw new Error("connection closed inside a chunk header");
    }
  }
}

/** The size a chunk-size line announces; throws for anything but hex digits (`0x5`, `+5`, `5zz`, `0 5`). */
function chunkSize(line: string): number {
  const match = CHUNK_SIZE.exec(line);
  if (!match) throw new Error("invalid chunk size");
  return parseInt(match[1]!, 16);
}
