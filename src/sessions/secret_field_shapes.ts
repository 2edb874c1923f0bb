// The reference's context-dependent secret rules, as regex sources in its order: a secret recognised by
// what names it (an `API_KEY=` assignment, a quoted `"apiKey": "…"` field inside text, an HTTP auth header,
// a `--token` flag, a form body's first pair, a config line) rather than by its own shape. The secret is
// the last non-empty capture group. secret_text_rules.ts compiles them with their flags and masks.

const PAYMENT_ENV_KEYS = String.raw`CARD[_-]?NUMBER|CARD[_-]?CVC|CARD[_-]?CVV|CVC|CVV|SECURITY[_-]?CODE|` +
  String.raw`PAYMENT[_-]?CREDENTIAL|SHARED[_-]?PAYMENT[_-]?TOKEN`;
const PAYMENT_KEYS = String.raw`card[-_]?number|card[-_]?cvc|card[-_]?cvv|cvc|cvv|security[-_]?code|` +
  String.raw`payment[-_]?credential|shared[-_]?payment[-_]?token`;
const PAYMENT_JSON_KEYS = "cardNumber|card_number|cardCvc|card_cvc|cardCvv|card_cvv|cvc|cvv|securityCode|" +
  "security_code|paymentCredential|payment_credential|sharedPaymentToken|shared_payment_token";
const AWS_SECRET_KEYS = String.raw`aws[-_]?secret[-_]?access[-_]?key|awsSecretAccessKey|SecretAccessKey`;
const TOKENISH = String.raw`access[-_]?token|refresh[-_]?token|id[-_]?token|auth[-_]?token|hook[-_]?token`;
const QUERY_KEYS = String.raw`access[-_]?token|auth[-_]?token|hook[-_]?token|refresh[-_]?token|id[-_]?token|` +
  String.raw`api[-_]?key|apikey|client[-_]?secret|app[-_]?secret|private[-_]?key|${AWS_SECRET_KEYS}|credential|` +
  String.raw`authorization|token|key|secret|password|pass|passwd|auth|jwt|session|code|signature|` +
  String.raw`x[-_]?amz[-_]?(?:signature|security[-_]?token)`;
const FORM_FIRST_PAIR_KEYS = String.raw`${QUERY_KEYS}|app[-_]?secret|credential|${PAYMENT_KEYS}`;
const STANDALONE_KEYS = String.raw`access_token|refresh_token|id_token|auth[-_]?token|hook[-_]?token|api[-_]?key|` +
  String.raw`client[-_]?secret|app[-_]?secret|private[-_]?key|authorization|jwt|token|secret|password|pass|` +
  `passwd|credential|${PAYMENT_KEYS}`;
const CONFIG_KEYS = String.raw`${TOKENISH}|api[-_]?(?:key|secret)|client[-_]?secret|app[-_]?secret|` +
  String.raw`private[-_]?key|secret[-_]?key|key[-_]?material|authorization|jwt|token|secret|password|passphrase|` +
  `pass|passwd|credential|${PAYMENT_KEYS}`;
const CONFIG_QUOTED_KEYS = String.raw`${TOKENISH}|api[-_]?(?:key|secret)|secret[-_]?key|key[-_]?material|` +
  `authorization|jwt|token|secret|password|passphrase|pass|passwd|${PAYMENT_KEYS}`;
const CONFIG_DIRECT_KEYS = String.raw`access-token|refresh-token|id-token|auth-token|hook-token|` +
  String.raw`api[-_]?(?:key|secret)|secret[-_]?key|key[-_]?material|passphrase`;
const PASSWORD_KEYS = "password|passphrase|pass|passwd";
const CLI_FLAG_KEYS = String.raw`${AWS_SECRET_KEYS}|api[-_]?key|hook[-_]?token|access[-_]?token|refresh[-_]?token|` +
  String.raw`id[-_]?token|token|secret|password|passwd|credential|private[-_]?key|client[-_]?secret|${PAYMENT_KEYS}`;
const JSON_SECRET_KEYS = "apiKey|api_key|apiToken|api_token|bearerToken|bearer_token|token|secret|password|passwd|" +
  `${AWS_SECRET_KEYS}|credential|authorization|proxy-authorization|cookie|set-cookie|x-api-key|x-auth-token|` +
  "accessToken|access_token|refreshToken|refresh_token|idToken|id_token|authToken|auth_token|clientSecret|" +
  "client_secret|privateKey|private_key|secret_value|raw_secret|secret_input|key_material";
const AMBIGUOUS_SECRET_KEYS = String.raw`api[-_]key|access[-_]token|refresh[-_]token|id[-_]token|authToken|` +
  String.raw`auth[-_]token|clientSecret|client[-_]secret|appSecret|app[-_]secret|private[-_]key|credential|` +
  String.raw`authorization|secret[-_]value|raw[-_]secret|secret[-_]input|key[-_]material`;
