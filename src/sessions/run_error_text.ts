// The session entry's `lastRunError`: why the last run failed or timed out, as the reference's
// `resolveSessionRunError` words it for the row (its Control UI shows it on the run's error after a
// reload and in the sessions list): the error's text on one line, secrets masked, at most 160 characters
// (a longer one keeps its first 51 and last 104 around ` ... `). A killed or finished run has none.
import { redactTokens } from "./secret_text_redaction.ts";

const MAX_CHARS = 160;
const HEAD_CHARS = Math.floor(155 / 3);
const TAIL_CHARS = 104;

/** `text` cut to its first `n` UTF-16 units, never halving a surrogate pair. */
function head(text: string, n: number): string {
  const cut = text.slice(0, n);
  return /[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut;
}

/** `text` cut to its last `n` UTF-16 units, never halving a surrogate pair. */
function tail(text: string, n: number): string {
  const cut = text.slice(-n);
  return /^[\uDC00-\uDFFF]/.test(cut) ? cut.slice(1) : cut;
}

/** The `lastRunError` of a run that ended with `status` and `error`; undefined unless it failed or timed out. */
export function sessionRunError(error: string | undefined, status: string): string | undefined {
  if ((status !== "failed" && status !== "timeout") || !error?.trim()) return undefined;
  const text = redactTokens(error.replace(/\s+/g, " ").trim());
  if (text.length <= MAX_CHARS) return text || undefined;
  return `${head(text, HEAD_CHARS).trimEnd()} ... ${tail(text, TAIL_CHARS).trimStart()}`;
}
