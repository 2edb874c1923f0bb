// Markdown to plain text for web_fetch's `extractMode: "text"`, and the whitespace cleanup both
// modes end with. Fetched text is hostile input: every step here is a forward scan (or a regex
// that cannot rescan), linear in the text's length; `[` or `\n` repeated 750 KB times must not
// cost minutes the way `/\[([^\]]+)]\(/` or a multiline `^\s*` do.

/** `indexOf` for a rising series of starting points, each answer reused until passed: linear overall. */
function nextOf(text: string): (needle: string, from: number) => number {
  const found = new Map<string, number>();
  return (needle, from) => {
    const known = found.get(needle);
    if (known !== undefined && (known === -1 || known >= from)) return known;
    const at = text.indexOf(needle, from);
    found.set(needle, at);
    return at;
  };
}

/**
 * `[text](target)` links replaced by their text, or `![alt](src)` images removed: what
 * `/\[([^\]]+)]\([^)]+\)/g` and `/!\[[^\]]*]\([^)]+\)/g` replace, found leftmost first as they are.
 */
function replaceLinks(text: string, images: boolean): string {
  const next = nextOf(text);
  const parts: string[] = [];
  let copied = 0;
  let at = 0;
  for (;;) {
    const start = next(images ? "![" : "[", at);
    if (start === -1) break;
    const open = images ? start + 1 : start;
    const close = next("]", open + 1);
    if (close === -1) break;
    const paren = text[close + 1] === "(" ? next(")", close + 2) : undefined;
    if (paren === -1) break;
    if (paren !== undefined && paren > close + 2 && (images || close > open + 1)) {
      parts.push(text.slice(copied, start), images ? "" : text.slice(open + 1, close));
      copied = at = paren + 1;
    } else at = start + 1;
  }
  parts.push(text.slice(copied));
  return parts.join("");
}

/** ```lang\n code ``` fences replaced by their code (as /```[^\n]*\n([\s\S]*?)```/g does). */
function unfence(text: string): string {
  const parts: string[] = [];
  let copied = 0;
  for (;;) {
    const start = text.indexOf("```", copied);
    if (start === -1) break;
    const newline = text.indexOf("\n", start + 3);
    const end = newline === -1 ? -1 : text.indexOf("```", newline + 1);
    // No closing fence after this line means none after any later opening either.
    if (end === -1) break;
    parts.push(text.slice(copied, start), text.slice(newline + 1, end));
    copied = end + 3;
  }
  parts.push(text.slice(copied));
  return parts.join("");
}

const WHITESPACE = /\s/;

/** Where a multiline `^` matches: after \n, \r, U+2028 or U+2029. */
function isLineBreak(code: number): boolean {
  return code === 10 || code === 13 || code === 0x2028 || code === 0x2029;
}

/**
 * What `text.replace(/^\s*MARKER\s+/gm, "")` does (`marker` answers where its marker ends at
 * `at`, or -1), without rescanning a whitespace run once per line start inside it.
 */
function stripLineMarkers(text: string, marker: (text: string, at: number) => number): string {
  const parts: string[] = [];
  let copied = 0;
  let runEnd = 0; // the end of the whitespace run last measured: every line start before it shares it
  let at = 0;
  while (at < text.length) {
    if (at > 0 && !isLineBreak(text.charCodeAt(at - 1))) {
      at++;
      continue;
    }
    if (at >= runEnd) {
      runEnd = at;
      while (runEnd < text.length && WHITESPACE.test(text[runEnd]!)) runEnd++;
    }
    const markerEnd = marker(text, runEnd);
    if (markerEnd !== -1 && markerEnd < text.length && WHITESPACE.test(text[markerEnd]!)) {
      let end = markerEnd + 1;
      while (end < text.length && WHITESPACE.test(text[end]!)) end++;
      parts.push(text.slice(copied, at));
      copied = at = end;
      continue;
    }
    // Every line start up to the run's end fails alike: go on after it.
    at = Math.max(at + 1, runEnd);
  }
  parts.push(text.slice(copied));
  return parts.join("");
}

function bulletEnd(text: string, at: number): number {
  const char = text[at];
  return char === "-" || char === "*" || char === "+" ? at + 1 : -1;
}

function numberEnd(text: string, at: number): number {
  let end = at;
  while (end < text.length && text.charCodeAt(end) >= 48 && text.charCodeAt(end) <= 57) end++;
  return end > at && text[end] === "." ? end + 1 : -1;
}

function trimLineEnd(line: string): string {
  let end = line.length;
  while (end > 0 && (line[end - 1] === " " || line[end - 1] === "\t")) end--;
  return end === line.length ? line : line.slice(0, end);
}

/** Trailing spaces and the space collapsed whitespace leaves at a line start go; at most one blank line in a row. */
export function normalizeWhitespace(text: string): string {
  return text.replace(/\r/g, "").split("\n").map(trimLineEnd).join("\n").replace(/\n (?=\S)/g, "\n")
    .replace(/\n{3,}/g, "\n\n").trim();
}

/** Markdown decoration removed, for `extractMode: "text"` (the reference's markdownToText). */
export function markdownToText(markdown: string): string {
  const text = unfence(replaceLinks(replaceLinks(markdown, true), false))
    .replace(/`([^`]+)`/g, "$1")
    .replace(/^#{1,6}\s+/gm, "");
  return normalizeWhitespace(stripLineMarkers(stripLineMarkers(text, bulletEnd), numberEnd));
}
