/** Free space each read offers, and the size a connection starts with: most frames and heads are far smaller. */
const CHUNK = 4096;

/**
 * Buffered reads from a connection, shared by the HTTP/1.1 parser and the WebSocket framer that
 * takes the connection over after a 101 (bytes already read stay in the buffer for it).
 */
export class ConnReader {
  #conn: Deno.Conn;
  /** Free space each read offers (see {@link shrink}). */
  #chunk = CHUNK;
  #buffer = new Uint8Array(CHUNK);
  #start = 0;
  #end = 0;
  #eof = false;
  #pending: Promise<boolean> | undefined;
  /** Called with the number of bytes each read brought in (activity tracking). */
  onData: ((bytes: number) => void) | undefined;

  constructor(conn: Deno.Conn) {
    this.#conn = conn;
  }

  /** Bytes buffered and not yet consumed. */
  get available(): number {
    return this.#end - this.#start;
  }

  /** True once the peer ended its side. */
  get eof(): boolean {
    return this.#eof;
  }

  /** The buffered bytes, without consuming them. */
  peek(): Uint8Array {
    return this.#buffer.subarray(this.#start, this.#end);
  }

  /**
   * Where `needle` starts in the buffered bytes, or -1, looking no earlier than `from` (callers
   * that wait for a delimiter resume where the last search ended instead of rescanning the head).
   * Native `indexOf` finds candidates for the first byte.
   */
  find(needle: Uint8Array, from = 0): number {
    const haystack = this.peek();
    const first = needle[0]!;
    const last = haystack.length - needle.length;
    for (let i = haystack.indexOf(first, from); i >= 0 && i <= last; i = haystack.indexOf(first, i + 1)) {
      let j = 1;
      while (j < needle.length && haystack[i + j] === needle[j]) j++;
      if (j === needle.length) return i;
    }
    return -1;
  }

  /** Marks `count` buffered bytes consumed. */
  consume(count: number): void {
    this.#start += count;
    if (this.#start !== this.#end) return;
    this.#start = this.#end = 0;
    // A large message grew the buffer; an idle connection must not keep holding it.
    if (this.#buffer.length > 4 * this.#chunk && !this.#pending) this.#buffer = new Uint8Array(this.#chunk);
  }

  /**
   * Offers `chunk` bytes of free space per read from now on, and takes a buffer that small when
   * nothing is buffered. A held WebSocket waits in a read most of its life, and that read's buffer
   * is memory each connection keeps (4 KiB of about 10 per idle client); reads grow it as before.
   */
  shrink(chunk: number): void {
    this.#chunk = chunk;
    if (this.#start === this.#end && !this.#pending && this.#buffer.length > chunk) {
      this.#buffer = new Uint8Array(chunk);
    }
  }

  /**
   * Reads more from the connection into the buffer; false at end of stream. Concurrent callers
   * share one read, so a hang-up watch and a body read never race for bytes.
   */
  fill(): Promise<boolean> {
    return this.#fill(this.#chunk);
  }

  /** {@link fill}, offering at least `space` bytes of free space if this call starts the read. */
  #fill(space: number): Promise<boolean> {
    this.#pending ??= this.#read(space);
    return this.#pending;
  }

  /**
   * One read; it clears `#pending` itself once the read is done (no `.finally` per read: a held
   * socket waits in a read all its life, and each one kept a derived promise and three closures).
   */
  async #read(space: number): Promise<boolean> {
    // At end of stream this returns before `#fill` stores its promise, which then stays settled
    // to false: the same answer every later read would give.
    if (this.#eof) return false;
    if (this.#buffer.length - this.#end < space) {
      const live = this.#end - this.#start;
      const size = live + space > this.#buffer.length
        ? Math.max(this.#buffer.length * 2, live + space)
        : this.#buffer.length;
      const next = size === this.#buffer.length ? this.#buffer : new Uint8Array(size);
      next.set(this.#buffer.subarray(this.#start, this.#end), 0);
      this.#buffer = next;
      this.#start = 0;
      this.#end = live;
    }
    let n: number | null;
    try {
      n = await this.#conn.read(this.#buffer.subarray(this.#end));
    } catch {
      n = null;
    }
    this.#pending = undefined;
    if (n === null) {
      this.#eof = true;
      return false;
    }
    this.#end += n;
    this.onData?.(n);
    return true;
  }

  /**
   * Exactly `count` bytes (copied out), or undefined if the stream ends first. Each read offers
   * room for what is still missing, up to 16 KiB (more only as bytes arrive, so a length a peer
   * claims costs nothing until it sends): a shrunk reader took 4-6 reads for a 3-12 KB message.
   */
  async readExactly(count: number): Promise<Uint8Array<ArrayBuffer> | undefined> {
    while (this.available < count) {
      const space = Math.max(this.#chunk, Math.min(count - this.available, 4 * CHUNK));
      if (!(await this.#fill(space))) return undefined;
    }
    const out = this.#buffer.slice(this.#start, this.#start + count);
    this.consume(count);
    return out;
  }

  /**
   * Reads and drops `count` bytes; false if the stream ends first. A long skip reads 4 KiB at a
   * time even on a shrunk reader (512-byte reads made dropping an oversized frame ~4× slower), and
   * the buffer is only given back once the skip is done, not after each read.
   */
  async skip(count: number): Promise<boolean> {
    while (count > 0) {
      // #read compacts the drained buffer itself, so it is not handed back (or reallocated) per read.
      if (this.available === 0 && !(await this.#fill(Math.max(this.#chunk, Math.min(count, CHUNK))))) return false;
      const n = Math.min(count, this.available);
      this.#start += n;
      count -= n;
    }
    this.consume(0);
    return true;
  }

  /** Up to `max` buffered bytes (reading once if none are buffered); undefined at end of stream. */
  async readSome(max: number): Promise<Uint8Array | undefined> {
    if (this.available === 0 && !(await this.fill())) return undefined;
    const count = Math.min(max, this.available);
    const out = this.#buffer.slice(this.#start, this.#start + count);
    this.consume(count);
    return out;
  }
}
