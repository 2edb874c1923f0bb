// What a trajectory bundle hides before it is written, in the reference's order: local paths (the
// workspace as `$WORKSPACE_DIR`, the state dir as `$OPENCLAW_STATE_DIR`, the home as `~`), the diagnostic
// projection (trajectory_projection.ts), then secret-named fields and secrets in text masked
// (secret_text_redaction.ts), object keys treated like values, and each file's text swept once more.
// docs/compatibility.md names what of the reference's redaction it leaves out.
import { isAbsolute, resolve } from "node:path";
import { maskToken } from "./secret_mask.ts";
import { isShellReferenceToKey, redactTokens } from "./secret_text_redaction.ts";
import { sanitizeDiagnosticPayload } from "./trajectory_projection.ts";

/** The places a bundle must not reveal. */
export interface RedactionPlaces {
  workspaceDir: string;
  stateDir: string;
  home: string | undefined;
}

const MAX_SUPPORT_STRING = 2000;
const SECRET_FIELD = new RegExp(
  "^(?:api[-_]?key|apiKey|api[-_]?token|apiToken|bearer[-_]?token|bearerToken|token|secret|password|passwd|" +
    "aws[-_]?secret[-_]?access[-_]?key|awsSecretAccessKey|SecretAccessKey|credential|authorization|private[-_]?key|" +
    "privateKey|access[-_]?token|accessToken|refresh[-_]?token|refreshToken|id[-_]?token|idToken|auth[-_]?token|" +
    "authToken|client[-_]?secret|clientSecret|app[-_]?secret|appSecret|secret[-_]?value|secretValue|raw[-_]?secret|" +
    "rawSecret|secret[-_]?input|secretInput|key|key[-_]?material|keyMaterial|jwt|session|signature|cookie|" +
    "set[-_]?cookie|card[-_]?number|card[-_]?cvc|card[-_]?cvv|cvc|cvv|security[-_]?code|payment[-_]?credential|" +
    "shared[-_]?payment[-_]?token|cardNumber|card_number|cardCvc|card_cvc|cardCvv|card_cvv|securityCode|" +
    "security_code|paymentCredential|payment_credential|sharedPaymentToken|shared_payment_token)$",
  "i",
);
const SECRET_ENV_FIELD = new RegExp(
  "^(?:(?:[A-Z0-9]+[_-])+(?:KEY|TOKEN|SECRET|PASSWORD|PASSWD)|API[_-]?KEY|TOKEN|SECRET|PASSWORD|PASSWD|" +
    "CARD[_-]?NUMBER|CARD[_-]?CVC|CARD[_-]?CVV|CVC|CVV|SECURITY[_-]?CODE|PAYMENT[_-]?CREDENTIAL|" +
    "SHARED[_-]?PAYMENT[_-]?TOKEN)$",
  "i",
);
// Fields whose text may carry an Apple app-specific password (`abcd-efgh-ijkl-mnop`), and words that make
// such a run an ordinary slug instead.
const APP_PASSWORD_FIELD =
  /^(?:apple|icloud|app[-_]?specific[-_]?password|appSpecificPassword|application[-_]?password|text|content|message|error|errorMessage|detail|details|reason)$/i;
const APP_PASSWORD = /\b([a-z]{4}-[a-z]{4}-[a-z]{4}-[a-z]{4})\b/g;
const ORDINARY_WORDS: ReadonlySet<string> = new Set([
  "case",
  "claw",
  "demo",
  "file",
  "main",
  "name",
  "open",
  "path",
  "slug",
  "test",
]);
const INTERNAL_SOURCE_PATH = /^\$WORKSPACE_DIR\/[A-Za-z0-9._/-]+\.jsonl$/u;

