// The dotenv reading `openclaw secrets store import` does, as the reference's: `export` prefixes, `#`
// comments, single/double/backtick quotes, quoted values spanning lines (PEM keys), and `\n`/`\r` escapes
// inside double quotes only. Later assignments of a name win.
const ASSIGNMENT_RE =
  /^\s*(?:export\s+)?([\w.-]+)(?:\s*=\s*?|:\s+?)(\s*'(?:\\'|[^'])*'|\s*"(?:\\"|[^"])*"|\s*`(?:\\`|[^`])*`|[^#\r\n]+)?\s*(?:#.*)?$/gmu;

/** Parses dotenv text into name → value, in the order the names first appear. */
export function parseDotEnv(raw: string): Record<string, string> {
  const entries: Record<string, string> = {};
  const text = raw.replace(/\r\n?/gu, "\n");
  for (const match of text.matchAll(ASSIGNMENT_RE)) {
    const key = match[1];
    if (!key) continue;
    let value = (match[2] ?? "").trim();
    const quote = value[0];
    value = value.replace(/^(['"`])([\s\S]*)\1$/gmu, "$2");
    if (quote === '"') value = value.replace(/\\n/gu, "\n").replace(/\\r/gu, "\r");
    entries[key] = value;
  }
  return entries;
}
