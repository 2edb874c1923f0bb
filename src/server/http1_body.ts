import type { ConnReader } from "./conn_reader.ts";
import { writeAll } from "./http1_write.ts";

const MAX_DRAIN_BYTES = 65_536;
const CRLF = new Uint8Array([13, 10]);
const encoder = new TextEncoder();
const latin1 = new TextDecoder("latin1");

/** A request body as the handler sees it, plus what the connection needs to move past it. */
export interface Body {
  stream: ReadableStream<Uint8Array> | undefined;
  /** Resolves once the body has been read to its end (at once when there is none). */
  done: Promise<void>;
  /** Reads and drops what the handler left unread; false when too much was left. */
  drain(): Promise<boolean>;
}

/**
 * The body a head announces (Content-Length or chunked), read from the connection only as the
 * handler pulls it; "invalid" for framing a request smuggler would use (both headers, or an
 * unknown transfer coding).
 */
export function requestBody(
  conn: Deno.Conn,
  reader: ConnReader,
  head: { headers: Headers; version: "1.0" | "1.1" },
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
  let resolveDone!: () => void;
  const done = new Promise<void>((resolve) => resolveDone = resolve);
  if (remaining === 0) {
    resolveDone();
    return { stream: undefined, done, drain: () => Promise.resolve(true) };
  }
  const expectContinue = head.version === "1.1" && head.headers.get("expect")?.toLowerCase() === "100-continue";
  let continued = !expectContinue;
  const chunked = remaining === "chunked" ? new ChunkedDecoder(reader) : undefined;
  let left = typeof remaining === "number" ? remaining : 0;
  let ended = false;
  const next = async (): Promise<Uint8Array | undefined> => {
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
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const part = await next();
        if (part) return controller.enqueue(part);
        ended = true;
        resolveDone();
        controller.close();
      } catch (error) {
        ended = true;
        resolveDone();
        controller.error(error);
      }
    },
  }, { highWaterMark: 0 });
  return {
    stream,
    done,
    async drain() {
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
      const size = parseInt((await this.#line()).split(";")[0]!.trim(), 16);
      if (!Number.isFinite(size) || size < 0) throw new Error("invalid chunk size");
      if (size === 0) {
        while ((await this.#line()) !== "");
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