const AMBIGUOUS_AUTH_KEYS = "authorization|proxy-authorization|cookie|set-cookie|x-api-key|x-auth-token";
const ENV_KEY = String.raw`\b[A-Z0-9_]*(?:KEY|TOKEN|SECRET|PASSWORD|PASSWD|${PAYMENT_ENV_KEYS})\b\s*[=:]\s*`;

// HTTP header pieces: a header may sit in a JSON string (quotes and line breaks escaped once or more)
// and fold onto an indented next line.
const TAB = String.raw`\\{1,64}t`;
const INDENT = String.raw`(?:[ \t]+|${TAB})`;
const FOLDS = String.raw`[ \t]*\r?\n${INDENT}|[ \t]*\\{1,64}r\\{1,64}n${INDENT}|[ \t]*\\{1,64}n${INDENT}|` +
  String.raw`[ \t]*${TAB}[ \t]*`;
const OPTIONAL_SPACE = String.raw`(?:${FOLDS}|[ \t]*)`;
const REQUIRED_SPACE = String.raw`(?:${FOLDS}|[ \t]+)`;
const LEGACY_SPACE = String.raw`(?:[ \t\r\n]*|[ \t]*\\{1,64}r\\{1,64}n(?:[ \t]*|${TAB})|` +
  String.raw`[ \t]*\\{1,64}n(?:[ \t]*|${TAB})|[ \t]*${TAB}[ \t]*)`;
const HEADER_START = String.raw`(^|[^A-Za-z0-9_-]|\\{1,64}[rn])`;
const LOG_HEADER_START = String.raw`(^|[^A-Za-z0-9_?&-]|\\{1,64}[rn])`;
const QUOTE = String.raw`(?:\\{1,64}["']|["']|)`;
const SCHEME = "[A-Za-z0-9!#$%&'*+.^_`|~-]+";
const CREDENTIAL = String.raw`(?:\[REDACTED\]|[^\s\\"',;&#?<>)}\]]+)`;
const VALUE_END = String.raw`[ \t]*(?=${QUOTE}(?:$|[,;)}\]]|\r?\n(?![ \t])))`;
const NOT_KNOWN_SCHEME = String.raw`(?!(?:Bearer|Basic|Bot)(?=${REQUIRED_SPACE}))`;
const CREDENTIAL_HEADERS = "x-goog-api-key|api-key|apikey|x-api-token|x-access-token";
const GATEWAY_HEADERS = "X-OpenClaw-Token|x-pomerium-jwt-assertion|X-Api-Key|X-Auth-Token";
const header = (name: string, separator: string) => `${name}${QUOTE}[ \\t]*${separator}`;
const authorization = (scheme: string) =>
  `${header("Authorization", "[:=]")}${LEGACY_SPACE}${QUOTE}${scheme}${REQUIRED_SPACE}(${CREDENTIAL})`;

/** How a rule's secret is masked: its value, a shell assignment's value, or a header value up to a form pair. */
export type FieldMask = "value" | "shell" | "form-aware";

/** The end of a header value: optional spaces, an optional (escaped) quote, then the end of the field. */
export const HEADER_VALUE_END = VALUE_END;
/** What a header credential is made of. */
export const HEADER_CREDENTIAL_CHAR = String.raw`[^\s\\"',;&#?<>)}\]]`;

/**
 * One context rule: its source, whether it is case-sensitive, how it masks, whether it sees the text whole.
 * `valueToEnd`: the source is what precedes a credential that runs to the end of the header value
 * (`[REDACTED]` or a run of HEADER_CREDENTIAL_CHAR followed by HEADER_VALUE_END); header_value_finder.ts finds it.
 */
export interface FieldShape {
  source: string;
  valueToEnd?: boolean;
  caseSensitive?: boolean;
  mask?: FieldMask;
  whole?: boolean;
}

