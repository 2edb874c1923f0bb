// HTML to readable markdown for web_fetch, with no parser dependency: one pass over the tags that
// drops what a reader never sees (scripts, styles, hidden elements, embedded objects) and writes
// headings, paragraphs, lists and links as markdown. Enough for articles and docs
// pages; the reference runs Readability first and this same kind of cleanup when that finds nothing.

const DROPPED = new Set([
  "meta",
  "script",
  "style",
  "noscript",
  "template",
  "svg",
  "canvas",
  "iframe",
  "object",
  "embed",
  "head",
  "select",
  "textarea",
  "button",
]);
const VOID = new Set([
  "area",
  "base",
  "br",
  "col",
  "embed",
  "hr",
  "img",
  "input",
  "link",
  "meta",
  "param",
  "source",
  "track",
  "wbr",
]);
const BLOCK = new Set([
  "p",
  "div",
  "section",
  "article",
  "header",
  "footer",
  "main",
  "nav",
  "aside",
  "blockquote",
  "table",
  "form",
  "figure",
  "figcaption",
  "dl",
  "address",
  "details",
  "summary",
  "ul",
  "ol",
]);
const LINE = new Set(["tr", "dt", "dd", "caption"]);
const NAMED_ENTITIES: Record<string, string> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
  nbsp: " ",
  mdash: "—",
  ndash: "–",
  hellip: "…",
  copy: "©",
  reg: "®",
  trade: "™",
  rsquo: "’",
  lsquo: "‘",
  ldquo: "“",
  rdquo: "”",
  laquo: "«",
  raquo: "»",
  middot: "·",
  bull: "•",
};

/** Decodes HTML character references (numeric and the common named ones). */
export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (match, ref: string) => {
    if (ref[0] === "#") {
      const code = ref[1] === "x" || ref[1] === "X" ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : match;
    }
    return NAMED_ENTITIES[ref.toLowerCase()] ?? match;
  });
}

function attribute(attrs: string, name: string): string | undefined {
  const match = new RegExp(`(?:^|\\s)${name}\\s*=\\s*("([^"]*)"|'([^']*)'|([^\\s>]+))`, "i").exec(attrs);
  if (match) return decodeEntities(match[2] ?? match[3] ?? match[4] ?? "");
  return new RegExp(`(?:^|\\s)${name}(?:\\s|$)`, "i").test(attrs) ? "" : undefined;
}

const HIDDEN_CLASSES = new Set([
  "sr-only",
  "visually-hidden",
  "d-none",
  "hidden",
  "invisible",
  "screen-reader-only",
  "offscreen",
]);

/** Inline styles that hide text from a reader (the reference drops such elements: hidden prompt text). */
const HIDDEN_STYLES: [string, RegExp][] = [
  ["display", /^\s*none\s*$/i],
  ["visibility", /^\s*hidden\s*$/i],
  ["opacity", /^\s*0\s*$/],
  ["font-size", /^\s*0(px|em|rem|pt|%)?\s*$/i],
  ["text-indent", /^\s*-\d{4,}px\s*$/],
  ["color", /^\s*transparent\s*$/i],
  ["color", /^\s*rgba\s*\(\s*\d+\s*,\s*\d+\s*,\s*\d+\s*,\s*0(?:\.0+)?\s*\)\s*$/i],
  ["left", /^\s*-\d{4,}px\s*$/i],
  ["top", /^\s*-\d{4,}px\s*$/i],
];

function styleValue(style: string, property: string): string | undefined {
  return new RegExp(`(?:^|;)\\s*${property.replace(/-/g, "\\-")}\\s*:\\s*([^;]+)`, "i").exec(style)?.[1];
}

function isStyleHidden(style: string): boolean {
  if (!style) return false;
  if (HIDDEN_STYLES.some(([property, hidden]) => hidden.test(styleValue(style, property) ?? "x"))) return true;
  if (/scale\s*\(\s*0\s*\)|translate[XY]\s*\(\s*-\d{4,}px\s*\)/i.test(styleValue(style, "transform") ?? "")) {
    return true;
  }
  const zero = (property: string) => /^\s*0(px)?\s*$/i.test(styleValue(style, property) ?? "x");
  return zero("width") && zero("height") && /^\s*hidden\s*$/i.test(styleValue(style, "overflow") ?? "");
}

function isHidden(tag: string, attrs: string): boolean {
  if (attribute(attrs, "hidden") !== undefined) return true;
  if (attribute(attrs, "aria-hidden")?.toLowerCase() === "true") return true;
  if (tag === "input" && attribute(attrs, "type")?.toLowerCase() === "hidden") return true;
  if (isStyleHidden(attribute(attrs, "style") ?? "")) return true;
  const classes = (attribute(attrs, "class") ?? "").toLowerCase().split(/\s+/);
  return classes.some((name) => HIDDEN_CLASSES.has(name));
}

