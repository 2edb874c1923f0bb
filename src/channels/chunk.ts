/** Where to cut text longer than `limit`: the last newline, else the last space, else hard. */
function cutPoint(text: string, limit: number): number {
  const window = text.slice(0, limit + 1);
  let cut = window.lastIndexOf("\n");
  if (cut < limit / 2) cut = window.lastIndexOf(" ");
  if (cut < limit / 2) cut = limit;
  // At least one character, so a caller's loop always advances (the config keeps limits >= 16).
  return Math.max(1, cut);
}

/**
 * Splits text into pieces of at most `limit` characters, cutting at a newline, else a space,
 * else hard; pieces are trimmed of the break itself and empty pieces are dropped.
 */
export function chunkText(text: string, limit: number): string[] {
  const chunks: string[] = [];
  let rest = text.trim();
  while (rest.length > limit) {
    const cut = cutPoint(rest, limit);
    chunks.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  if (rest.length > 0) chunks.push(rest);
  return chunks.filter((chunk) => chunk.length > 0);
}

/** A streamed answer cut into messages as it arrives. */
export interface BlockStreamer {
  /** Adds streamed text; complete blocks are flushed at once. */
  push(delta: string): void;
  /** Flushes whatever is left (the end of the answer). */
  end(): void;
}

/**
 * Streams an answer into a chat: each complete block (a line, or a paragraph) is sent as soon as
 * its break arrives, and a block longer than the limit is sent in limit-sized pieces without
 * waiting for its end. `flush` receives pieces in order and never an empty one.
 */
export function blockStreamer(
  options: { limit: number; breakOn: "line" | "paragraph" },
  flush: (piece: string) => void,
): BlockStreamer {
  const separator = options.breakOn === "line" ? "\n" : "\n\n";
  let buffer = "";
  const emit = (block: string) => {
    for (const piece of chunkText(block, options.limit)) flush(piece);
  };
  return {
    push(delta) {
      buffer += delta;
      let at = buffer.indexOf(separator);
      while (at >= 0) {
        emit(buffer.slice(0, at));
        buffer = buffer.slice(at + separator.length);
        at = buffer.indexOf(separator);
      }
      // A block already over the limit cannot get shorter: send its full pieces now.
      while (buffer.length > options.limit) {
        const cut = cutPoint(buffer, options.limit);
        const piece = buffer.slice(0, cut).trim();
        if (piece) flush(piece);
        buffer = buffer.slice(cut).trimStart();
      }
    },
    end() {
      emit(buffer);
      buffer = "";
    },
  };
}