const EMAIL = /\b[A-Z0-9._%+-]+@[A-Z0-9.-]+\.[A-Z]{2,}\b/giu;
const HANDLE = /(^|[^\w:/])@(?!openclaw\/[a-z0-9])[A-Za-z0-9_]{5,}\b(?!\.)/gu;
const LONG_DECIMAL_ID = /\b\d{9,}\b/gu;
const MATRIX_USER = /@[A-Za-z0-9._=-]+:[A-Za-z0-9.-]+/gu;
const MATRIX_ROOM = /![A-Za-z0-9._=-]+:[A-Za-z0-9.-]+/gu;
const MATRIX_EVENT = /\$[A-Za-z0-9_-]{16,}/gu;
const BASIC_AUTH = /\bBasic\s+[A-Za-z0-9+/]+={0,2}/giu;
const COOKIE = /\b(Cookie|Set-Cookie)\s*:\s*[^\r\n]+/giu;
const AWS_KEY_ID = /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/gu;
const JWT = /\beyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\b/gu;
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)([^/@\s:?#]+)(?::([^/@\s?#]+))?@/giu;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/gu, "\\$&");
}

function supportText(value: string): string {
  return redactTokens(
    value.replace(BASIC_AUTH, "Basic <redacted>").replace(COOKIE, "$1: <redacted>").replace(
      AWS_KEY_ID,
      "<redacted-aws-key>",
    )
      .replace(JWT, "<redacted-jwt>"),
  ).replace(
    URL_USERINFO,
    (_m, scheme: string, _user: string, password?: string) =>
      password ? `${scheme}<redacted>:<redacted>@` : `${scheme}<redacted>@`,
  ).replace(MATRIX_USER, "<redacted-matrix-user>").replace(MATRIX_ROOM, "<redacted-matrix-room>")
    .replace(MATRIX_EVENT, (id) => id === "$OPENCLAW_STATE_DIR" ? id : "<redacted-matrix-event>")
    .replace(EMAIL, "<redacted-email>").replace(HANDLE, "$1<redacted-handle>").replace(
      LONG_DECIMAL_ID,
      "<redacted-id>",
    );
}

function prefixes(places: RedactionPlaces): { prefix: string; label: string }[] {
  const list = [{ prefix: resolve(places.stateDir), label: "$OPENCLAW_STATE_DIR" }];
  if (places.home) list.push({ prefix: resolve(places.home), label: "~" });
  return list.toSorted((a, b) => b.prefix.length - a.prefix.length);
}

/** A support string: tokens and identifiers masked, known path prefixes labelled, at most 2000 characters. */
function supportString(value: string, places: RedactionPlaces): string {
  const redacted = supportText(value);
  let out = redacted;
  if (isAbsolute(redacted)) {
    const file = resolve(redacted);
    const hit = prefixes(places).find(({ prefix }) => file === prefix || file.startsWith(`${prefix}/`));
    out = hit ? `${hit.label}${file.slice(hit.prefix.length)}` : file;
  } else {
    for (const { prefix, label } of prefixes(places)) out = out.replaceAll(prefix, label);
  }
  return out.length <= MAX_SUPPORT_STRING ? out : `${out.slice(0, MAX_SUPPORT_STRING)}...<truncated>`;
}

/** A string with the workspace shown as `$WORKSPACE_DIR`; path-like strings also get the support redaction. */
export function redactPathString(value: string, places: RedactionPlaces): string {
  const workspace = resolve(places.workspaceDir);
  const replaced = value.replace(new RegExp(`${escapeRegExp(workspace)}(?=$|[\\\\/])`, "gu"), "$WORKSPACE_DIR");
  const pathLike = replaced !== value || isAbsolute(replaced) || replaced.includes(places.stateDir) ||
    (places.home ? replaced.includes(places.home) : false);
  return pathLike ? supportString(replaced, places) : replaced;
}

function redactLocalPaths(value: unknown, places: RedactionPlaces): unknown {
  if (typeof value === "string") return redactPathString(value, places);
  if (Array.isArray(value)) return value.map((entry) => redactLocalPaths(entry, places));
  if (!value || typeof value !== "object") return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactLocalPaths(v, places)]));
}

function isSecretField(key: string): boolean {
  return SECRET_FIELD.test(key) || SECRET_ENV_FIELD.test(key);
}

function redactAppPasswords(text: string): string {
  return text.replace(
    APP_PASSWORD,
    (run, token: string) => token.split("-").some((word) => ORDINARY_WORDS.has(word)) ? run : maskToken(token),
  );
}

function redactSecretString(key: string, value: string): string {
  const redacted = redactTokens(value);
  if (redacted !== value || APP_PASSWORD_FIELD.test(key)) {
    const withoutAppPasswords = redactAppPasswords(redacted);
    if (withoutAppPasswords !== value) return withoutAppPasswords;
  }
  if (redacted !== value) return redacted;
  if (!isSecretField(key)) return value;
  const preserved = (key.toLowerCase() === "session" && INTERNAL_SOURCE_PATH.test(value)) ||
    isShellReferenceToKey(key, value);
  return preserved ? value : maskToken(value);
}

/** Values under secret-named keys masked, and token shapes masked in every string. */
function redactSecrets(key: string, value: unknown): unknown {
  if (typeof value === "string") return redactSecretString(key, value);
  if (typeof value === "number" || typeof value === "boolean") return isSecretField(key) ? "***" : value;
  if (Array.isArray(value)) return value.map((entry) => redactSecrets(key, entry));
  if (!value || typeof value !== "object") return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactSecrets(k, v)]));
}

function redactKeys(value: unknown, places: RedactionPlaces): unknown {
  if (Array.isArray(value)) return value.map((entry) => redactKeys(entry, places));
  if (!value || typeof value !== "object") return value;
  const used = new Set<string>();
  const out: Record<string, unknown> = {};
  for (const [key, entry] of Object.entries(value)) {
    let name = redactTokens(redactPathString(key, places));
    if (used.has(name)) {
      let index = 2;
      while (used.has(`${name}#${index}`)) index++;
      name = `${name}#${index}`;
    }
    used.add(name);
    out[name] = redactKeys(entry, places);
  }
  return out;
}

/** One bundle value redacted as the reference redacts each one it exports. */
export function redactExportValue(value: unknown, places: RedactionPlaces): unknown {
  return redactKeys(redactSecrets("", sanitizeDiagnosticPayload(redactLocalPaths(value, places))), places);
}
