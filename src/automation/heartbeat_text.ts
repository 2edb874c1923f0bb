// What a heartbeat answer means, by the reference's rules: `NO_REPLY` (the default prompt's silent
// answer) and a legacy `HEARTBEAT_OK` at the start or end with at most 300 characters besides it are
// acknowledgements, delivered to nobody; anything else is an alert. And when a heartbeat file is
// "effectively empty" (headings, comments, empty checklist stubs only), no turn is worth running.
import { isSilentReply } from "./silent_reply.ts";
import { truncateUtf16Safe } from "../text/utf16_slice.ts";

/** The legacy acknowledgement token. */
export const HEARTBEAT_TOKEN = "HEARTBEAT_OK";
/** The silent answer the default prompt asks for. */
export const SILENT_REPLY_TOKEN = "NO_REPLY";

/** How many characters of an answer the `heartbeat` event's `preview` carries. */
const PREVIEW_CHARS = 200;

/** An answer as the heartbeat reads it: skip it (an acknowledgement), or deliver `text`. */
export interface HeartbeatReply {
  shouldSkip: boolean;
  text: string;
  didStrip: boolean;
}

function stripTokenAtEdges(raw: string): { text: string; didStrip: boolean } {
  let text = raw.trim();
  if (!text.includes(HEARTBEAT_TOKEN)) return { text, didStrip: false };
  // The token may end the answer followed by up to four punctuation marks ("HEARTBEAT_OK.").
  const atEnd = new RegExp(`${HEARTBEAT_TOKEN}[^\\w]{0,4}$`);
  let didStrip = false;
  for (let changed = true; changed;) {
    changed = false;
    const next = text.trim();
    if (next.startsWith(HEARTBEAT_TOKEN)) {
      text = next.slice(HEARTBEAT_TOKEN.length).trimStart();
      didStrip = changed = true;
    } else if (atEnd.test(next)) {
      const index = next.lastIndexOf(HEARTBEAT_TOKEN);
      const before = next.slice(0, index).trimEnd();
      text = before ? `${before}${next.slice(index + HEARTBEAT_TOKEN.length).trimStart()}`.trimEnd() : "";
      didStrip = changed = true;
    }
  }
  return { text: text.replace(/\s+/g, " ").trim(), didStrip };
}

/** Markup around a token (`**HEARTBEAT_OK**`, `<b>…</b>`) does not hide it. */
function stripMarkup(text: string): string {
  return text.replace(/<[^>]*>/g, " ").replace(/&nbsp;/gi, " ").replace(/^[*`~_]+/, "").replace(/[*`~_]+$/, "");
}

/**
 * Reads a heartbeat answer: empty, `NO_REPLY`, or `HEARTBEAT_OK` at an edge with at most
 * `ackMaxChars` left is skipped; a token in the middle is ordinary text.
 */
export function readHeartbeatReply(raw: string, ackMaxChars = 300): HeartbeatReply {
  const trimmed = raw.trim();
  if (!trimmed || isSilentReply(trimmed)) return { shouldSkip: true, text: "", didStrip: false };
  if (!trimmed.includes(HEARTBEAT_TOKEN)) return { shouldSkip: false, text: trimmed, didStrip: false };
  const original = stripTokenAtEdges(trimmed);
  const picked = original.didStrip && original.text ? original : stripTokenAtEdges(stripMarkup(trimmed));
  if (!picked.didStrip) return { shouldSkip: false, text: trimmed, didStrip: false };
  const rest = picked.text.trim();
  if (rest.length <= ackMaxChars) return { shouldSkip: true, text: "", didStrip: true };
  return { shouldSkip: false, text: rest, didStrip: true };
}

/** The event's `preview` of a text (its first 200 UTF-16 units, never half a surrogate pair). */
export function heartbeatPreview(text: string): string | undefined {
  if (!text) return undefined;
  return truncateUtf16Safe(text, PREVIEW_CHARS);
}

/** Drops HTML comments, which may span lines. */
function withoutComments(content: string): string[] {
  let inComment = false;
  return content.split("\n").map((line) => {
    let rest = line;
    while (inComment || rest.trimStart().startsWith("<!--")) {
      const from = inComment ? rest : rest.trimStart();
      const end = from.indexOf("-->");
      if (end === -1) {
        inComment = true;
        return "";
      }
      inComment = false;
      rest = from.slice(end + 3);
    }
    return rest;
  });
}

/**
 * Whether heartbeat instructions hold nothing to act on: only blank lines, comments, Markdown
 * headings, fence markers or empty checklist items.
 */
export function isEffectivelyEmpty(content: string): boolean {
  return withoutComments(content).every((line) => {
    const trimmed = line.trim();
    return !trimmed || /^#+(\s|$)/.test(trimmed) || /^[-*+]\s*(\[[\sXx]?\]\s*)?$/.test(trimmed) ||
      /^```[A-Za-z0-9_-]*$/.test(trimmed);
  });
}
