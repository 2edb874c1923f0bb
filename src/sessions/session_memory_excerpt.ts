// The ended session's recent conversation as the reference captures it for the session-memory hook and for the
// `previousSessionMemory` of `/new` and `/reset` command events: user/assistant text (tool messages, slash commands
// and silent NO_REPLY answers left out), each line `role: "json-quoted text"`.
import type { TranscriptMessage } from "./transcript.ts";

/** How many recent messages the excerpt keeps unless `hooks.internal.entries.session-memory.messages` says. */
export const DEFAULT_MEMORY_MESSAGES = 15;

const DIRECTIVE_PREFIX = String.raw`(?:(?:\|DSML\|)|(?:\uFF5CDSML\uFF5C))?`;
const DIRECTIVE_KIND = String.raw`(?:tool_calls?|function_calls?|tool_use_error)`;
const DROP_BLOCK = new RegExp(
  String.raw`<${DIRECTIVE_PREFIX}${DIRECTIVE_KIND}\b[^>]*>[\s\S]*?(?:<\/${DIRECTIVE_PREFIX}${DIRECTIVE_KIND}>|$)`,
  "gi",
);
const ROLE_BLOCK = /<(system|assistant|user)\b[^>]*>[\s\S]*?<\/\1>/gi;
const ROLE_TAG = /<\/?(?:system|assistant|user)\b[^>]*>/gi;
const TRAILING_NO_REPLY = /(?:^|\n)\s*NO_REPLY\s*$/i;
const LINE_SEPARATORS = /[\u0085\u2028\u2029]/gu;

function isNoReply(text: string): boolean {
  const trimmed = text.trim();
  return /^NO_REPLY$/i.test(trimmed) || /^\{\s*"action"\s*:\s*"NO_REPLY"\s*\}$/i.test(trimmed);
}

/** A message's text as the excerpt keeps it: directive blocks and role tags removed, or null when nothing is left. */
export function memoryText(text: string): string | null {
  if (isNoReply(text)) return null;
  return text.replace(DROP_BLOCK, "").replace(ROLE_BLOCK, "").replace(ROLE_TAG, "").replace(TRAILING_NO_REPLY, "")
    .trim() || null;
}

/** JSON quoting, with the separators JSON allows raw but a Markdown reader breaks lines on escaped. */
function quote(text: string): string {
  return JSON.stringify(text).replace(LINE_SEPARATORS, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** Who a kept line came from, as the reference classes it: the owner's turn (`agent`) or anyone else's. */
export type MemoryOriginClass = "agent" | "untrusted";

/**
 * The excerpt, the last `limit` kept messages as `role: "text"` lines, and its origin: `untrusted` when any kept line
 * belongs to a turn the owner did not start (a channel sender's), else `agent`; null when none is kept.
 */
export function memoryProjection(
  messages: readonly TranscriptMessage[],
  limit: number,
): { content: string; originClass: MemoryOriginClass } | null {
  const count = Number.isFinite(limit) ? Math.max(0, Math.floor(limit)) : 0;
  if (count === 0) return null;
  const lines: { line: string; origin: MemoryOriginClass }[] = [];
  // A turn's origin is its user message's sender; before any, the reference assumes someone else.
  let ownerTurn = false;
  for (const message of messages) {
    if (message.role !== "user" && message.role !== "assistant") continue;
    if (message.role === "user") ownerTurn = message.senderIsOwner === true;
    // The reference reads a message's first text block only.
    const first = message.content.find((part) => part.type === "text");
    const text = first?.type === "text" ? memoryText(first.text) : null;
    if (!text || text.startsWith("/")) continue;
    lines.push({ line: `${message.role}: ${quote(text)}`, origin: ownerTurn ? "agent" : "untrusted" });
  }
  const kept = lines.slice(-count);
  if (kept.length === 0) return null;
  return {
    content: kept.map((l) => l.line).join("\n"),
    originClass: kept.some((l) => l.origin === "untrusted") ? "untrusted" : "agent",
  };
}

/** The excerpt: the last `limit` kept messages as `role: "text"` lines, or null when none is kept. */
export function memoryExcerpt(messages: readonly TranscriptMessage[], limit: number): string | null {
  return memoryProjection(messages, limit)?.content ?? null;
}
