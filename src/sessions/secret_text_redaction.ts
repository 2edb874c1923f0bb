// Secrets in free text, masked as the reference's `redactSecrets` masks a string: auth headers' parameter
// lists (auth_param_redaction.ts), a URL query's secret parameters and form bodies first
// (form_body_redaction.ts), then each rule of one table in the reference's
// order: the context rules (secret_field_shapes.ts), private-key PEM blocks (pem_blocks.ts), then the
// vendors' token shapes (secret_token_shapes.ts) and bare AWS secret access keys (aws_secret_key_finder.ts).
// A text none of them could touch is returned untouched
// after one cheap test. Long texts are scanned in 16 KiB pieces except by the rules whose boundaries a cut
// would fake, as the reference does, so no rule's cost grows with the square of a whole transcript.
import { redactAuthParams } from "./auth_param_redaction.ts";
import { findAwsSecretKeys, mightHoldAwsSecretKey } from "./aws_secret_key_finder.ts";
import { redactFormBodies, redactQuerySecrets } from "./form_body_redaction.ts";
import { findHeaderValues, type FoundSecret, headerPrefix } from "./header_value_finder.ts";
import { findPemBlocks, maskPemBlock } from "./pem_blocks.ts";
import { AWS_SECRET_FIELD_SHAPE, FIELD_SHAPES, type FieldMask, type FieldShape } from "./secret_field_shapes.ts";
import { maskToken, splitSecretValue } from "./secret_mask.ts";
import { AFTER_NON_ALNUM, AFTER_NON_WORD, TELEGRAM_SHAPES, TOKEN_SHAPES } from "./secret_token_shapes.ts";

const PIECE_THRESHOLD = 32768;
const PIECE_SIZE = 16384;

type Found = FoundSecret;

interface Rule {
  find: (text: string) => Iterable<Found>;
  mask: FieldMask;
  whole: boolean;
}

function* regexFinds(pattern: RegExp, text: string): Generator<Found> {
  for (const match of text.matchAll(pattern)) {
    let group = match.length - 1;
    while (group > 0 && !match[group]) group--;
    const value = match[group];
    const span = group > 0 && value ? match.indices?.[group] : undefined;
    yield {
      index: match.index,
      match: match[0],
      secret: span && value ? { value, at: span[0] - match.index } : undefined,
    };
  }
}

function regexRule({ source, caseSensitive, mask, whole, valueToEnd }: FieldShape): Rule {
  if (valueToEnd) {
    const prefix = headerPrefix(source);
    return { find: (text) => findHeaderValues(prefix, text), mask: mask ?? "value", whole: whole ?? false };
  }
  const pattern = new RegExp(source, caseSensitive ? "dg" : "dgi");
  return { find: (text) => regexFinds(pattern, text), mask: mask ?? "value", whole: whole ?? false };
}

const tokenRule = (source: string): Rule =>
  regexRule({ source, whole: source.startsWith(AFTER_NON_ALNUM) || source.startsWith(AFTER_NON_WORD) });

const RULES: readonly Rule[] = [
  ...FIELD_SHAPES.map(regexRule),
  { find: findPemBlocks, mask: "value", whole: true },
  regexRule(AWS_SECRET_FIELD_SHAPE),
  ...TOKEN_SHAPES.map(tokenRule),
  ...TELEGRAM_SHAPES.map((source) => regexRule({ source, whole: true })),
  { find: findAwsSecretKeys, mask: "value", whole: true },
];

// What any rule needs to see before it can match (the reference's own pre-test, case-insensitive).
const INVISIBLE = String.raw`\p{C}\u00A0\u1680\u2000-\u200A\u202F\u205F\u3000\u115F\u1160\u3164\uFFA0`;
const MIGHT_HOLD_SECRET = new RegExp(
  [
    "KEY|TOKEN|SECRET|PASSWORD|PASSWD|AUTH|COOKIE|SIGNATURE|CREDENTIAL|CARD|CVC|CVV|PAYMENT|PRIVATE KEY",
    String.raw`security[-_]?code|\bpass\s*[=:]|\bpassphrase\s*[=:]|_(?:password|pass|passphrase|passwd)\s*[=:]|` +
    String.raw`jwt\s*[=:]|session=|code=|\bsig\s*=`,
    String.raw`\bBearer\s+`,
    String.raw`sk-|gh[opsur]_|github_pat_|glpat-|gloas-|gldt-|glcbt-|glptt-|glft-|glimt-|glagent-|glwt-|glsoat-|` +
    String.raw`glffct-|glrt-|glrtr-|GR1348941|_gitlab_session=|xox[baprs]-|xapp-|hooks\.slack\.com|discord|gsk_|` +
    String.raw`AIza|ya29\.|1\/\/0|eyJ|pplx-|fal_|fc-|bb_live_|gAAAA|[sr]k_(?:live|test)_|SG\.|npm_|pypi-|` +
    String.raw`do[opr]_v1_|dp\.(?:ct|pt|sa|st|scim|audit)\.|dckr_|bkua_|CCIPAT_|sbp_|dapi[0-9a-f]|dd[pw]_|glsa_|` +
    String.raw`nfp_|CFPAT-|ATCTT3|ATATT|ATBB|BBDC-|HRKU-|pat-(?:eu|na)1-|apify_api_|FlyV1|fio-u-|tvly-|exa_|` +
    String.raw`syt_|retaindb_|mem0_|brv_|xai-|fw-|fw_|fpk_`,
    String.raw`(?:^|[^A-Za-z0-9_])(?:am_|sk_)`,
    String.raw`A[KS]IA[A-Z0-9]|AKID|LTAI|hf_|api_org_|r8_`,
    String.raw`\bbot\d{6,}:|\b\d{6,}:[A-Za-z0-9_-]{20,}`,
    String.raw`=(?<=(?:\+|[${INVISIBLE}])(?:[${INVISIBLE}+]*[A-Za-z0-9_%.-])+[${INVISIBLE}+]*=)|` +
    String.raw`=(?<=[A-Za-z0-9_%.-][${INVISIBLE}+]+=)`,
  ].join("|"),
  "iu",
);
const SHELL_KEY = /\b([A-Z_][A-Z0-9_]*)\b\s*[=:]/u;
const FORM_PAIR_START = /&[A-Za-z_][A-Za-z0-9_.-]*=/u;

