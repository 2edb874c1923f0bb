// HTML split into text and tags in one forward pass (indexOf and char checks, no backtracking
// regex): a fetched page is hostile input, and a regex that rescans the rest of the page at each
// `<` turns 750 KB of `<a<a<a` into minutes of blocked event loop. Comments, doctypes and
// processing instructions are dropped (one left open runs to the end, as in a browser); a tag left
// open at the end is kept as text.

/** One piece of the page: text as written (entities still encoded), or a start/end tag. */
export type HtmlToken =
  | { kind: "text"; text: string }
  | { kind: "tag"; tag: string; closing: boolean; attrs: string };

function isLetter(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

function isNameChar(code: number): boolean {
  return isLetter(code) || (code >= 48 && code <= 57) || code === 58 || code === 45; // digits, ':', '-'
}

function isSpace(char: string): boolean {
  return char === " " || char === "\t" || char === "\n" || char === "\r" || char === "\f";
}

/** Where the markup starting at `at` (a `<!` or `<?`) ends, past its closing delimiter. */
function skipDeclaration(html: string, at: number): number {
  const close = (delimiter: string, from: number) => {
    const end = html.indexOf(delimiter, from);
    return end === -1 ? html.length : end + delimiter.length;
  };
  if (html.startsWith("<!--", at)) return close("-->", at + 4);
  if (html.startsWith("<![CDATA[", at)) return close("]]>", at + 9);
  return close(">", at + 2);
}

/** The end of a tag's attributes: the first `>` outside a quoted attribute value (-1: none). */
function attributesEnd(html: string, from: number): number {
  let afterEquals = false;
  for (let at = from; at < html.length; at++) {
    const char = html[at]!;
    if (char === ">") return at;
    if ((char === '"' || char === "'") && afterEquals) {
      const close = html.indexOf(char, at + 1);
      if (close === -1) return -1;
      at = close;
      afterEquals = false;
    } else if (char === "=") afterEquals = true;
    else if (!isSpace(char)) afterEquals = false;
  }
  return -1;
}

/** The page's tokens in order; linear in its length whatever it holds. */
export function* htmlTokens(html: string): Generator<HtmlToken> {
  let at = 0;
  while (at < html.length) {
    const open = html.indexOf("<", at);
    if (open === -1) {
      yield { kind: "text", text: html.slice(at) };
      return;
    }
    if (open > at) yield { kind: "text", text: html.slice(at, open) };
    const next = html[open + 1];
    if (next === "!" || next === "?") {
      at = skipDeclaration(html, open);
      continue;
    }
    const closing = next === "/";
    const nameStart = open + (closing ? 2 : 1);
    if (!isLetter(html.charCodeAt(nameStart))) {
      // A `<` that starts no tag is text ("a < b").
      yield { kind: "text", text: "<" };
      at = open + 1;
      continue;
    }
    let nameEnd = nameStart + 1;
    while (nameEnd < html.length && isNameChar(html.charCodeAt(nameEnd))) nameEnd++;
    const end = attributesEnd(html, nameEnd);
    if (end === -1) {
      // No end for this tag: what is left is text ("a<b" at the end). Not rescanned from the next
      // `<`: that is the rescan that made the old tokenizer quadratic.
      yield { kind: "text", text: html.slice(open) };
      return;
    }
    yield { kind: "tag", tag: html.slice(nameStart, nameEnd), closing, attrs: html.slice(nameEnd, end) };
    at = end + 1;
  }
}
