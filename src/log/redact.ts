import type { RedactionPattern } from "@logtape/redaction";

/**
 * Masks a secret the way OpenClaw's redactor does: long values keep their first 6 and last 4
 * characters (enough to tell two tokens apart in a log), short ones become `***`.
 */
export function maskSecret(value: string): string {
  return value.length >= 18 ? `${value.slice(0, 6)}…${value.slice(-4)}` : "***";
}

function maskGroup(prefixGroups: number): (match: string, ...groups: unknown[]) => string {
  return (match, ...groups) => {
    // Replacer arguments end with (offset, whole string); a value already masked by an exact
    // secret pattern ("abcdef…wxyz") must not be masked a second time into "***…wxyz".
    const offset = groups.at(-2);
    const whole = groups.at(-1);
    if (typeof offset === "number" && typeof whole === "string" && whole[offset + match.length] === "…") return match;
    // An optional group that did not take part in the match is undefined: it contributes nothing.
    const parts = groups.slice(0, prefixGroups + 1).map((group) => typeof group === "string" ? group : "");
    const secret = parts[prefixGroups] ?? "";
    // Two patterns can cover one value (a key name and an env-var shape): mask it once.
    if (secret === "***" || /^[^…]{1,6}…[^…]{4}$/.test(secret)) return match;
    return `${parts.slice(0, prefixGroups).join("")}${maskSecret(secret)}`;
  };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

// Credential shapes that are not config keys: bearer headers, CLI flags, environment variables,
// URL userinfo, well-known key prefixes.
const SHAPE_PATTERNS: RedactionPattern[] = [
  { pattern: /(\bBearer\s+)([A-Za-z0-9._~+/=-]{4,})/gi, replacement: maskGroup(1) },
  // A flag value must look like a secret (8+ characters), so prose such as "--token or ..." stays.
  { pattern: /(--(?:token|password)(?:=|\s+))([^\s"'\\]{8,512})/g, replacement: maskGroup(1) },
  {
    pattern: /(\b[A-Z0-9_]*(?:API_KEY|TOKEN|PASSWORD|SECRET)[A-Z0-9_]*=)([^\s"'\\]{1,512})/g,
    replacement: maskGroup(1),
  },
  // The scheme is looked behind for, so the scan starts at "://": run from each word's start, the same match
  // cost a tenth of every log line.
  { pattern: /(?<=\b[a-z][a-z0-9+.-]*)(:\/\/[^:/\s@]+:)([^@\s/]{1,256})(?=@)/gi, replacement: maskGroup(1) },
  { pattern: /\b(?:sk|xox[abp]|ghp|gho|github_pat)[-_][A-Za-z0-9_-]{16,}/g, replacement: (m) => maskSecret(m) },
];

/**
 * `key: "value"` and `key=value` text for every credential key name. The names come from the
 * caller (config/sensitive.ts: the fields the config schema marks sensitive), so logs and
 * `config.get` hide the same keys. A name matches as a key ending (`botToken`, `x_api_key`).
 */
function keyPatterns(keyNames: readonly string[]): RedactionPattern[] {
  if (keyNames.length === 0) return [];
  const names = [...new Set(keyNames)].sort((a, b) => b.length - a.length).map(escapeRegExp).join("|");
  return [
    // In JSON log lines quotes arrive escaped (\"), so key patterns accept an optional backslash. A match starts
    // at the key name, not at the start of its word: the word's start is kept as it is either way, and scanning
    // each word from its start cost a third of every log line.
    {
      pattern: new RegExp(
        `(\\\\?["']?(?:${names})\\\\?["']?\\s*[:=]\\s*\\\\?["'])([^"'\\\\]{1,512})`,
        "gi",
      ),
      replacement: maskGroup(1),
    },
    { pattern: new RegExp(`((?:${names})=)([^\\s&"'\\\\]{1,512})`, "gi"), replacement: maskGroup(1) },
  ];
}

/** What a running gateway's logs must hide. */
export interface RedactionInput {
  /** Exact secret values in force (gateway token and password, every secret the config holds). */
  secrets: readonly string[];
  /** Key names that hold credentials (from the config schema's sensitive marks). */
  credentialKeys: readonly string[];
}

/**
 * The redaction patterns for a running gateway: the exact secrets it knows, then credential
 * keys, then generic credential shapes. Known secrets come first so they are masked wherever
 * they appear, even in free text.
 */
export function redactionPatterns(input: RedactionInput): RedactionPattern[] {
  const known = [...new Set(input.secrets.filter((s) => s.length >= 4))]
    .sort((a, b) => b.length - a.length)
    .map((secret): RedactionPattern => ({
      pattern: new RegExp(escapeRegExp(secret), "g"),
      replacement: () => maskSecret(secret),
    }));
  return [...known, ...keyPatterns(input.credentialKeys), ...SHAPE_PATTERNS];
}

/** Applies {@link redactionPatterns} to a text; used where output bypasses the log formatter. */
export function redactText(text: string, patterns: readonly RedactionPattern[]): string {
  let out = text;
  for (const { pattern, replacement } of patterns) {
    // Two calls, because `replace` has one overload for a string and one for a function, not for either.
    out = typeof replacement === "string" ? out.replace(pattern, replacement) : out.replace(pattern, replacement);
  }
  return out;
}
