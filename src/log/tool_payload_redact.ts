// A tool's arguments and results as operators' clients see them in `agent` events: credentials
// masked (the model and the transcript keep the real values) and image bytes dropped, as the
// reference sanitizes tool payloads before emitting them.
import { CREDENTIAL_KEYS } from "./approval_display_text.ts";
import { maskSecret, redactionPatterns, redactText } from "./redact.ts";

const PATTERNS = redactionPatterns({ secrets: [], credentialKeys: CREDENTIAL_KEYS });
const SENSITIVE_KEY = new RegExp(`(?:${CREDENTIAL_KEYS.join("|")})$`, "i");

/** Every string inside `value` redacted; a string under a credential-named key masked whole. */
export function redactToolPayload(value: unknown, key?: string): unknown {
  if (typeof value === "string") {
    return key !== undefined && SENSITIVE_KEY.test(key) ? maskSecret(value) : redactText(value, PATTERNS);
  }
  if (Array.isArray(value)) return value.map((item) => redactToolPayload(item));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactToolPayload(v, k)]));
  }
  return value;
}

/** A tool result's content for events: text redacted, an image's base64 replaced by its size. */
export function redactToolContent(content: readonly unknown[]): unknown[] {
  return content.map((item) => {
    const entry = item as Record<string, unknown> | null;
    if (entry?.type !== "image" || typeof entry.data !== "string") return redactToolPayload(item);
    const { data, ...rest } = entry;
    const padding = data.endsWith("==") ? 2 : data.endsWith("=") ? 1 : 0;
    return { ...rest, bytes: Math.floor(data.length * 3 / 4) - padding, omitted: true };
  });
}
