// The forms of the silent answer (`NO_REPLY`) the reference reads as "say nothing": the bare token
// (repeated, or wrapped in punctuation), the token as a JSON string or an `{"action": "NO_REPLY"}`
// envelope, and the token after a reasoning preamble (`<think>…</think>`, `Thinking:` lines) that
// ends in it or in a plain "I'll stay quiet" sentence. Anything else is an answer to deliver.

const TOKEN = "NO_REPLY";
const EXACT = /^\s*NO_REPLY(?:\s+NO_REPLY)*\s*$/i;
const REASONING_TAG = "(?:(?:antml:|mm:)?(?:think(?:ing)?|thought)|antthinking)";
/** A closed reasoning block at the start of an answer. */
const CLOSED_REASONING = new RegExp(
  `^\\s*<\\s*${REASONING_TAG}\\b[^<>]*>[\\s\\S]*?<\\s*/\\s*${REASONING_TAG}\\s*>\\s*`,
  "i",
);
/** A reasoning block opened and never closed. */
const OPEN_REASONING = new RegExp(`^\\s*<\\s*${REASONING_TAG}\\b[^<>]*>`, "i");
/** A plain-text reasoning heading on its own line. */
const PLAIN_REASONING = /^\s*(?:think(?:ing)?|thought|analysis|reasoning)\s*:?\s*\r?\n/i;
/** A sentence that only says the assistant stays silent. */
const SILENT_INTENT = new RegExp(
  "^\\s*(?:i|i'll|i\\s+will|i'm|i\\s+am|we|we'll|we\\s+will|the\\s+assistant|assistant|the\\s+bot|bot|openclaw)\\s+" +
    "(?:(?:will\\s+)?(?:stay|remain|keep|be)\\s+(?:quiet|silent)|" +
    "(?:do\\s+not|don't|dont|will\\s+not|won't|would\\s+not|should\\s+not)\\s+(?:reply|respond)|" +
    "(?:have|has)\\s+nothing\\s+(?:to|for)\\s+(?:say|add|reply|respond))" +
    "(?:\\s+(?:here|for\\s+now|on\\s+this|in\\s+this\\s+(?:chat|thread|channel|conversation)))?[.!?]*\\s*$",
  "i",
);
/** Words that mark reasoning as an answer for someone, which a trailing token must not silence. */
const ANSWER_CUE =
  /\b(?:answer|here(?:'s|\s+is)|tell\s+them|you\s+(?:should|can|could|need|must)|please|try|use|send|resolved|retry|yes|no,|sure)\b/i;
const PLACEHOLDER = /^\s*(?:(?:internal|private)\s+)?(?:reasoning|thinking|thoughts?|analysis)(?:\s+notes?)?\s*$/i;

function withoutEdgePunctuation(text: string): string {
  return text.replace(/^\p{P}+/u, "").replace(/\p{P}+$/u, "");
}

function isBareToken(text: string): boolean {
  return EXACT.test(text) || EXACT.test(withoutEdgePunctuation(text.trim()));
}

/** The text before a final token, or undefined when it does not end in one. */
function beforeFinalToken(text: string): string | undefined {
  const match = /(?:^|[\s*.])NO_REPLY\s*$/i.exec(text);
  return match ? text.slice(0, match.index).trim() : undefined;
}

/** After a plain or unclosed reasoning preamble: a final token whose last line only says "silent". */
function reasoningEndsSilent(rest: string): boolean {
  if (isBareToken(rest)) return true;
  const before = beforeFinalToken(rest);
  if (before === undefined) return false;
  if (!before || SILENT_INTENT.test(before) || PLACEHOLDER.test(before)) return true;
  const lines = before.split(/\r?\n/).map((line) => line.trim()).filter(Boolean);
  const earlier = lines.slice(0, -1).join("\n");
  return SILENT_INTENT.test(lines.at(-1) ?? "") && earlier !== "" && !ANSWER_CUE.test(earlier);
}

function isJsonSilence(text: string): boolean {
  if (!/^[{"]/.test(text) || !text.includes(TOKEN)) return false;
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === "string") return parsed.trim() === TOKEN;
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return false;
    const entries = Object.entries(parsed);
    return entries.length === 1 && entries[0]![0] === "action" && typeof entries[0]![1] === "string" &&
      entries[0]![1].trim() === TOKEN;
  } catch {
    return false;
  }
}

/** Whether an answer is the silent one in any form the reference accepts. */
export function isSilentReply(text: string): boolean {
  const trimmed = text.trim();
  if (!trimmed) return false;
  if (isBareToken(trimmed) || isJsonSilence(trimmed)) return true;
  let afterClosed = trimmed;
  for (
    let next = afterClosed.replace(CLOSED_REASONING, "");
    next !== afterClosed;
    next = afterClosed.replace(CLOSED_REASONING, "")
  ) {
    afterClosed = next;
  }
  if (afterClosed !== trimmed) {
    if (isBareToken(afterClosed)) return true;
    const before = beforeFinalToken(afterClosed);
    return before !== undefined && (!before || SILENT_INTENT.test(before));
  }
  if (OPEN_REASONING.test(trimmed)) return reasoningEndsSilent(trimmed.replace(OPEN_REASONING, ""));
  if (PLAIN_REASONING.test(trimmed)) return reasoningEndsSilent(trimmed.replace(PLAIN_REASONING, ""));
  return false;
}
