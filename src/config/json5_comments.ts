// Whether a JSON5 config text holds comments, which a config write (always plain JSON) drops.

/** True when `raw` has a `//` or `/*` comment outside its strings. */
export function hasJson5Comments(raw: string): boolean {
  let quote: string | undefined;
  for (let index = 0; index < raw.length; index += 1) {
    const char = raw[index];
    if (quote) {
      // An escaped character (a quote included) never ends the string.
      if (char === "\\") index += 1;
      else if (char === quote) quote = undefined;
      continue;
    }
    if (char === '"' || char === "'") {
      quote = char;
      continue;
    }
    if (char === "/" && (raw[index + 1] === "/" || raw[index + 1] === "*")) return true;
  }
  return false;
}

/** The reference's warning, word for word, when a write will drop the comments of `path`. */
export function json5CommentsWarning(raw: string, path: string): string | undefined {
  return hasJson5Comments(raw) ? `Config write will strip JSON5 comments from ${path}.` : undefined;
}
