// Bare AWS secret access keys in text, found as the reference finds them: a run of exactly 40 base64
// characters (upper and lower case, a digit or `/+=`, a letter past F so a hex digest does not count), not
// part of a longer word, not inside a `;base64,` payload, and not the host or path of a public URL
// (`https://host/<40 chars>`) unless it sits where a URL carries credentials (`user:<key>@`, `/<key>@`).
// One pass, character by character, so its cost is the text's length.
import type { FoundSecret } from "./header_value_finder.ts";

const KEY_LENGTH = 40;
const KEY_RUN = /[A-Za-z0-9/+=]{40}/u;
const KEY_SHAPE =
  /(?=[A-Za-z0-9/+=]{0,39}[A-Z])(?=[A-Za-z0-9/+=]{0,39}[a-z])(?=[A-Za-z0-9/+=]{0,39}[0-9/+=])(?=[A-Za-z0-9/+=]{0,39}[G-Zg-z/+=])[A-Za-z0-9/+=]{40}/u;
const WHITESPACE = /\s/u;
const SCHEME_CHAR = /[A-Za-z0-9+.-]/u;
const SCHEME_START = /[A-Za-z]/u;
const URL_STOPS = "?#\"'<>`|()[]{}";
const CLOSING: Readonly<Record<string, string>> = {
  '"': '"',
  "'": "'",
  "`": "`",
  "<": ">",
  "(": ")",
  "[": "]",
  "{": "}",
};

/** The URL a run was seen in: where it starts and ends, its authority's end, its port, whether it has an `@`. */
interface UrlSpan {
  start: number;
  end: number;
  authorityEnd: number;
  portStart: number;
  portValid: boolean;
  hasAt: boolean;
  queryOrFragment: boolean;
  closing: string | undefined;
  closingEscapes: number;
}

interface Run {
  start: number;
  end: number;
  origin: number;
  url: UrlSpan | undefined;
}

/** True when `text` holds a run that could be a key (a cheap test before the scan). */
export function mightHoldAwsSecretKey(text: string): boolean {
  return text.length >= KEY_LENGTH && KEY_RUN.test(text) && KEY_SHAPE.test(text);
}

function isKeyChar(char: string): boolean {
  return /^[A-Za-z0-9/+=]$/u.test(char);
}

function isPublicUrlPart(text: string, run: Run): boolean {
  const url = run.url;
  if (!url || url.hasAt || !url.portValid) return false;
  const hostEnd = url.authorityEnd === -1 ? url.end : url.authorityEnd;
  if (url.portStart !== -1 && hostEnd <= url.portStart + 1) return false;
  const portCredential = url.portStart !== -1 && run.origin === url.portStart + 1 && url.authorityEnd > run.origin &&
    run.end > url.authorityEnd && text[run.end] === "@";
  return !portCredential && run.start >= url.start && run.end <= url.end;
}

function isKey(text: string, run: Run): boolean {
  const before = text[run.start - 1] ?? "";
  const after = text[run.end] ?? "";
  const afterSlash = run.start !== run.origin;
  if ((!afterSlash && (before === "_" || isKeyChar(before))) || after === "_") return false;
  if (text.slice(run.origin - 8, run.origin) === ";base64,") return false;
  return !isPublicUrlPart(text, run) && KEY_SHAPE.test(text.slice(run.start, run.end));
}

// Tracks the URL being read at `index`: where it stops, its authority, its port.
function followUrl(url: UrlSpan, char: string, index: number, escapes: number): UrlSpan | undefined {
  if (char === url.closing && escapes === url.closingEscapes) {
    url.end = Math.min(url.end, index);
    return undefined;
  }
  if (URL_STOPS.includes(char)) url.end = Math.min(url.end, index);
  url.queryOrFragment ||= char === "?" || char === "#";
  if (url.authorityEnd !== -1) return url;
  url.hasAt ||= char === "@";
  if ("/?#".includes(char)) url.authorityEnd = index;
  else if (index < url.end && char === ":") {
    url.portValid &&= url.portStart === -1;
    url.portStart = index;
  } else if (index < url.end && url.portStart !== -1 && (char < "0" || char > "9")) url.portValid = false;
  return url;
}

function openUrl(text: string, schemeStart: number, colon: number): UrlSpan {
  const opening = text[schemeStart - 1];
  let closingEscapes = 0;
  for (let at = schemeStart - 2; at >= 0 && text[at] === "\\"; at--) closingEscapes++;
  return {
    start: colon + 3,
    end: text.length,
    authorityEnd: -1,
    portStart: -1,
    portValid: true,
    hasAt: false,
    queryOrFragment: false,
    closing: opening ? CLOSING[opening] : undefined,
    closingEscapes,
  };
}

/** The bare AWS secret access keys in `text`, in order. */
export function* findAwsSecretKeys(text: string): Generator<FoundSecret> {
  if (!mightHoldAwsSecretKey(text)) return;
  let runStart = -1;
  let schemeStart = -1;
  let url: UrlSpan | undefined;
  let backslashes = 0;
  const runs: Run[] = [];
  for (let index = 0; index <= text.length; index++) {
    const char = text[index] ?? "";
    const escapes = backslashes;
    backslashes = char === "\\" ? backslashes + 1 : 0;
    if (char && isKeyChar(char)) {
      if (runStart === -1) runStart = index;
    } else if (runStart !== -1) {
      const length = index - runStart;
      if (length === KEY_LENGTH) runs.push({ start: runStart, end: index, origin: runStart, url });
      else if (length > KEY_LENGTH && char === "@" && text[index - KEY_LENGTH - 1] === "/") {
        runs.push({ start: index - KEY_LENGTH, end: index, origin: runStart, url });
      }
      runStart = -1;
    }
    if (index === text.length || WHITESPACE.test(char)) {
      if (url) url.end = Math.min(url.end, index);
      for (const run of runs) {
        if (isKey(text, run)) {
          const match = text.slice(run.start, run.end);
          yield { index: run.start, match, secret: { value: match, at: 0 } };
        }
      }
      runs.length = 0;
      schemeStart = -1;
      url = undefined;
      continue;
    }
    if (url && index >= url.start) url = followUrl(url, char, index, escapes);
    if (SCHEME_CHAR.test(char)) {
      if (schemeStart === -1) schemeStart = index;
      continue;
    }
    const opens = (!url || (index >= url.end && !url.queryOrFragment)) && char === ":" &&
      text.startsWith("//", index + 1) && schemeStart !== -1 && SCHEME_START.test(text[schemeStart] ?? "");
    if (opens) url = openUrl(text, schemeStart, index);
    schemeStart = -1;
  }
}
