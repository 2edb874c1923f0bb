// The reference's diagnostic projection, which every value of a trajectory bundle passes through before it
// is written: credential-named fields dropped, media payloads replaced by their size and digest, bearer
// and cookie text masked, JSON embedded in strings checked the same way, and a budget of 64 objects per
// projected value (deeper ones become "[Truncated]"), so a bundle never grows past what support needs.
// The budget and the walk order decide which nodes survive, so both follow the reference exactly.
import { createHash } from "node:crypto";

/** How one projection treats fields and media (the bundle's policy, or none for JSON inside text). */
interface ProjectionPolicy {
  /** Drops `providerReplay` (the provider's replay state is no diagnostic). */
  omitProviderReplay: boolean;
  /** Media fields become `{ key: "<redacted>", bytes, sha256 }` instead of `{ redacted, bytes }`. */
  digestMedia: boolean;
}

const BUNDLE_POLICY: ProjectionPolicy = { omitProviderReplay: true, digestMedia: true };
const TEXT_POLICY: ProjectionPolicy = { omitProviderReplay: false, digestMedia: false };
const NODE_BUDGET = 64;
const MAX_KEYS = 64;
const MAX_JSON_TEXT = 16384;

const NON_CREDENTIAL_FIELDS = new Set([
  "passwordfile",
  "tokenbudget",
  "tokencount",
  "tokenfield",
  "tokenlimit",
  "tokens",
]);
const CREDENTIAL_SUFFIX =
  /(?:apikey|cookie|credential|passphrase|passwd|password|privatekey|secret|secret(?:access)?key|signingkey|token)$/u;
const MEDIA_SUFFIXES = "base64|blob|buffer|bytes|data|delta|frames?|output|result|(?:file|media|source)?(?:uri|url)";
const MEDIA_FIELD = new RegExp(`^(?:input|output)?(?:audio|image|video)s?(?:${MEDIA_SUFFIXES})*$`, "u");
const MEDIA_SUFFIX = new RegExp(`^(?:${MEDIA_SUFFIXES})$`, "u");
const MEDIA_WRAPPER = /^(?:input_|output_)?(?:audio|image|video)s?(?:_|$)/iu;
const MEDIA_TYPE = /^(?:input|output)?(?:audio|image|video)/u;
const MEDIA_MIME = /^(?:audio|image|video)\//iu;
const MEDIA_MIME_FIELDS = ["mimeType", "mime_type", "mediaType", "media_type", "contentType", "content_type"];
const ARRAY_INDEX = /^(?:0|[1-9]\d*)$/u;
const URL_SUFFIX = /(?:uri|url)$/u;

const AUTHORIZATION_VALUE = /\b(Bearer|Basic)\s+[A-Za-z0-9+/._~=-]{8,}/giu;
const JWT_VALUE = /\beyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\b/gu;
const COOKIE_HEADER = /\b((?:set-)?cookie\s*:\s*)([^\r\n]+)/giu;
const CREDENTIAL_NAME =
  "(?:[A-Za-z][A-Za-z0-9_.-]*[_.-])?(?:api[_.-]?key|authorization|passphrase|passwd|password|private[_.-]?key|secret(?:[_.-]?access)?[_.-]?key|signing[_.-]?key|token)";
const QUOTED_CREDENTIAL_HEADER = new RegExp(`(["'])(${CREDENTIAL_NAME})\\1\\s*:\\s*([^,}\\r\\n]+)`, "giu");
const CREDENTIAL_HEADER = new RegExp(`\\b(${CREDENTIAL_NAME})\\s*:\\s*([^\\r\\n]+)`, "giu");
const LOOSE_PAIR_NAME = "(?!(?:api|endpoint|method|model|provider|status|type)=)[A-Za-z][A-Za-z0-9_.-]{0,64}";
const LOOSE_QUOTED_PAIR = new RegExp(`\\b(${LOOSE_PAIR_NAME})=(["'])([A-Za-z0-9+/._~%=-]{16,})\\2`, "giu");
const LOOSE_PAIR = new RegExp(`\\b(${LOOSE_PAIR_NAME})=([A-Za-z0-9+/._~%=-]{16,})(?=[;&#'"\\s]|$)`, "giu");
const MEDIA_DATA_URL =
  /data:(?:audio|image|video)\/[a-z0-9.+-]+(?:;[^,;\s]+)*;base64,[ \t]*(?:\r?\n[ \t]*)?[a-z0-9+/_=-]+(?:[ \t]*\r?\n[ \t]*[a-z0-9+/_=-]+)*/giu;