/** The rules before the PEM blocks, in the reference's order. */
export const FIELD_SHAPES: readonly FieldShape[] = [
  { source: `${ENV_KEY}(["']?)([^\\s"'\\\\]+)\\1`, caseSensitive: true, mask: "shell" },
  { source: `${ENV_KEY}\\\\+(["'])([^\\s"'\\\\]+)\\\\+\\1`, caseSensitive: true, mask: "shell" },
  { source: `"(?:${JSON_SECRET_KEYS})"\\s*:\\s*"([^"]+)"` },
  { source: `"(?:${PAYMENT_JSON_KEYS})"\\s*:\\s*"([^"]+)"` },
  { source: `(^|[\\s,{])["']?(?:${AMBIGUOUS_SECRET_KEYS})["']?\\s*[:=]\\s*(["'])([^"'\\r\\n]+)\\2` },
  { source: `(^|[\\s,{])["']?(?:${AMBIGUOUS_AUTH_KEYS})["']?\\s*[:=]\\s*(["'])([^"'\\r\\n]+)\\2` },
  { source: `--(?:${CLI_FLAG_KEYS})=([^\\s"']+)` },
  { source: `--(?:${CLI_FLAG_KEYS})\\s+(?!(?:or|and)\\b(?=\\s+--))(["']?)([^\\s"']+)\\1` },
  { source: authorization("Bearer"), whole: true },
  { source: authorization("Basic"), whole: true },
  { source: authorization("Bot"), whole: true },
  {
    source: `${HEADER_START}${header("Proxy-Authorization", "[:=]")}${OPTIONAL_SPACE}${QUOTE}${SCHEME}` +
      `${REQUIRED_SPACE}(${CREDENTIAL})`,
    whole: true,
  },
  {
    source: `${HEADER_START}${header("Proxy-Authorization", "[:=]")}${OPTIONAL_SPACE}${QUOTE}`,
    valueToEnd: true,
    whole: true,
  },
  {
    source: `${HEADER_START}${header("Authorization", "[:=]")}${OPTIONAL_SPACE}${QUOTE}${NOT_KNOWN_SCHEME}${SCHEME}` +
      `${REQUIRED_SPACE}(${CREDENTIAL})`,
    whole: true,
  },
  {
    source: `${HEADER_START}${header("Authorization", "[:=]")}${OPTIONAL_SPACE}${QUOTE}${NOT_KNOWN_SCHEME}`,
    valueToEnd: true,
    whole: true,
  },
  {
    source: `${LOG_HEADER_START}(?:${CREDENTIAL_HEADERS})${header("", ":")}${OPTIONAL_SPACE}${QUOTE}([^\\s\\\\"',;]+)`,
    whole: true,
  },
  {
    source: `${LOG_HEADER_START}(?:${CREDENTIAL_HEADERS})${header("", "=")}${OPTIONAL_SPACE}${QUOTE}([^\\s\\\\"',;]+)`,
    mask: "form-aware",
    whole: true,
  },
  { source: `${LOG_HEADER_START}(?:${GATEWAY_HEADERS})\\s*:\\s*([^\\s"',;]+)` },
  { source: `${LOG_HEADER_START}(?:${GATEWAY_HEADERS})\\s*=\\s*([^\\s"',;]+)`, mask: "form-aware" },
  { source: String.raw`\bBearer\s+([-A-Za-z0-9._~+/=]{18,})(?![-A-Za-z0-9._~+/=])`, whole: true },
  { source: String.raw`\b(?:https?|wss?|ftp):\/\/[^\/\s:@]*:([^\/\s@]+)@` },
  { source: String.raw`\b(?:postgres(?:ql)?|mysql|mongodb(?:\+srv)?|rediss?|amqps?):\/\/[^:\s/@]*:([^@\s]+)@` },
  { source: `(^|[\\s,;])(?:${FORM_FIRST_PAIR_KEYS})=([^&\\s]+)(?=&[A-Za-z_][A-Za-z0-9_.-]*=)` },
  { source: `(^|[\\s,;({\\["])(?:${STANDALONE_KEYS})=(["'\`])((?:(?!\\2)[^\\r\\n])+)\\2`, mask: "shell" },
  { source: `(^|[\\s,;({\\["])(?:${STANDALONE_KEYS})=(["'\`]?[^\\s&#"'\`<>]+)`, mask: "shell" },
  {
    source: `(^|[\\s,{])(?:(?:${CONFIG_QUOTED_KEYS})(?:\\s*:\\s*|\\s+=\\s*|=\\s*)|` +
      `[a-z0-9][a-z0-9._-]{0,79}[-_](?:${PASSWORD_KEYS})\\s*[:=]\\s*|` +
      `[a-z0-9_.-]{1,80}\\.(?:${CONFIG_KEYS})\\s*[:=]\\s*)(["'\`])((?:(?!\\2)[^\\r\\n])+)\\2`,
    caseSensitive: true,
  },
  { source: `(^|[\\s,{])(?:${CONFIG_KEYS})(?:\\s*:\\s*|\\s+=\\s*|=\\s+)([^\\s#"'\`<>]+)`, caseSensitive: true },
  { source: `(^|[\\s,{])(?:${CONFIG_DIRECT_KEYS})=([^\\s#"'\`<>]+)`, caseSensitive: true },
  {
    source: `(^|[\\s,{])[a-z0-9][a-z0-9._-]{0,79}[-_](?:${PASSWORD_KEYS})\\s*[:=]\\s*([^\\s#"'\`<>]+)`,
    caseSensitive: true,
  },
  { source: `(^|[\\s,{])[a-z0-9_.-]{1,80}\\.(?:${CONFIG_KEYS})\\s*[:=]\\s*([^\\s#"'\`<>]+)`, caseSensitive: true },
];

/** The rule after the PEM blocks: an AWS secret access key named as such (40 base64 characters). */
export const AWS_SECRET_FIELD_SHAPE: FieldShape = {
  source: `(^|[\\s,{])["']?(?:${AWS_SECRET_KEYS})["']?\\s*[:=]\\s*(["']?)([A-Za-z0-9/+=]{40})(?![A-Za-z0-9/+=])\\2`,
};
