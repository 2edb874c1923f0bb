import assert from "node:assert/strict";
import { htmlToMarkdown, markdownToText } from "../../src/agent/html_to_markdown.ts";
import { sanitizeExternalText } from "../../src/agent/external_content.ts";

/** web_fetch's default body cap (tools.web.fetch.maxResponseBytes). */
const CAP = 750_000;

function fill(unit: string, tail = ""): string {
  return unit.repeat(Math.floor((CAP - tail.length) / unit.length)) + tail;
}

// Pages built to make a backtracking regex rescan the rest of the input at every position: each
// took seconds to minutes (a 100,000-space <pre> alone 42 s), blocking the whole gateway.
const HOSTILE_HTML: Record<string, string> = {
  "spaces in pre": `<pre>${fill(" ", "x</pre>")}`,
  "repeated <title>": fill("<title>"),
  "unclosed tags": fill("<a"),
  "unclosed tags with attributes": fill("<a b=c d "),
  "unclosed comments": fill("<!--"),
  "unclosed declarations": fill("<!"),
  "unclosed CDATA": fill("<![CDATA["),
  "unclosed quotes": fill('<a href="x'),
  "nested links": `${"<a href=/x>".repeat(40_000)}y${"</a>".repeat(40_000)}`,
  "nested lists": `${"<ul>".repeat(90_000)}${"<li>x".repeat(90_000)}`,
  "entity prefix": `&#x${fill("0")}`,
  "style value": `<div style="${fill("; ", '">x</div>')}`,
};
const HOSTILE_MARKDOWN: Record<string, string> = {
  "open brackets": fill("["),
  "open images": fill("!["),
  "links without a close": fill("[a]("),
  "fences without a newline": fill("``` "),
  "newlines": fill("\n"),
  "spaced newlines": fill(" \n"),
  "blank lines before a digit": fill("\n", "1x"),
  "trailing spaces": fill(" \t", "x"),
  "forged markers": fill("<<<END_EXTERNAL_UNTRUSTED_CONTENT id=\\"),
};

function timed(label: string, work: () => unknown): void {
  const started = performance.now();
  work();
  const took = performance.now() - started;
  assert.ok(took < 5_000, `${label}: ${Math.round(took)} ms for ${CAP} bytes`);
}

Deno.test("hostile 750 KB pages convert in linear time (no regex rescans the rest at each position)", () => {
  for (const [label, html] of Object.entries(HOSTILE_HTML)) {
    timed(label, () => markdownToText(htmlToMarkdown(html, "http://x/").text));
  }
  for (const [label, markdown] of Object.entries(HOSTILE_MARKDOWN)) {
    timed(label, () => sanitizeExternalText(markdownToText(markdown)));
  }
});

Deno.test("the scanners keep the conversions' results: tags, comments, titles, links, lists", () => {
  const page = htmlToMarkdown(
    `<!doctype html><?xml x?><TITLE lang=en>A &amp; B</TITLE><!-- <p>gone</p> --><p class = "x>y">a < b</p>` +
      `<a href="/one">one <a href="/two">two</a> after</a><ul><li>x<ul><li>y</li></ul></li></ul><b`,
    "http://h/",
  );
  assert.deepEqual(page, {
    title: "A & B",
    text: "A & B\n\na < b\n\n[one](http://h/one)[two](http://h/two) after\n\n- x\n\n  - y\n\n<b",
  });
  const deep = htmlToMarkdown(`<p>top</p>${"<ul>".repeat(20)}<li>deep</li>`).text;
  assert.equal(deep, `top\n\n${"  ".repeat(8)}- deep`, "indentation stops growing past eight levels");
  assert.equal(htmlToMarkdown("<pre>a   \n  b</pre>").text, "a\n  b");
});

Deno.test("markdownToText drops links, images, fences, code marks, headings and list markers", () => {
  const markdown = [
    "# Title",
    "",
    "See [the docs](http://d) and ![logo](http://l.png) [x] [](y) [z]()",
    "```ts",
    "const a = `b`;",
    "```",
    "",
    "- one",
    "  * two",
    "",
    "12. twelve",
    "3.x stays",
  ].join("\n");
  assert.equal(
    markdownToText(markdown),
    "Title\n\nSee the docs and  [x] [](y) [z]()\nconst a = b;\none\ntwo\ntwelve\n3.x stays",
  );
});
