// The one string every redacted config shows in place of a secret. Its own module so the places
// that find secrets (sensitive_url.ts, secret_ref_redaction.ts) and redact.ts, which applies them,
// share it without importing each other in a circle.

/** What `config.get` and `openclaw config get` show in place of a secret; writing it back keeps the stored one. */
export const REDACTED = "__OPENCLAW_REDACTED__";

/** The display markers a secret read refuses as a credential (whole trimmed values), as the reference's readers do. */
const REDACTION_PLACEHOLDERS: ReadonlySet<string> = new Set([REDACTED, "REDACTED", "***", "[redacted]", "[REDACTED]"]);

/** True when `value` is a redaction placeholder someone saved, not a credential. */
export function isRedactionPlaceholder(value: string): boolean {
  return REDACTION_PLACEHOLDERS.has(value.trim());
}
