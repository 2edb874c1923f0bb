// HTML to readable markdown for web_fetch, with no parser dependency: one pass over the tags that
// drops what a reader never sees (scripts, styles, hidden elements, embedded objects) and writes
// headings, paragraphs, lists and links as markdown. Enough for articles and docs
// pages; the reference runs Readability first and this same kind of cleanup when that finds nothing.

import { htmlTokens } from "./html_tokens.ts";
import { normalizeWhitespace } from "./markdown_text.ts";

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
  if (!text.includes("&")) return text;
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (match, ref: string) => {
    if (ref[0] === "#") {
      const code = ref[1] === "x" || ref[1] === "X" ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : match;
    }
    return NAMED_ENTITIES[ref.toLowerCase()] ?? match;
  });
}

/** The attributes read, each with its value and bare-name patterns, compiled once (not per tag). */
const ATTRIBUTE_PATTERNS = new Map(
  ["hidden", "aria-hidden", "type", "style", "class", "src", "alt", "href"].map((name) => [name, {
    value: new RegExp(`(?:^|\\s)${name}\\s*=\\s*("([^"]*)"|'([^']*)'|([^\\s>]+))`, "i"),
    bare: new RegExp(`(?:^|\\s)${name}(?:\\s|$)`, "i"),
  }]),
);

function attribute(attrs: string, name: string): string | undefined {
  if (!attrs) return undefined;
  const patterns = ATTRIBUTE_PATTERNS.get(name)!;
  const match = patterns.value.exec(attrs);
  if (match) return decodeEntities(match[2] ?? match[3] ?? match[4] ?? "");
  return patterns.bare.test(attrs) ? "" : undefined;
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

/** The style properties read, compiled once. */
const STYLE_PATTERNS = new Map(
  [...new Set([...HIDDEN_STYLES.map(([property]) => property), "transform", "width", "height", "overflow"])].map((
    property,
  ) => [property, new RegExp(`(?:^|;)\\s*${property.replace(/-/g, "\\-")}\\s*:\\s*([^;]+)`, "i")]),
);

function styleValue(style: string, property: string): string | undefined {
  return STYLE_PATTERNS.get(property)!.exec(style)?.[1];
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
  if (!attrs) return false;
  if (attribute(attrs, "hidden") !== undefined) return true;
  if (attribute(attrs, "aria-hidden")?.toLowerCase() === "true") return true;
  if (tag === "input" && attribute(attrs, "type")?.toLowerCase() === "hidden") return true;
  if (isStyleHidden(attribute(attrs, "style") ?? "")) return true;
  const classes = (attribute(attrs, "class") ?? "").toLowerCase().split(/\s+/);
  return classes.some((name) => HIDDEN_CLASSES.has(name));
}

/** Deeper lists are indented as this one: the indent stays bounded however deep the page nests. */
const MAX_LIST_INDENT = 8;

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
  const title = titleText(html);
  const out: string[] = [];
  const links: { href: string | undefined; at: number }[] = [];
  const lists: { ordered: boolean; count: number }[] = [];
  let skip: { tag: string; depth: number } | undefined;
  let pre = 0;
  for (const token of htmlTokens(html)) {
    if (token.kind === "text") {
      if (skip) continue;
      const text = decodeEntities(token.text);
      out.push(pre > 0 ? text : text.replace(/\s+/g, " "));
      continue;
    }
    const { closing, attrs } = token;
    const tag = token.tag.toLowerCase();
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
      const indent = "  ".repeat(Math.min(MAX_LIST_INDENT, Math.max(0, lists.length - 1)));
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
      // Links do not nest (a new <a> ends the open one, as in a browser): each piece of text is
      // joined into one link once, not again for every enclosing level.
      const link = links.pop();
      if (link) out.push(linkText(out.splice(link.at).join(""), link.href, baseUrl));
      if (!closing) links.push({ href: attribute(attrs, "href"), at: out.length });
    }
  }
  return { ...(title ? { title } : {}), text: normalizeWhitespace(out.join("")) };
}

function linkText(inner: string, href: string | undefined, baseUrl: string | undefined): string {
  const text = inner.replace(/\s+/g, " ").trim();
  const usable = href && !/^(javascript|data):/i.test(href) && !href.startsWith("#");
  return usable && text ? `[${text}](${absolute(href, baseUrl)})` : text;
}

/** The first <title>'s text, found with plain searches (a lazy regex rescans the page per `<title`). */
function titleText(html: string): string {
  const open = /<title/gi.exec(html);
  if (!open) return "";
  const start = html.indexOf(">", open.index);
  if (start === -1) return "";
  const close = /<\/title>/gi;
  close.lastIndex = start + 1;
  const end = close.exec(html);
  return end ? decodeEntities(html.slice(start + 1, end.index)).replace(/\s+/g, " ").trim() : "";
}

export { markdownToText } from "./markdown_text.ts";
