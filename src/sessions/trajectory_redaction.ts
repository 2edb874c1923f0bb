// What a trajectory bundle hides before it is written, in the reference's order: local paths (the
// workspace as `$WORKSPACE_DIR`, the state dir as `$OPENCLAW_STATE_DIR`, the home as `~`), the diagnostic
// projection (trajectory_projection.ts), then secret-named fields and known token shapes masked, object
// keys treated like values, and each file's text swept for tokens once more. The token table holds the
// reference's vendor shapes; docs/compatibility.md names what of its redaction it leaves out.
import { isAbsolute, resolve } from "node:path";
import { sanitizeDiagnosticPayload } from "./trajectory_projection.ts";

/** The places a bundle must not reveal. */
export interface RedactionPlaces {
  workspaceDir: string;
  stateDir: string;
  home: string | undefined;
}

const MAX_SUPPORT_STRING = 2000;
const MASK_MIN_LENGTH = 18;

// Where a token may start: not inside a longer word, and not inside a `data:…;base64,` payload (whose
// characters would otherwise look like an AWS key id or an Atlassian token).
const AFTER_NON_ALNUM = String.raw`(^|[^A-Za-z0-9])(?<!;base64,[A-Za-z0-9+/=]*)`;
const AFTER_NON_WORD = String.raw`(^|[^A-Za-z0-9_])`;
const shape = (source: string) => new RegExp(source, "g");