// Two of the reference's pre-tests, asked one run at a time: as single regexes they would rescan a long run
// from every `://` or `%xx` in it. A URL password (`://user:pass@`) lies inside a run free of spaces and `@`
// that ends at an `@`; an encoded form key (`%xx…=`) inside a run of key characters that ends at an `=`.
const RUN_BEFORE_AT = /(?<![^\s@])[^\s@]+@/gu;
const USERINFO_PASSWORD = /:\/\/[^\/:]*:[^@]/u;
const KEY_RUN_BEFORE_EQUALS = new RegExp(`(?<![${INVISIBLE}+A-Za-z0-9_%.-])[${INVISIBLE}+A-Za-z0-9_%.-]+=`, "gu");
const PERCENT_ESCAPE = /%[0-9A-Fa-f]{2}/u;

function someRun(text: string, runs: RegExp, inside: RegExp): boolean {
  for (const [run] of text.matchAll(runs)) if (inside.test(run)) return true;
  return false;
}

function mightHoldSecret(text: string): boolean {
  return MIGHT_HOLD_SECRET.test(text) || (text.includes("://") && someRun(text, RUN_BEFORE_AT, USERINFO_PASSWORD)) ||
    (text.includes("%") && someRun(text, KEY_RUN_BEFORE_EQUALS, PERCENT_ESCAPE)) ||
    mightHoldAwsSecretKey(text);
}

/** True when `value` only points at the variable `key` names (`TOKEN=$TOKEN`, `TOKEN=${TOKEN:-x}`). */
export function isShellReferenceToKey(key: string, value: string): boolean {
  if (!/^[A-Z_][A-Z0-9_]*$/.test(key)) return false;
  const bare = value.match(/^\$([A-Z_][A-Z0-9_]*)$/);
  if (bare) return bare[1] === key;
  return value.match(/^\$\{([A-Z_][A-Z0-9_]*)(?::[-=?+])?\}$/)?.[1] === key;
}

// The masked secret, or undefined when this match is left as it is.
function maskFor(found: Found, mask: FieldMask, token: string): string | undefined {
  const formSplit = mask === "form-aware" ? token.search(FORM_PAIR_START) : -1;
  const secret = formSplit < 0 ? token : token.slice(0, formSplit);
  const parts = splitSecretValue(secret);
  if (parts.maskable === "***") return undefined;
  if (mask === "shell") {
    const key = found.match.match(SHELL_KEY)?.[1];
    if ((key && isShellReferenceToKey(key, token)) || /^[-=?+]\}$/.test(token)) return undefined;
    return maskToken(token);
  }
  return `${maskToken(parts.maskable)}${parts.suffix}${formSplit < 0 ? "" : token.slice(formSplit)}`;
}

function redactFound(found: Found, mask: FieldMask): string {
  if (found.match.includes("PRIVATE KEY-----")) return maskPemBlock(found.match);
  const { value, at } = found.secret ?? { value: found.match, at: 0 };
  if (value === "***") return found.match;
  const masked = maskFor(found, mask, value);
  if (masked === undefined) return found.match;
  return found.match.slice(0, at) + masked + found.match.slice(at + value.length);
}

function applyRule(text: string, rule: Rule): string {
  const parts: string[] = [];
  let cursor = 0;
  for (const found of rule.find(text)) {
    parts.push(text.slice(cursor, found.index), redactFound(found, rule.mask));
    cursor = found.index + found.match.length;
  }
  return parts.length > 0 ? parts.join("") + text.slice(cursor) : text;
}

function applyRuleInPieces(text: string, rule: Rule): string {
  if (rule.whole || text.length <= PIECE_THRESHOLD) return applyRule(text, rule);
  let out = "";
  for (let index = 0; index < text.length; index += PIECE_SIZE) {
    out += applyRule(text.slice(index, index + PIECE_SIZE), rule);
  }
  return out;
}

/** `text` with every secret the reference's text redaction finds masked. */
export function redactTokens(text: string): string {
  if (!text || !mightHoldSecret(text)) return text;
  let out = redactFormBodies(redactQuerySecrets(redactAuthParams(text)));
  for (const rule of RULES) out = applyRuleInPieces(out, rule);
  return out;
}
