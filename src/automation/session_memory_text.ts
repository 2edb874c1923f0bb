// The session-memory hook's artifact, as the reference's bundled handler writes it: the ended session's
// recent user/assistant text (tool messages, slash commands and silent NO_REPLY answers left out), each
// line `role: "json-quoted text"`, under a header naming the session and why it ended.
import type { TranscriptMessage } from "../sessions/transcript.ts";

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

/** The excerpt: the last `limit` kept messages as `role: "text"` lines, or null when none is kept. */
export function memoryExcerpt(messages: readonly TranscriptMessage[], limit: number): string | null {
  const count = Number.isFinite(limit) ? Math.max(0, Math.floor(limit)) : 0;
  if (count === 0) return null;
  const lines: string[] = [];
  for (const message of messages) {
    if (message.role !== "user" && message.role !== "assistant") continue;
    // The reference reads a message's first text block only.
    const first = message.content.find((part) => part.type === "text");
    const text = first?.type === "text" ? memoryText(first.text) : null;
    if (!text || text.startsWith("/")) continue;
    lines.push(`${message.role}: ${quote(text)}`);
  }
  const kept = lines.slice(-count);
  return kept.length > 0 ? kept.join("\n") : null;
}

/** Date, time and the `HHMM` filename slug of a moment in a time zone. */
export function localStamp(at: Date, timeZone: string): { date: string; time: string; slug: string } {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    hourCycle: "h23",
  }).formatToParts(at);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? "00";
  return {
    date: `${part("year")}-${part("month")}-${part("day")}`,
    time: `${part("hour")}:${part("minute")}:${part("second")}`,
    slug: `${part("hour")}${part("minute")}`,
  };
}

/** The time zone dates are written in: the configured one when valid, else `TZ`, else the host's. */
export function memoryTimeZone(configured: string | undefined): string {
  const wanted = configured?.trim();
  if (wanted) {
    try {
      // The name is written as configured (not canonicalised), as the reference does.
      new Intl.DateTimeFormat("en-US", { timeZone: wanted });
      return wanted;
    } catch {
      // An unknown zone falls back to the host's.
    }
  }
  return Intl.DateTimeFormat().resolvedOptions().timeZone?.trim() || "UTC";
}

/** What the artifact records. */
export interface MemoryArtifact {
  date: string;
  time: string;
  timeZone: string;
  sessionKey: string;
  sessionId: string | undefined;
  /** `Source` for a command (`/new`, `/reset`), `Reason` for an automatic reset. */
  boundary: { source: string } | { reason: string };
  excerpt: { content: string | null } | { unavailable: string };
}

/** The Markdown file's text. */
export function memoryMarkdown(artifact: MemoryArtifact): string {
  const boundary = "source" in artifact.boundary
    ? `- **Source**: ${artifact.boundary.source}`
    : `- **Reason**: ${artifact.boundary.reason}`;
  const parts = [
    `# Session: ${artifact.date} ${artifact.time} ${artifact.timeZone}`,
    "",
    `- **Session Key**: ${artifact.sessionKey}`,
    `- **Session ID**: ${artifact.sessionId ?? "unknown"}`,
    boundary,
    "",
  ];
  if ("unavailable" in artifact.excerpt) {
    parts.push(
      "## Conversation Summary",
      "",
      `> Transcript content was unavailable: ${JSON.stringify(artifact.excerpt.unavailable)}`,
      "",
    );
  } else if (artifact.excerpt.content) {
    parts.push("## Conversation Summary", "", artifact.excerpt.content, "");
  }
  return parts.join("\n");
}
