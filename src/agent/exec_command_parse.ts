// Splitting a shell command line into its top-level segments and their argv, the way the
// reference's allowlist analysis needs it: `&&`, `||`, `;` and `|` separate segments; command
// substitution, redirections, subshells, background jobs, env prefixes and unquoted expansions make
// the line unanalyzable (an allowlist miss, never a match).

/** One top-level command of a line. */
export interface CommandSegment {
  raw: string;
  argv: string[];
}

/** The analysis of a line: its segments, or why it cannot be analyzed. */
export type CommandAnalysis = { ok: true; segments: CommandSegment[] } | { ok: false; reason: string };

const SEPARATORS = ["&&", "||", ";", "|"];

interface Scan {
  segments: CommandSegment[];
  argv: string[];
  token: string;
  hasToken: boolean;
  start: number;
}

function endToken(scan: Scan): void {
  if (scan.hasToken) scan.argv.push(scan.token);
  scan.token = "";
  scan.hasToken = false;
}

function endSegment(scan: Scan, line: string, end: number): string | undefined {
  endToken(scan);
  if (scan.argv.length === 0) return "empty command segment";
  scan.segments.push({ raw: line.slice(scan.start, end).trim(), argv: scan.argv });
  scan.argv = [];
  return undefined;
}

/** Reads a double-quoted string from `i` (after the quote); returns its text and the index after it. */
function doubleQuoted(line: string, i: number): { text: string; next: number } | string {
  let text = "";
  while (i < line.length) {
    const ch = line[i]!;
    if (ch === '"') return { text, next: i + 1 };
    if (ch === "`" || (ch === "$" && line[i + 1] === "(")) return "command substitution";
    if (ch === "$") return "shell expansion";
    if (ch === "\\" && i + 1 < line.length && '"\\$`\n'.includes(line[i + 1]!)) {
      text += line[i + 1];
      i += 2;
      continue;
    }
    text += ch;
    i += 1;
  }
  return "unterminated double quote";
}

/** Splits a command line into segments; fails closed on any form the allowlist cannot judge. */
export function analyzeCommand(line: string): CommandAnalysis {
  const scan: Scan = { segments: [], argv: [], token: "", hasToken: false, start: 0 };
  let i = 0;
  while (i < line.length) {
    const ch = line[i]!;
    const two = line.slice(i, i + 2);
    if (ch === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) return { ok: false, reason: "unterminated single quote" };
      scan.token += line.slice(i + 1, end);
      scan.hasToken = true;
      i = end + 1;
      continue;
    }
    if (ch === '"') {
      const read = doubleQuoted(line, i + 1);
      if (typeof read === "string") return { ok: false, reason: read };
      scan.token += read.text;
      scan.hasToken = true;
      i = read.next;
      continue;
    }
    if (ch === "\\") {
      if (i + 1 >= line.length) return { ok: false, reason: "trailing backslash" };
      if (line[i + 1] === "\n") return { ok: false, reason: "line continuation" };
      scan.token += line[i + 1];
      scan.hasToken = true;
      i += 2;
      continue;
    }
    if (ch === "`" || two === "$(") return { ok: false, reason: "command substitution" };
    if (ch === "$") return { ok: false, reason: "shell expansion" };
    if (ch === "<" || ch === ">") return { ok: false, reason: "redirection" };
    // `a{b,c}` and `{1..3}` expand to several words the allowlist never saw.
    if (ch === "{" && /^\{[^}\s]*(?:,|\.\.)[^}\s]*\}/.test(line.slice(i))) {
      return { ok: false, reason: "brace expansion" };
    }
    if (ch === "(" || ch === ")" || ch === "{" && !scan.hasToken) return { ok: false, reason: "subshell or group" };
    if (ch === "\n" || ch === "\r") return { ok: false, reason: "multi-line command" };
    const separator = SEPARATORS.find((sep) => line.startsWith(sep, i));
    if (separator) {
      const problem = endSegment(scan, line, i);
      if (problem) return { ok: false, reason: problem };
      i += separator.length;
      scan.start = i;
      continue;
    }
    if (ch === "&") return { ok: false, reason: "background job" };
    if (ch === " " || ch === "\t") {
      endToken(scan);
      i += 1;
      continue;
    }
    if (ch === "#" && !scan.hasToken) return { ok: false, reason: "comment" };
    scan.token += ch;
    scan.hasToken = true;
    i += 1;
  }
  const problem = endSegment(scan, line, line.length);
  if (problem) return { ok: false, reason: problem };
  for (const segment of scan.segments) {
    if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(segment.argv[0]!)) return { ok: false, reason: "shell-env-assignment" };
  }
  return { ok: true, segments: scan.segments };
}

const WRAPPERS_NO_ARGS = new Set(["nohup"]);

/**
 * The argv a transparent dispatch wrapper runs (`env`, `nohup`, `nice`, `timeout`, `stdbuf`):
 * the allowlist judges the inner command, as the reference does. Null when a wrapper's options
 * cannot be followed safely (then nothing matches).
 */
export function unwrapDispatch(argv: string[], depth = 0): string[] | null {
  const head = argv[0]?.split("/").pop();
  if (depth > 4 || !head) return depth > 4 ? null : argv;
  let rest: string[] | null = null;
  if (WRAPPERS_NO_ARGS.has(head)) rest = argv.slice(1);
  else if (head === "env") {
    rest = argv.slice(1).some((t) => t.includes("=") || t.startsWith("-")) ? null : argv.slice(1);
  } else if (head === "nice") rest = argv[1] === "-n" ? argv.slice(3) : argv[1]?.startsWith("-") ? null : argv.slice(1);
  else if (head === "timeout") {
    const at = argv.findIndex((t, i) => i > 0 && !t.startsWith("-"));
    rest = at > 0 ? argv.slice(at + 1) : null;
  } else if (head === "stdbuf") {
    const at = argv.findIndex((t, i) => i > 0 && !/^-[ioe].+$/.test(t));
    rest = at > 0 ? argv.slice(at) : null;
  } else return argv;
  if (rest === null || rest.length === 0) return null;
  return unwrapDispatch(rest, depth + 1);
}
