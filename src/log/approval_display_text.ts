// Text of an exec approval shown to a person (chat prompt, `exec.approval.get`, `openclaw approvals
// pending`): the reference's sanitizeExecApprovalDisplayText rules. Invisible and control characters
// (ESC, CR, bidi overrides, zero-width marks) are shown as `\u{…}` escapes so a command cannot hide
// or disguise itself, credentials are masked, and the text is bounded.
import { redactionPatterns, redactText } from "./redact.ts";

const INVISIBLE =
  /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}\u00A0\u1680\u2000-\u200A\u202F\u205F\u3000\u115F\u1160\u3164\uFFA0]/gu;
const MAX_INPUT = 262_144;
const MAX_OUTPUT = 16_384;
const TRUNCATION_MARKER = "…[truncated]";
/** The reference's text for a command too large to show at all. */
export const OVERSIZED_COMMAND_MARKER = "[exec approval command exceeds display size limit; full text suppressed]";
/** Key names whose values are credentials in text shown to operators. */
export const CREDENTIAL_KEYS = ["token", "password", "passwd", "secret", "apiKey", "api_key", "apikey", "accessKey"];

function escapeInvisibles(text: string): string {
  return text.replace(INVISIBLE, (ch) => `\\u{${ch.codePointAt(0)!.toString(16).toUpperCase()}}`);
}

/** A command as an approval shows it: invisibles escaped, secrets masked, at most 16 KiB. */
export function sanitizeApprovalDisplayText(command: string): string {
  if (command.length > MAX_INPUT) return OVERSIZED_COMMAND_MARKER;
  const patterns = redactionPatterns({ secrets: [], credentialKeys: CREDENTIAL_KEYS });
  let redacted = redactText(command, patterns);
  // A zero-width character inside a token can slip it past the patterns: when the text without
  // invisibles reveals a secret, show that text masked (the reference's bypass rule).
  const stripped = command.replace(INVISIBLE, "");
  if (stripped !== command) {
    const strippedRedacted = redactText(stripped, patterns);
    if (strippedRedacted !== stripped && redacted.replace(INVISIBLE, "") !== strippedRedacted) {
      redacted = strippedRedacted;
    }
  }
  const shown = escapeInvisibles(redacted);
  if (shown.length <= MAX_OUTPUT) return shown;
  // Never split a surrogate pair.
  const cut = /[\uD800-\uDBFF]/.test(shown[MAX_OUTPUT - 1]!) ? MAX_OUTPUT - 1 : MAX_OUTPUT;
  return shown.slice(0, cut) + TRUNCATION_MARKER;
}

/** A Markdown code fence longer than any backtick run in `text`, so the text cannot close it. */
export function codeFenceFor(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  return "`".repeat(Math.max(3, longest + 1));
}
