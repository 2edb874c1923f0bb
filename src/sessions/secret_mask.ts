// How a found secret is shown, as the reference shows it: `***` when short, else its first 6 and last 4
// characters; a value's surrounding quotes and trailing delimiters (`",;)}]`) are not part of the secret.
import { sliceUtf16Safe } from "../text/utf16_slice.ts";

const MASK_MIN_LENGTH = 18;
const TRAILING_DELIMITERS = /(["'`,;)}\]]+)$/u;
const DELIMITERS_ONLY = /^["'`,;)}\]]*$/u;
const QUOTES = new Set(['"', "'", "`"]);

/** A secret as the reference shows it: `***` when short, else its first 6 and last 4 characters. */
export function maskToken(token: string): string {
  if (token === "***" || token.length < MASK_MIN_LENGTH) return "***";
  return `${sliceUtf16Safe(token, 0, 6)}…${sliceUtf16Safe(token, -4)}`;
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