// Token shapes masked wherever they appear (the secret is the last capture group), the vendors' published
// formats as the reference's redaction table lists them, in its order.
const TOKEN_PATTERNS: readonly RegExp[] = [
  // OpenAI-style keys, GitHub.
  /\b(sk-[A-Za-z0-9_-]{8,})\b/g,
  /(ghp_[A-Za-z0-9]{10,})/g,
  /(github_pat_[A-Za-z0-9_]{10,})/g,
  /(gh[ousr]_[A-Za-z0-9]{10,})/g,
  // GitLab's token families.
  /(glpat-[A-Za-z0-9._=-]{20,})/g,
  /(gloas-(?:[A-Fa-f0-9]{65,}|[A-Za-z0-9_-]{64}|[A-Fa-f0-9]{32,}))/g,
  /(gldt-[A-Za-z0-9_-]{20,})/g,
  /(glcbt-[A-Za-z0-9]{1,5}_[A-Za-z0-9_-]{20,})/g,
  /(glptt-[A-Za-z0-9_-]{40,})/g,
  /(glft-(?:[A-Za-z0-9_-]{20,}|[a-h0-9]+-[0-9]+_))/g,
  /(glimt-[A-Za-z0-9_-]{25,})/g,
  /(glagent-[A-Za-z0-9_-]{50,})/g,
  /(glwt-[A-Za-z0-9_-]{20,})/g,
  /(glsoat-[A-Za-z0-9_-]{20,})/g,
  /(glffct-[A-Za-z0-9_-]{20,})/g,
  /(glrt-[A-Za-z0-9._-]{20,})/g,
  /(glrtr?-[A-Za-z0-9_-]{27,300}\.[0-9a-z]{2}\.[0-9a-z]{9})/g,
  /(GR1348941[A-Za-z0-9_-]{20,})/g,
  /(_gitlab_session=[A-Za-z0-9%._-]{20,})/g,
  // Slack and Discord (tokens and webhook URLs).
  /(xox[baprs]-[A-Za-z0-9-]{10,})/g,
  /(xapp-[A-Za-z0-9-]{10,})/g,
  /(https:\/\/hooks\.slack\.com\/(?:services\/T[A-Z0-9]+\/B[A-Z0-9]+|workflows\/T[A-Z0-9]+\/A[A-Z0-9]+\/[0-9]{17,19})\/[A-Za-z0-9]{20,})/g,
  /(https:\/\/discord(?:app)?\.com\/api\/webhooks\/[0-9]{17,20}\/[A-Za-z0-9_-]{60,})/g,
  /discord(?:.|\n|\r){0,40}?\b([A-Za-z0-9_-]{24}\.[A-Za-z0-9_-]{6}\.[A-Za-z0-9_-]{27})\b/g,
  // Model and tool vendors, Google.
  /(gsk_[A-Za-z0-9_-]{10,})/g,
  /(AIza[0-9A-Za-z_-]{20,})/g,
  /(ya29\.[0-9A-Za-z_./+=-]{10,})/g,
  /(1\/\/0[0-9A-Za-z_./+=-]{10,})/g,
  /(eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,})/g,
  /(pplx-[A-Za-z0-9_-]{10,})/g,
  /(fal_[A-Za-z0-9_-]{10,})/g,
  shape(`${AFTER_NON_WORD}(fc-[A-Za-z0-9]{10,})`),
  /(bb_live_[A-Za-z0-9_-]{10,})/g,
  shape(`${AFTER_NON_ALNUM}(gAAAA[A-Za-z0-9_=-]{20,})`),
  // Payments, mail, package registries, clouds and CI.
  /(sk_(?:live|test)_[A-Za-z0-9]{10,})/g,
  /(rk_live_[A-Za-z0-9]{10,})/g,
  /(SG\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,})/g,
  /(npm_[A-Za-z0-9]{10,})/g,
  /(pypi-[A-Za-z0-9_-]{10,})/g,
  /(do[opr]_v1_[A-Za-z0-9]{10,})/g,
  /(dp\.(?:ct|pt|sa|scim|audit)\.[A-Za-z0-9]{40,44})/g,
  /(dp\.st\.[A-Za-z0-9]{40,44})/g,
  /(dp\.st\.[a-z0-9_-]{2,35}\.[A-Za-z0-9]{40,44})/g,
  /(dckr_(?:pat|oat)_[A-Za-z0-9_-]{27,32})/g,
  /(bkua_[a-z0-9]{40})/g,
  /(CCIPAT_[A-Za-z0-9]{22}_[A-Fa-f0-9]{40})/g,
  /(sbp_[a-z0-9]{40})/g,
  shape(`${AFTER_NON_ALNUM}(dapi[0-9a-f]{32}(?:-\d)?)`),
  /(dd[pw]_[A-Za-z0-9]{36})/g,
  /(glsa_[A-Za-z0-9_]{41})/g,
  /(glc_eyJ[A-Za-z0-9+/=]{60,160})/g,
  /(nfp_[A-Za-z0-9_]{36})/g,
  /(CFPAT-[A-Za-z0-9_-]{40,})/g,
  shape(`${AFTER_NON_ALNUM}(ATCTT3xFfG[A-Za-z0-9+/=_-]+=[A-Za-z0-9]{8})`),
  shape(`${AFTER_NON_ALNUM}(ATATT[A-Za-z0-9+/=_-]+=[A-Za-z0-9]{8})`),
  shape(`${AFTER_NON_ALNUM}(ATBB[A-Za-z0-9_=.-]{16,})`),
  /(BBDC-[A-Za-z0-9+/@_-]{40,50})/g,
  /(HRKU-AA[A-Za-z0-9_-]{20,})/g,
  /(pat-(?:eu|na)1-[A-Za-z0-9]{8}-[A-Za-z0-9]{4}-[A-Za-z0-9]{4}-[A-Za-z0-9]{4}-[A-Za-z0-9]{12})/g,
  /(apify_api_[A-Za-z0-9-]{20,})/g,
  /(FlyV1 fm\d+_[A-Za-z0-9+/=,_-]{100,})/g,
  /(fio-u-[A-Za-z0-9_-]{40,})/g,
  /(^|[^A-Za-z0-9_])(am_[A-Za-z0-9_-]{10,})/g,
  /(^|[^A-Za-z0-9_])(sk_[A-Za-z0-9_]{10,})/g,
  // Search, memory and inference vendors.
  /(tvly-[A-Za-z0-9]{10,})/g,
  /(exa_[A-Za-z0-9]{10,})/g,
  /(syt_[A-Za-z0-9]{10,})/g,
  /(retaindb_[A-Za-z0-9]{10,})/g,
  /(hsk-[A-Za-z0-9]{10,})/g,
  /(mem0_[A-Za-z0-9]{10,})/g,
  /(brv_[A-Za-z0-9]{10,})/g,
  /(xai-[A-Za-z0-9]{30,})/g,
  shape(`${AFTER_NON_WORD}(fw-[A-Za-z0-9]{30,})`),
  shape(`${AFTER_NON_WORD}(fw_[A-Za-z0-9]{30,})`),
  shape(`${AFTER_NON_WORD}(fpk_[A-Za-z0-9]{30,})`),
  // Cloud key ids (AWS, Tencent, Alibaba), Hugging Face, Replicate.
  shape(`${AFTER_NON_ALNUM}(AKIA[A-Z0-9]{16})`),
  shape(`${AFTER_NON_ALNUM}(ASIA[A-Z0-9]{16})`),
  /(AKID[A-Za-z0-9]{10,})/g,
  /(LTAI[A-Za-z0-9]{10,})/g,
  /(hf_[A-Za-z0-9]{10,})/g,
  /(api_org_[A-Za-z0-9]{20,})/g,
  /(r8_[A-Za-z0-9]{10,})/g,
  // Telegram bot tokens, then the shapes that are not a vendor's.
  /\bbot(\d{6,}:[A-Za-z0-9_-]{20,})\b/g,
  /\b(\d{6,}:[A-Za-z0-9_-]{20,})\b/g,
  /\bBearer\s+([-A-Za-z0-9._~+/=]{18,})(?![-A-Za-z0-9._~+/=])/g,
  /--(?:api[-_]?key|token|secret|password|passwd|access[-_]?token|hook[-_]?token)=([^\s"']+)/g,
  /\b[A-Z0-9_]*(?:KEY|TOKEN|SECRET|PASSWORD|PASSWD)\b\s*[=:]\s*["']?([^\s"'\\]+)/g,
  /\b(?:https?|wss?|ftp):\/\/[^/\s:@]*:([^/\s@]+)@/g,
  /\b(?:postgres(?:ql)?|mysql|mongodb(?:\+srv)?|rediss?|amqps?):\/\/[^:\s/@]*:([^@\s]+)@/g,
];

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
const SECRET_ENV_FIELD =
  /^(?:(?:[A-Z0-9]+[_-])+(?:KEY|TOKEN|SECRET|PASSWORD|PASSWD)|API[_-]?KEY|TOKEN|SECRET|PASSWORD|PASSWD)$/i;
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

/** A secret as the reference shows it: `***` when short, else its first 6 and last 4 characters. */
export function maskToken(token: string): string {
  if (token === "***" || token.length < MASK_MIN_LENGTH) return "***";
  return `${token.slice(0, 6)}…${token.slice(-4)}`;
}

/** `text` with every known token shape masked. */
export function redactTokens(text: string): string {
  let out = text;
  for (const pattern of TOKEN_PATTERNS) {
    out = out.replace(pattern, (match, ...args: unknown[]) => {
      // The callback's last two arguments are the offset and the whole input, not captures.
      const captures = args.slice(0, -2).filter((g): g is string => typeof g === "string" && g !== "");
      const secret = captures.at(-1);
      return secret ? match.replace(secret, maskToken(secret)) : match;
    });
  }
  return out;
}

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

function isShellReferenceToKey(key: string, value: string): boolean {
  if (!/^[A-Z_][A-Z0-9_]*$/.test(key)) return false;
  const bare = value.match(/^\$([A-Z_][A-Z0-9_]*)$/);
  if (bare) return bare[1] === key;
  return value.match(/^\$\{([A-Z_][A-Z0-9_]*)(?::[-=?+])?\}$/)?.[1] === key;
}

function redactSecretString(key: string, value: string): string {
  const redacted = redactTokens(value);
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
