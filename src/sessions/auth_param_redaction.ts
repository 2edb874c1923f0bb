// An `Authorization:` header whose credentials are `name=value` parameters (Digest, Hawk, AWS4 signatures,
// or any scheme followed by a `x=y` pair, which is how a base64 credential ending in one `=` reads): the
// reference replaces the whole parameter list with `***` before its other rules run. A small scanner, since
// a header may sit escaped inside JSON (`\\r\\n`, `\\t`) and fold onto indented lines.

const START = String.raw`(^|[^A-Za-z0-9_-]|\\{1,64}[rn])`;
const QUOTE = String.raw`(?:\\{1,64}["']|["']|)`;
const TAB = String.raw`\\{1,64}t`;
const INDENT = String.raw`(?:[ \t]+|${TAB})`;
const FOLDS = String.raw`[ \t]*\r?\n${INDENT}|[ \t]*\\{1,64}r\\{1,64}n${INDENT}|[ \t]*\\{1,64}n${INDENT}|` +
  String.raw`[ \t]*${TAB}[ \t]*`;
const AUTH_HEADER = new RegExp(
  String.raw`${START}(?:Proxy-)?Authorization${QUOTE}[ \t]*[:=](?:${FOLDS}|[ \t]*)${QUOTE}` +
    String.raw`([A-Za-z0-9!#$%&'*+.^_\x60|~-]+)(?:${FOLDS}|[ \t]+)`,
  "giu",
);
const TOKEN = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+/u;
const AWS_SCOPE = /^[A-Za-z0-9!#$%&'*+.^_`|~:/-]+/u;
const SIGNED_HEADERS = /^:?[A-Za-z0-9!#$%&'*+.^_`|~-]+(?:;:?[A-Za-z0-9!#$%&'*+.^_`|~-]+)*/u;
const MAX_SLASHES = 64;
// Where a field's value stops: the line, the header list or the enclosing quote or bracket ends.
const FIELD_STOPS = new Set(["\r", "\n", ";", "\\", '"', "'", "}", "]"]);

function slashesFrom(text: string, at: number): number {
  let count = 0;
  while (count < MAX_SLASHES && text[at + count] === "\\") count++;
  return count;
}

// The end of an escaped `\n`, `\r\n` or `\t` at `at`, or null.
function escapedEnd(text: string, at: number, letters: "n" | "t"): number | null {
  let cursor = at + slashesFrom(text, at);
  if (cursor === at) return null;
  if (text[cursor] === letters) return cursor + 1;
  if (letters === "t" || text[cursor] !== "r") return null;
  cursor += 1;
  const more = slashesFrom(text, cursor);
  return more > 0 && text[cursor + more] === "n" ? cursor + more + 1 : null;
}

// Past spaces, tabs (real or escaped) and line breaks that continue onto an indented line.
function skipSpace(text: string, start: number): number {
  let cursor = start;
  for (;;) {
    while (text[cursor] === " " || text[cursor] === "\t") cursor++;
    const tab = escapedEnd(text, cursor, "t");
    if (tab !== null) {
      cursor = tab;
      continue;
    }
    const lineEnd = text[cursor] === "\r" && text[cursor + 1] === "\n"
      ? cursor + 2
      : text[cursor] === "\n"
      ? cursor + 1
      : escapedEnd(text, cursor, "n");
    const indented = lineEnd !== null &&
      (text[lineEnd] === " " || text[lineEnd] === "\t" || escapedEnd(text, lineEnd, "t") !== null);
    if (!indented) return cursor;
    cursor = lineEnd;
  }
}

function readName(text: string, at: number): { name: string; end: number } | null {
  const match = TOKEN.exec(text.slice(at));
  return match ? { name: match[0].toLowerCase(), end: at + match[0].length } : null;
}

// True when another `Authorization`/`Proxy-Authorization` header starts at `at`.
function isHeaderStart(text: string, at: number): boolean {
  const before = text[at - 1];
  let escapedBreak = false;
  if (before === "n" || before === "r") {
    let slashes = 0;
    while (slashes < MAX_SLASHES && text[at - 2 - slashes] === "\\") slashes++;
    escapedBreak = slashes > 0;
  }
  if (!escapedBreak && before !== undefined && /[A-Za-z0-9_-]/u.test(before)) return false;
  const head = text.slice(at, at + 19).toLowerCase();
  const name = head === "proxy-authorization" ? head : head.startsWith("authorization") ? "authorization" : null;
  if (!name) return false;
  let cursor = at + name.length;
  const slashes = slashesFrom(text, cursor);
  cursor += slashes;
  if (text[cursor] === '"' || text[cursor] === "'") cursor += 1;
  else if (slashes > 0) return false;
  while (text[cursor] === " " || text[cursor] === "\t") cursor++;
  return text[cursor] === ":" || text[cursor] === "=";
}

// The start of the next `name=` parameter in this header's list, or null when the list ends first.
function nextParam(text: string, start: number): number | null {
  let cursor = start;
  for (;;) {
    cursor = skipSpace(text, cursor);
    if (cursor > start && isHeaderStart(text, cursor)) return null;
    const char = text[cursor];
    if (cursor >= text.length || char === "\r" || char === "\n" || char === ";") return null;
    if (char === ",") {
      cursor += 1;
      continue;
    }
    const param = readName(text, cursor);
    if (param) {
      const equals = skipSpace(text, param.end);
      if (text[equals] === "=" && text[equals + 1] !== "=") return cursor;
    }
    while (cursor < text.length) {
      const spaced = skipSpace(text, cursor);
      if (spaced > cursor) {
        cursor = spaced;
        continue;
      }
      if (cursor > start && isHeaderStart(text, cursor)) return null;
      const here = text[cursor];
      if (here === "\r" || here === "\n" || here === ";") return null;
      cursor += 1;
      if (here === ",") break;
    }
  }
}

function fieldEnd(text: string, start: number): number {
  let cursor = start;
  while (cursor < text.length) {
    const spaced = skipSpace(text, cursor);
    if (spaced > cursor) {
      cursor = spaced;
      continue;
    }
    if ((cursor > start && isHeaderStart(text, cursor)) || FIELD_STOPS.has(text[cursor] ?? "")) break;
    cursor += 1;
  }
  return cursor;
}

function quotedValueEnd(text: string, start: number): number | null {
  let slashes = 0;
  while (text[start + slashes] === "\\") slashes++;
  const escaped = slashes > 0 && text[start + slashes] === '"';
  const quote = text[start];
  let cursor = start + (escaped ? slashes + 1 : 1);
  while (cursor < text.length) {
    if (text[cursor] === "\r" || text[cursor] === "\n") {
      const spaced = skipSpace(text, cursor);
      if (spaced === cursor) break;
      cursor = spaced;
    } else if (escaped && text[cursor] === "\\") {
      let end = cursor + 1;
      while (text[end] === "\\") end++;
      if (text[end] === '"' && (end - cursor) % (2 * (slashes + 1)) === slashes) return end + 1;
      cursor = text[end] === '"' ? end + 1 : end;
    } else if (!escaped && text[cursor] === "\\" && cursor + 1 < text.length) cursor += 2;
    else if (!escaped && text[cursor] === quote) return cursor + 1;
    else cursor += 1;
  }
  return cursor > start + 1 ? cursor : null;
}

function valueEnd(text: string, start: number, scheme: string, name: string): number | null {
  const slashes = slashesFrom(text, start);
  if (text[start] === '"' || text[start] === "'" || (slashes > 0 && text[start + slashes] === '"')) {
    return quotedValueEnd(text, start);
  }
  const rest = text.slice(start);
  if (name === "signedheaders") {
    const match = SIGNED_HEADERS.exec(rest);
    const after = match ? text[start + match[0].length] : "";
    return match && [undefined, ",", " ", "\t", "\r", "\n"].includes(after) ? start + match[0].length : null;
  }
  const match = (scheme.startsWith("aws4-") && name === "credential" ? AWS_SCOPE : TOKEN).exec(rest);
  return match ? start + match[0].length : null;
}

// Where one header's parameter list ends, or null when it has none.
function paramListEnd(text: string, start: number, scheme: string): number | null {
  let cursor = start;
  let end = start;
  const direct = readName(text, cursor);
  const equals = direct ? skipSpace(text, direct.end) : -1;
  if (!direct || text[equals] !== "=" || text[equals + 1] === "=") {
    const listed = text[skipSpace(text, cursor)] === "," || scheme === "digest" || scheme === "hawk" ||
      scheme.startsWith("aws4-");
    const first = listed ? nextParam(text, cursor) : null;
    if (first === null) return null;
    cursor = first;
  }
  for (;;) {
    const param = readName(text, cursor);
    if (!param) break;
    cursor = skipSpace(text, param.end);
    if (text[cursor] !== "=") break;
    cursor = skipSpace(text, cursor + 1);
    const valueStop = valueEnd(text, cursor, scheme, param.name);
    if (valueStop === null) {
      const next = nextParam(text, cursor);
      if (next !== null) {
        cursor = next;
        continue;
      }
      end = Math.max(end, fieldEnd(text, cursor));
      break;
    }
    end = valueStop;
    const separator = skipSpace(text, valueStop);
    if (text[separator] !== ",") {
      if (separator < text.length && !FIELD_STOPS.has(text[separator] ?? "")) {
        const next = nextParam(text, separator);
        if (next !== null) {
          cursor = next;
          continue;
        }
        end = Math.max(end, fieldEnd(text, separator));
      }
      break;
    }
    const next = nextParam(text, separator + 1);
    if (next === null) break;
    cursor = next;
  }
  return end > start ? end : null;
}

/** `text` with each auth header's parameter list shown as `***`. */
export function redactAuthParams(text: string): string {
  const ranges: { start: number; end: number }[] = [];
  for (const header of text.matchAll(AUTH_HEADER)) {
    const start = header.index + header[0].length;
    const end = paramListEnd(text, start, (header[2] ?? "").toLowerCase());
    if (end === null) continue;
    const last = ranges.at(-1);
    if (last && start <= last.end) last.end = Math.max(last.end, end);
    else ranges.push({ start, end });
  }
  if (ranges.length === 0) return text;
  let out = "";
  let cursor = 0;
  for (const { start, end } of ranges) {
    out += `${text.slice(cursor, start)}***`;
    cursor = end;
  }
  return out + text.slice(cursor);
}
