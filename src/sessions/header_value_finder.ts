// Finds an `Authorization:` value that must run to the end of the header (the reference's rules for a
// credential without a known scheme), in one pass. As one regex (prefix, `[^…]+`, end-of-value lookahead)
// every header name inside a long unbroken run would rescan that run to its end, which made a 280 KB line of
// repeated `Authorization:` take seconds; here each run is measured once and every header in it reuses that.
import { HEADER_CREDENTIAL_CHAR, HEADER_VALUE_END } from "./secret_field_shapes.ts";

/** A match and its secret: the credential and where it starts in the match. */
export interface FoundSecret {
  index: number;
  match: string;
  secret?: { value: string; at: number };
}

const PLACEHOLDER = "[REDACTED]";

/** A global, case-insensitive matcher of what precedes the credential (`prefixSource`). */
export function headerPrefix(prefixSource: string): RegExp {
  return new RegExp(`${prefixSource}(?=\\[REDACTED\\]|${HEADER_CREDENTIAL_CHAR})`, "gi");
}

/** The headers after `prefix` (from headerPrefix) whose credential runs to the end of the value, in order. */
export function* findHeaderValues(prefix: RegExp, text: string): Generator<FoundSecret> {
  const header = new RegExp(prefix.source, prefix.flags);
  const valueEnd = new RegExp(HEADER_VALUE_END, "y");
  const credential = new RegExp(`${HEADER_CREDENTIAL_CHAR}+`, "y");
  const endsValue = (at: number) => {
    valueEnd.lastIndex = at;
    return valueEnd.test(text);
  };
  // The credential run last measured: every start inside it ends where it ends.
  let runStart = -1;
  let runEnd = -1;
  let from = 0;
  while (from <= text.length) {
    header.lastIndex = from;
    const found = header.exec(text);
    if (!found) return;
    const start = found.index + found[0].length;
    let end = -1;
    if (text.startsWith(PLACEHOLDER, start) && endsValue(start + PLACEHOLDER.length)) end = start + PLACEHOLDER.length;
    else {
      if (start < runStart || start >= runEnd) {
        credential.lastIndex = start;
        runStart = start;
        runEnd = start + (credential.exec(text)?.[0].length ?? 0);
      }
      if (runEnd > start && endsValue(runEnd)) end = runEnd;
    }
    if (end < 0) {
      from = found.index + 1;
      continue;
    }
    yield {
      index: found.index,
      match: text.slice(found.index, end),
      secret: { value: text.slice(start, end), at: start - found.index },
    };
    from = end;
  }
}
