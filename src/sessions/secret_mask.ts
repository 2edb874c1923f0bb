// How a found secret is shown, as the reference shows it: `***` when short, else its first 6 and last 4
// characters; a value's surrounding quotes and trailing delimiters (`",;)}]`) are not part of the secret.

const MASK_MIN_LENGTH = 18;
const TRAILING_DELIMITERS = /(["'`,;)}\]]+)$/u;
const DELIMITERS_ONLY = /^["'`,;)}\]]*$/u;
const QUOTES = new Set(['"', "'", "`"]);

/** A secret as the reference shows it: `***` when short, else its first 6 and last 4 characters. */
export function maskToken(token: string): string {
  if (token === "***" || token.length < MASK_MIN_LENGTH) return "***";
  return `${sliceWhole(token, 0, 6)}…${sliceWhole(token, -4)}`;
}

// A slice that does not cut a surrogate pair in half (an emoji stays whole or goes whole).
function sliceWhole(text: string, start: number, end?: number): string {
  let from = start < 0 ? Math.max(0, text.length + start) : start;
  let to = end === undefined ? text.length : end;
  if (from > 0 && isLowSurrogate(text.charCodeAt(from)) && isHighSurrogate(text.charCodeAt(from - 1))) from += 1;
  if (to < text.length && isLowSurrogate(text.charCodeAt(to)) && isHighSurrogate(text.charCodeAt(to - 1))) to -= 1;
  return text.slice(from, to);
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/** A value split into the secret (`maskable`), what follows it, and the span (from 0) the mask replaces. */
export interface SecretValueParts {
  maskable: string;
  suffix: string;
  maskEnd: number;
}

/** `token` without its quotes and trailing delimiters, which stay outside the mask. */
export function splitSecretValue(token: string): SecretValueParts {
  const quote = token[0] ?? "";
  if (QUOTES.has(quote)) {
    const closing = token.lastIndexOf(quote);
    if (closing > 0 && DELIMITERS_ONLY.test(token.slice(closing + 1))) {
      return { maskable: token.slice(1, closing), suffix: token.slice(closing + 1), maskEnd: closing + 1 };
    }
    const rest = token.slice(1);
    const trailing = rest.match(TRAILING_DELIMITERS)?.[1] ?? "";
    const cut = trailing && trailing.length < rest.length;
    const maskable = cut ? rest.slice(0, -trailing.length) : rest;
    return { maskable, suffix: cut ? trailing : "", maskEnd: 1 + maskable.length };
  }
  const trailing = token.match(TRAILING_DELIMITERS)?.[1] ?? "";
  const maskable = trailing && trailing.length < token.length ? token.slice(0, -trailing.length) : token;
  return { maskable, suffix: maskable === token ? "" : trailing, maskEnd: maskable.length };
}
