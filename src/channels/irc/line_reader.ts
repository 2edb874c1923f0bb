import { type IrcLine, parseLine } from "./protocol.ts";

/** Lines a hostile server could make us buffer without a newline. */
const MAX_LINE_CHARS = 16_384;

/** What the reader tells its connection, and asks it. */
export interface LineReaderEvents {
  /** Bytes arrived (the idle timer restarts). */
  received(): void;
  /** Whether we closed the socket ourselves (stop, or a failure already recorded): a read error then is no new error. */
  closedByUs(): boolean;
}

/**
 * The IRC lines a connection carries, parsed, until the server closes it. Throws when the server
 * sends an over-long line, or when a read fails on a socket we did not close.
 */
export async function* readIrcLines(conn: Deno.Conn, events: LineReaderEvents): AsyncGenerator<IrcLine> {
  const decoder = new TextDecoder();
  let buffer = "";
  const chunk = new Uint8Array(16_384);
  while (true) {
    let n: number | null;
    try {
      n = await conn.read(chunk);
    } catch (error) {
      if (events.closedByUs()) return;
      throw error;
    }
    if (n === null) return;
    events.received();
    buffer += decoder.decode(chunk.subarray(0, n), { stream: true });
    let newline = buffer.indexOf("\n");
    while (newline >= 0) {
      const line = parseLine(buffer.slice(0, newline));
      buffer = buffer.slice(newline + 1);
      if (line) yield line;
      newline = buffer.indexOf("\n");
    }
    if (buffer.length > MAX_LINE_CHARS) throw new Error("the server sent an over-long line");
  }
}