const BRACKET_PROSE_SOURCE = String
  .raw`(\[+)([A-Za-z][A-Za-z0-9 _.-]*|\s*\d+\s+(?!(?:true|false|null)(?![\w-]))[A-Za-z][A-Za-z0-9 _.=-]*)(\]+)`;
const BRACKET_PROSE = new RegExp(`^${BRACKET_PROSE_SOURCE}$`, "u");
const BRACKET_PROSE_PART = new RegExp(String.raw`(?<!\[)${BRACKET_PROSE_SOURCE}`, "gu");
const JSON_LITERAL_START = /^(?:true|false|null)\b(?!-)/u;
const PROSE_ASSIGNMENT = /(?<![A-Za-z0-9_.-])([A-Za-z0-9_.-]+)\s*(?:=\s*)+(?=([^=;&\s\]'"},]+))/gu;
const PRIVATE_KEY_HEADER = /-----BEGIN [A-Z ]*PRIVATE KEY/iu;
const JSON_ARRAY_START = /\[\s*(?:[{"\d\]-]|true\b|false\b|null\b)/u;
const MALFORMED_JSON = /\{|(?:"[^"]+"|\b(?:b64_json|data|(?:input|output)?(?:audio|image|video)[\w-]*))\s*:/iu;

/** Walk state of one projection: whether anything changed, and the objects it may still visit. */
interface WalkState {
  changed: boolean;
  nodesRemaining: number;
  /** How a string is projected: {@link redactDiagnosticText}, or a caller's memo of it. */
  text: (value: string) => string;
  names: FieldNames;
}

/** What the projection decides from a field's name alone. */
interface FieldName {
  normalized: string;
  credential: boolean;
  /** `b64_json`: a private payload whatever its parent. */
  privateField: boolean;
  /** Named as media (`image`, `audioBase64`, `input_video…`). */
  media: boolean;
  /** A media payload's own field name (`data`, `url`, …) when its parent is media. */
  payload: boolean;
  arrayIndex: boolean;
  url: boolean;
}

/**
 * Field names already judged, by name, for a caller to keep across projections (a run's events carry the same config
 * and tool schema keys every run): each name costs a lowercase copy and up to six regular expressions otherwise.
 */
export type FieldNames = Map<string, FieldName>;

/** How many names a {@link FieldNames} keeps; past it, it starts again (unique keys of tool results never pile up). */
const FIELD_NAMES_MAX = 4096;

function fieldName(names: FieldNames, key: string): FieldName {
  const known = names.get(key);
  if (known) return known;
  const normalized = normalizeField(key);
  const facts = {
    normalized,
    credential: isCredentialField(normalized),
    privateField: normalized === "b64json",
    media: MEDIA_FIELD.test(normalized) || MEDIA_WRAPPER.test(key),
    payload: MEDIA_SUFFIX.test(normalized),
    arrayIndex: ARRAY_INDEX.test(key),
    url: URL_SUFFIX.test(normalized),
  };
  if (names.size >= FIELD_NAMES_MAX) names.clear();
  names.set(key, facts);
  return facts;
}

function normalizeField(name: string): string {
  return name.toLowerCase().replaceAll(/[^a-z0-9]/g, "");
}

function isCredentialField(normalized: string): boolean {
  if (!normalized || NON_CREDENTIAL_FIELDS.has(normalized)) return false;
  return normalized === "authorization" || normalized === "proxyauthorization" || CREDENTIAL_SUFFIX.test(normalized);
}

function isMediaRecord(record: Record<string, unknown>): boolean {
  const type = record.type;
  if (typeof type === "string" && MEDIA_TYPE.test(normalizeField(type))) return true;
  return MEDIA_MIME_FIELDS.some((field) =>
    typeof record[field] === "string" && MEDIA_MIME.test(record[field] as string)
  );
}

/** The decoded size of base64 text, as the reference estimates it (whitespace and padding discounted). */
function base64Bytes(text: string): number {
  let length = 0;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 32) length++;
  if (length === 0) return 0;
  let end = text.length - 1;
  while (end >= 0 && text.charCodeAt(end) <= 32) end--;
  let padding = 0;
  if (end >= 0 && text[end] === "=") {
    padding = 1;
    end--;
    while (end >= 0 && text.charCodeAt(end) <= 32) end--;
    if (end >= 0 && text[end] === "=") padding = 2;
  }
  return Math.max(0, Math.floor(length * 3 / 4) - padding);
}

function byteArray(value: unknown): Uint8Array | undefined {
  if (!Array.isArray(value) || !value.every((b) => Number.isInteger(b) && b >= 0 && b <= 255)) return undefined;
  return Uint8Array.from(value as number[]);
}

type MediaField = { kind: "context" } | { kind: "redacted"; bytes?: number; source?: string | Uint8Array };

function mediaField(name: FieldName, value: unknown, parentMedia: boolean): MediaField | undefined {
  const { privateField, media } = name;
  const payload = parentMedia && name.payload;
  if (!privateField && !media && !payload) {
    return parentMedia && value !== null && (typeof value === "object" || name.arrayIndex)
      ? { kind: "context" }
      : undefined;
  }
  if (name.url) return { kind: "redacted" };
  const encoded = byteArray(value) ?? (typeof value === "string" ? value : undefined);
  if (encoded === undefined) return { kind: privateField || Array.isArray(value) ? "redacted" : "context" };
  return {
    kind: "redacted",
    bytes: typeof encoded === "string" ? base64Bytes(encoded) : encoded.byteLength,
    source: encoded,
  };
}

function redactedMedia(key: string, media: MediaField & { kind: "redacted" }, policy: ProjectionPolicy) {
  if (policy.digestMedia) {
    if (media.source === undefined) return { [key]: "<redacted>" };
    return { [key]: "<redacted>", bytes: media.bytes, sha256: createHash("sha256").update(media.source).digest("hex") };
  }
  return { [key]: media.bytes === undefined ? "<redacted>" : { redacted: "<redacted>", bytes: media.bytes } };
}

function project(value: unknown, policy: ProjectionPolicy, mediaPayload: boolean, state: WalkState): unknown {
  if (typeof value === "string") {
    const projected = state.text(value);
    if (projected !== value) state.changed = true;
    return projected;
  }
  if (!value || typeof value !== "object") return value;
  if (state.nodesRemaining-- <= 0) {
    state.changed = true;
    return "[Truncated]";
  }
  const record = value as Record<string, unknown>;
  // Arrays count their `length` as a key, as Reflect.ownKeys lists it.
  const keyCount = Object.keys(record).length + (Array.isArray(value) ? 1 : 0);
  const keys = Object.keys(record).slice(0, MAX_KEYS);
  if (keyCount > MAX_KEYS) state.changed = true;
  const out: Record<string, unknown> = Array.isArray(value) ? [] as unknown as Record<string, unknown> : {};
  const name = keys.includes("name") && typeof record.name === "string"
    ? record.name
    : keys.includes("key")
    ? record.key
    : undefined;
  const redactValue = keyCount > MAX_KEYS || (typeof name === "string" && fieldName(state.names, name).credential);
  const redactMedia = mediaPayload || keyCount > MAX_KEYS || (!Array.isArray(value) && isMediaRecord(record));
  for (const key of keys) {
    const child = record[key];
    const field = policy.omitProviderReplay && key === "providerReplay" ? undefined : fieldName(state.names, key);
    if (field === undefined || field.credential) {
      state.changed = true;
      continue;
    }
    if (redactValue && key === "value") {
      out[key] = "<redacted>";
      state.changed = true;
      continue;
    }
    const media = mediaField(field, child, redactMedia);
    if (media?.kind === "redacted") {
      Object.assign(out, redactedMedia(key, media, policy));
      state.changed = true;
      continue;
    }
    out[key] = project(child, policy, media?.kind === "context", state);
  }
  return out;
}

/**
 * `value` projected as the reference's trajectory export projects each value (a fresh 64-object budget). A string
 * projects the same wherever it sits, so `text` may be a memo of {@link redactDiagnosticText} (the writer of a run's
 * events keeps one: the config and tool texts are the same every run); `names` likewise keeps the field names judged.
 */
export function sanitizeDiagnosticPayload(
  value: unknown,
  text: (value: string) => string = redactDiagnosticText,
  names: FieldNames = new Map(),
): unknown {
  return project(value, BUNDLE_POLICY, false, { changed: false, nodesRemaining: NODE_BUDGET, text, names });
}

function redactCredentialText(value: string): string {
  return value.replace(AUTHORIZATION_VALUE, "$1 <redacted>").replace(JWT_VALUE, "<redacted-jwt>")
    .replace(COOKIE_HEADER, "$1<redacted>").replace(QUOTED_CREDENTIAL_HEADER, "$1$2$1: <redacted>")
    .replace(CREDENTIAL_HEADER, "$1: <redacted>").replace(LOOSE_QUOTED_PAIR, "$1=$2<redacted>$2")
    .replace(LOOSE_PAIR, "$1=<redacted>");
}

function looksLikeJson(value: string): boolean {
  return JSON_ARRAY_START.test(value) || MALFORMED_JSON.test(value);
}

function isPlainBracketProse(value: string): boolean {
  const match = BRACKET_PROSE.exec(value);
  return match !== null && match[1]!.length === match[3]!.length && !JSON_LITERAL_START.test(match[2]!);
}

function hasSensitiveProse(value: string): boolean {
  if (PRIVATE_KEY_HEADER.test(value)) return true;
  const names: FieldNames = new Map();
  let mediaContext = false;
  let contextualPayload = false;
  for (const match of value.matchAll(PROSE_ASSIGNMENT)) {
    const assigned = match[2]!;
    const end = match.index + match[0].length + assigned.length;
    if (assigned === "<redacted>" && value[end] !== "=") continue;
    const key = match[1]!;
    const name = fieldName(names, key);
    if (name.credential || mediaField(name, undefined, false)) return true;
    mediaContext ||= isMediaRecord({ [key]: assigned });
    contextualPayload ||= Boolean(mediaField(name, undefined, true));
    if (mediaContext && contextualPayload) return true;
  }
  return false;
}

/** Each balanced `{…}` or `[…]` in `text` (strings inside them respected), in order. */
function jsonFragments(text: string): { json: string; start: number; end: number }[] {
  const fragments: { json: string; start: number; end: number }[] = [];
  let offset = 0;
  while (offset < text.length) {
    let start = offset;
    while (start < text.length && text[start] !== "{" && text[start] !== "[") start++;
    const stack: string[] = [];
    let inString = false;
    let escaped = false;
    let found: { json: string; start: number; end: number } | undefined;
    for (let i = start; i < text.length; i++) {
      const char = text[i];
      if (inString) {
        if (escaped) escaped = false;
        else if (char === "\\") escaped = true;
        else if (char === '"') inString = false;
      } else if (char === '"') inString = true;
      else if (char === "{" || char === "[") {
        if (stack.length === 0) start = i;
        stack.push(char);
      } else if (stack.length > 0 && char === (stack.at(-1) === "{" ? "}" : "]")) {
        stack.pop();
        if (stack.length === 0) {
          found = { json: text.slice(start, i + 1), start, end: i };
          break;
        }
      }
    }
    if (!found) break;
    fragments.push(found);
    offset = found.end + 1;
  }
  return fragments;
}

/** JSON with every object's keys sorted, as the reference's stable stringify writes it. */
export function stableStringify(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value === "number" && !Number.isFinite(value)) return JSON.stringify(String(value));
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return `[${Array.from(value, (entry) => stableStringify(entry)).join(",")}]`;
  const record = value as Record<string, unknown>;
  return `{${
    Object.keys(record).sort().map((key) => `${JSON.stringify(key)}:${stableStringify(record[key])}`).join(",")
  }}`;
}

/** Text with credentials and inline media masked, and JSON inside it projected (or refused when malformed). */
export function redactDiagnosticText(value: string): string {
  const text = redactCredentialText(value).replace(MEDIA_DATA_URL, "<redacted>");
  if (!looksLikeJson(text)) return text;
  const allowProse = !hasSensitiveProse(text);
  if (text.length > MAX_JSON_TEXT) {
    const remaining = allowProse && !MALFORMED_JSON.test(text)
      ? text.replace(BRACKET_PROSE_PART, (part) => isPlainBracketProse(part) ? "" : part)
      : text;
    if (allowProse && !/[[\]{}]/u.test(remaining) && !MALFORMED_JSON.test(text)) return text;
    return "[Oversized diagnostic JSON redacted]";
  }
  let cursor = 0;
  let redacted = "";
  let unstructured = "";
  for (const fragment of jsonFragments(text)) {
    const plain = text.slice(cursor, fragment.start);
    unstructured += plain;
    redacted += plain;
    cursor = fragment.end + 1;
    if (allowProse && isPlainBracketProse(fragment.json)) {
      redacted += fragment.json;
      continue;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(fragment.json);
    } catch {
      return "[Malformed diagnostic JSON redacted]";
    }
    const state: WalkState = {
      changed: false,
      nodesRemaining: NODE_BUDGET,
      text: redactDiagnosticText,
      names: new Map(),
    };
    const projected = project(parsed, TEXT_POLICY, false, state);
    redacted += state.changed ? stableStringify(projected) : fragment.json;
  }
  const remainder = text.slice(cursor);
  return looksLikeJson(unstructured + remainder) ? "[Malformed diagnostic JSON redacted]" : redacted + remainder;
}
