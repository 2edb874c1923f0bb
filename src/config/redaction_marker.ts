// The one string every redacted config shows in place of a secret. Its own module so the places
// that find secrets (sensitive_url.ts, secret_ref_redaction.ts) and redact.ts, which applies them,
// share it without importing each other in a circle.

/** What `config.get` and `openclaw config get` show in place of a secret; writing it back keeps the stored one. */
export const REDACTED = "__OPENCLAW_REDACTED__";
