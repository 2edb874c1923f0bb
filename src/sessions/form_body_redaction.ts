// The reference's passes over `key=value` pairs before its secret rules run: a URL query's secret
// parameters (`?token=…`, shown as a masked token), and form bodies (`client_secret=…&grant_type=…`, a
// `body: code=…` pair, or a key hidden behind `%xx` escapes or invisible characters), whose secret
// values become `***`. A key is secret when its name, decoded and normalised, is one of the known names.
import { maskToken, splitSecretValue } from "./secret_mask.ts";
import { isSecretParamName } from "../config/sensitive_url.ts";

const INVISIBLE = String.raw`\p{C}\u00A0\u1680\u2000-\u200A\u202F\u205F\u3000\u115F\u1160\u3164\uFFA0`;
const KEY = String
  .raw`[${INVISIBLE}+]*(?:[A-Za-z_]|%[0-9A-Fa-f]{2})(?:[A-Za-z0-9_.-]|%[0-9A-Fa-f]{2}|[${INVISIBLE}+])*`;
const VALUE = String.raw`[^&\s<>]*`;
const PAIR = `${KEY}=${VALUE}`;
const WHOLE_FORM = new RegExp(`^${PAIR}(?:&${PAIR})+$`, "u");
const FORM_IN_TEXT = new RegExp(String.raw`(^|[\s:({\[,="'\x60])(${PAIR}(?:&${PAIR})+)`, "gu");
const ENCODED_PAIR = new RegExp(String.raw`(^|[\s:({\[,="'\x60&])(${KEY})=(${VALUE})`, "gu");
const CONTEXT_PAIR = new RegExp(
  String.raw`(\b(?:body|form(?:[-_\s]?body)?)\s*[:=]\s*(["'\x60]?))(${KEY})=(${VALUE})(["'\x60]?)`,
  "giu",
);
const QUERY_PAIR = new RegExp(String.raw`([?&])(${KEY})=([^&#\s<>]*)`, "gu");
const OBFUSCATION = new RegExp(`[${INVISIBLE}+]`, "gu");
const NAME_SEPARATORS = /[\p{C}\p{Z}\u115F\u1160\u3164\uFFA0+]/gu;
const PERCENT_ESCAPE = /%[0-9A-Fa-f]{2}/u;
const LINE_BREAK = /(\r\n|\r|\n)/u;
const MAX_DECODE_DEPTH = 8;

const BODY_SECRET_NAMES: ReadonlySet<string> = new Set([
  "access_token",
  "auth_token",
  "awssecretaccesskey",
  "aws_secret_access_key",
  "hook_token",
  "refresh_token",
  "id_token",
  "token",
  "api_key",
  "apikey",
  "client_secret",
  "app_secret",
  "password",
  "pass",
  "passwd",
  "auth",
  "jwt",
  "session",
  "code",
  "signature",
  "x_amz_signature",
  "x_amz_security_token",
  "secret",
  "secretaccesskey",
  "credential",
  "private_key",
  "authorization",
  "key",
  "card_number",
  "card_cvc",
  "card_cvv",
  "cvc",
  "cvv",
  "security_code",
  "payment_credential",
  "shared_payment_token",
]); // deno-fmt-ignore

type PairKind = "query" | "encoded" | "context" | "form";

function normalisedName(name: string): string {
  return name.trim().toLowerCase().replaceAll("-", "_");
}

// A query name decoded until it stops changing; one whose escapes never resolve counts as secret.
function isSecretQueryName(key: string): boolean {
  let current = key.replace(NAME_SEPARATORS, "");
  for (let depth = 0; depth <= MAX_DECODE_DEPTH; depth += 1) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(current).replace(NAME_SEPARATORS, "");
    } catch {
      return current.includes("%") || isSecretParamName(normalisedName(current));
    }
    if (decoded === current) return isSecretParamName(normalisedName(current));
    current = decoded;
  }
  return current.includes("%") || isSecretParamName(normalisedName(current));
}

function isSecretBodyKey(key: string): boolean {
  if (isSecretQueryName(key)) return true;
  const stripped = key.replace(NAME_SEPARATORS, "");
  let decoded = stripped;
  try {
    decoded = decodeURIComponent(stripped).replace(NAME_SEPARATORS, "");
  } catch { /* an undecodable key is matched as written */ }
  return BODY_SECRET_NAMES.has(decoded.toLowerCase().replaceAll("-", "_"));
}

function hasHiddenKey(key: string): boolean {
  return PERCENT_ESCAPE.test(key) || key.replace(OBFUSCATION, "") !== key;
}

// Where each secret pair's value sits: [start, end, the value without its quotes].
function* secretPairs(text: string, kind: PairKind): Generator<[number, number, string]> {
  const pair = function* (key: string, value: string, at: number): Generator<[number, number, string]> {
    if (kind === "encoded" && !hasHiddenKey(key)) return;
    if (!isSecretBodyKey(key)) return;
    const { maskable, maskEnd } = splitSecretValue(value);
    yield [at, at + maskEnd, maskable];
  };
  if (kind === "form") {
    let cursor = 0;
    for (const part of text.split("&")) {
      const equals = part.indexOf("=");
      if (equals >= 0) yield* pair(part.slice(0, equals), part.slice(equals + 1), cursor + equals + 1);
      cursor += part.length + 1;
    }
    return;
  }
  const pattern = kind === "query" ? QUERY_PAIR : kind === "encoded" ? ENCODED_PAIR : CONTEXT_PAIR;
  const keyGroup = kind === "context" ? 3 : 2;
  for (const match of text.matchAll(pattern)) {
    const key = match[keyGroup] ?? "";
    yield* pair(key, match[keyGroup + 1] ?? "", match.index + (match[1] ?? "").length + key.length + 1);
  }
}

function worthScanning(text: string, kind: PairKind): boolean {
  if (kind === "query") return text.includes("?");
  if (kind === "encoded") return text.includes("%") || text.replace(OBFUSCATION, "") !== text;
  if (kind === "context") return /[=:]/u.test(text);
  return true;
}

function maskPairs(text: string, kind: PairKind): string {
  if (!text || !worthScanning(text, kind)) return text;
  const parts: string[] = [];
  let cursor = 0;
  for (const [start, end, maskable] of secretPairs(text, kind)) {
    parts.push(text.slice(cursor, start), kind === "query" ? maskToken(maskable) : "***");
    cursor = end;
  }
  return parts.length > 0 ? parts.join("") + text.slice(cursor) : text;
}

/** `text` with the values of a URL query's secret parameters masked. */
export function redactQuerySecrets(text: string): string {
  return maskPairs(text, "query");
}

function redactFormLine(line: string): string {
  if (!line) return line;
  const named = maskPairs(maskPairs(line, "encoded"), "context");
  if (!named.includes("&")) return named;
  if (WHOLE_FORM.test(named)) return maskPairs(named, "form");
  const forms = named.replace(FORM_IN_TEXT, (_m, before: string, body: string) => before + maskPairs(body, "form"));
  return maskPairs(maskPairs(forms, "encoded"), "context");
}

/** `text` with each line's form-body secrets shown as `***`. */
export function redactFormBodies(text: string): string {
  if (!text.includes("=")) return text;
  if (!LINE_BREAK.test(text)) return redactFormLine(text);
  return text.split(LINE_BREAK).map((part) => LINE_BREAK.test(part) ? part : redactFormLine(part)).join("");
}
