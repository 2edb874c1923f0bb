// Which chat.send texts are a stop request. The reference answers these with a plain abort (no command run, no
// message or command hook event), before any other chat.send handling: `/stop` and its spoken triggers.
/** The reference's abort trigger phrases (matched whole, lowercased, trailing punctuation dropped). */
const ABORT_TRIGGERS: ReadonlySet<string> = new Set([
  "stop",
  "esc",
  "abort",
  "exit",
  "interrupt",
  "detente",
  "deten",
  "detén",
  "arrete",
  "arrête",
  "停止",
  "停下来",
  "暂停",
  "やめて",
  "止めて",
  "रुको",
  "توقف",
  "стоп",
  "остановись",
  "останови",
  "остановить",
  "прекрати",
  "halt",
  "anhalten",
  "aufhören",
  "hoer auf",
  "stopp",
  "pare",
  "stop openclaw",
  "openclaw stop",
  "stop action",
  "stop current action",
  "stop run",
  "stop current run",
  "stop agent",
  "stop the agent",
  "stop don't do anything",
  "stop dont do anything",
  "stop do not do anything",
  "stop doing anything",
  "do not do that",
  "please stop",
  "stop please",
]);

const TRAILING_ABORT_PUNCTUATION = /[.!?！？…,，。;；:：'"’”)\]}]+$/u;

/** A text lowercased with its quotes, spaces and trailing punctuation evened out, as the trigger list is written. */
function normalizeTriggerText(text: string): string {
  return text.toLowerCase().replace(/[’`]/g, "'").replace(/\s+/g, " ").replace(TRAILING_ABORT_PUNCTUATION, "").trim();
}

/**
 * True when a chat.send text asks to stop: `/stop` (also `/stop:`, `/stop!`, any case, further lines ignored) or a
 * trigger phrase. `/stop@bot` and `/stop now` are not: a Gateway client has no bot name, and `/stop` takes no argument.
 */
export function isChatStopText(text: string): boolean {
  const trimmed = text.trim();
  if (!trimmed) return false;
  // Only the first line of a slash command counts, as the reference's command normalizer reads it.
  const body = trimmed.startsWith("/")
    ? trimmed.split("\n", 1)[0]!.trim().replace(/^(\/[^\s:]+)\s*:\s*$/, "$1")
    : trimmed;
  const normalized = normalizeTriggerText(body);
  return normalized === "/stop" || ABORT_TRIGGERS.has(normalized);
}
