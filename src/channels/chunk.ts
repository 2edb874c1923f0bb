import { fenceAfter, fenceMarker } from "./fence.ts";

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

/**
 * Cuts pieces off `text`, which starts inside the code fence `open` (if any), while it is longer
 * than `limit` with that fence reopened: as {@link chunkText} cuts, but a piece cut inside a code
 * block closes it and the next piece reopens it, so each message renders on its own. Returns the
 * pieces, what is left, and the fence open at the start of what is left.
 */
function cutFenced(text: string, open: string | undefined, limit: number) {
  const pieces: string[] = [];
  // Outside a code block leading blank space is no content (chunkText trims it too).
  let rest = open ? text : text.trimStart();
  let fence = open;
  while ((fence ? fence.length + 1 : 0) + rest.length > limit) {
    const prefix = fence ? `${fence}\n` : "";
    let cut = cutPoint(rest, Math.max(1, limit - prefix.length));
    let after = fenceAfter(rest.slice(0, cut), fence);
    if (after) {
      // Room for the closing line as well.
      cut = cutPoint(rest, Math.max(1, limit - prefix.length - fenceMarker(after).length - 1));
      after = fenceAfter(rest.slice(0, cut), fence);
    }
    const body = rest.slice(0, cut).trimEnd();
    if (body.trim()) pieces.push(`${prefix}${body}${after ? `\n${fenceMarker(after)}` : ""}`);
    // Inside a code block only the line break goes: the next line keeps its indentation.
    rest = after ? rest.slice(cut).replace(/^\n/, "") : rest.slice(cut).trimStart();
    fence = after;
  }
  return { pieces, rest, open: fence };
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
 * waiting for its end. `flush` receives pieces in order and never an empty one. In paragraph
 * mode (chats that render Markdown) a blank line inside a code block is no break, and a code
 * block cut by the limit is closed and reopened around the cut.
 */
export function blockStreamer(
  options: { limit: number; breakOn: "line" | "paragraph" },
  flush: (piece: string) => void,
): BlockStreamer {
  const separator = options.breakOn === "line" ? "\n" : "\n\n";
  const fenced = options.breakOn === "paragraph";
  let buffer = "";
  /** The code fence open at the start of `buffer` (a cut inside a code block left it open). */
  let open: string | undefined;
  const emit = (block: string) => {
    if (!fenced) {
      for (const piece of chunkText(block, options.limit)) flush(piece);
      return;
    }
    const cut = cutFenced(block, open, options.limit);
    for (const piece of cut.pieces) flush(piece);
    const last = cut.open ? cut.rest.replace(/^\n+/, "").trimEnd() : cut.rest.trim();
    if (last) flush(cut.open ? `${cut.open}\n${last}` : last);
    open = undefined;
  };
  return {
    push(delta) {
      buffer += delta;
      let from = 0;
      let at = buffer.indexOf(separator);
      while (at >= 0) {
        if (fenced && fenceAfter(buffer.slice(0, at), open) !== undefined) {
          // A blank line inside a code block: the block goes on.
          from = at + separator.length;
        } else {
          emit(buffer.slice(0, at));
          buffer = buffer.slice(at + separator.length);
          from = 0;
        }
        at = buffer.indexOf(separator, from);
      }
      if (fenced) {
        const cut = cutFenced(buffer, open, options.limit);
        for (const piece of cut.pieces) flush(piece);
        buffer = cut.rest;
        open = cut.open;
        return;
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