const TOKEN =
  /<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>|<![^>]*>|<(\/?)([a-zA-Z][a-zA-Z0-9:-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>|[^<]+|</g;

/** `href` resolved against the page's URL (links the model can fetch next); as written when that fails. */
function absolute(href: string | undefined, baseUrl: string | undefined): string | undefined {
  if (!href || !baseUrl) return href;
  try {
    return new URL(href, baseUrl).href;
  } catch {
    return href;
  }
}

/** The page title and its body as markdown; links resolve against `baseUrl` when given. */
export function htmlToMarkdown(html: string, baseUrl?: string): { title?: string; text: string } {
  const titleMatch = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(html);
  const title = titleMatch ? decodeEntities(titleMatch[1]!).replace(/\s+/g, " ").trim() : "";
  const out: string[] = [];
  const links: { href: string | undefined; at: number }[] = [];
  const lists: { ordered: boolean; count: number }[] = [];
  let skip: { tag: string; depth: number } | undefined;
  let pre = 0;
  for (const match of html.matchAll(TOKEN)) {
    const [token, closing, rawTag, attrs = ""] = match;
    if (!rawTag) {
      if (skip || token.startsWith("<!") || token.startsWith("<?")) continue;
      const text = decodeEntities(token);
      out.push(pre > 0 ? text : text.replace(/\s+/g, " "));
      continue;
    }
    const tag = rawTag.toLowerCase();
    const selfClosing = attrs.trimEnd().endsWith("/") || VOID.has(tag);
    if (skip) {
      if (tag === skip.tag && !selfClosing) skip.depth += closing ? -1 : 1;
      if (skip.depth === 0) skip = undefined;
      continue;
    }
    if (!closing && (DROPPED.has(tag) || isHidden(tag, attrs))) {
      if (!selfClosing) skip = { tag, depth: 1 };
      continue;
    }
    if (/^h[1-6]$/.test(tag)) out.push(closing ? "\n\n" : `\n\n${"#".repeat(Number(tag[1]))} `);
    else if (BLOCK.has(tag)) {
      out.push("\n\n");
      if (tag === "ul" || tag === "ol") closing ? lists.pop() : lists.push({ ordered: tag === "ol", count: 0 });
    } else if (LINE.has(tag)) out.push("\n");
    else if (tag === "li" && !closing) {
      const list = lists.at(-1);
      const indent = "  ".repeat(Math.max(0, lists.length - 1));
      out.push(`\n${indent}${list?.ordered ? `${++list.count}. ` : "- "}`);
    } else if (tag === "br") out.push("\n");
    else if (tag === "hr") out.push("\n\n---\n\n");
    else if (tag === "td" || tag === "th") out.push(closing ? " " : "");
    else if (tag === "pre") {
      // Line breaks inside preformatted text are kept; like the reference, no code fences or emphasis marks.
      pre += closing ? -1 : 1;
      out.push("\n\n");
    } else if (tag === "img" && !closing) {
      const src = absolute(attribute(attrs, "src"), baseUrl);
      if (src && !src.startsWith("data:")) out.push(`![${attribute(attrs, "alt") ?? ""}](${src})`);
    } else if (tag === "a") {
      if (!closing) links.push({ href: attribute(attrs, "href"), at: out.length });
      else {
        const link = links.pop();
        if (!link) continue;
        const text = out.splice(link.at).join("").replace(/\s+/g, " ").trim();
        const usable = link.href && !/^(javascript|data):/i.test(link.href) && !link.href.startsWith("#");
        out.push(usable && text ? `[${text}](${absolute(link.href, baseUrl)})` : text);
      }
    }
  }
  return { ...(title ? { title } : {}), text: normalizeWhitespace(out.join("")) };
}

/** Trailing spaces and the space collapsed whitespace leaves at a line start go; at most one blank line in a row. */
export function normalizeWhitespace(text: string): string {
  return text.replace(/\r/g, "").replace(/[ \t]+\n/g, "\n").replace(/\n (?=\S)/g, "\n").replace(/\n{3,}/g, "\n\n")
    .trim();
}

/** Markdown decoration removed, for `extractMode: "text"` (the reference's markdownToText). */
export function markdownToText(markdown: string): string {
  return normalizeWhitespace(
    markdown
      .replace(/!\[[^\]]*]\([^)]+\)/g, "")
      .replace(/\[([^\]]+)]\([^)]+\)/g, "$1")
      .replace(/```[^\n]*\n([\s\S]*?)```/g, "$1")
      .replace(/`([^`]+)`/g, "$1")
      .replace(/^#{1,6}\s+/gm, "")
      .replace(/^\s*[-*+]\s+/gm, "")
      .replace(/^\s*\d+\.\s+/gm, ""),
  );
}
