import assert from "node:assert/strict";
import { documentTerms, queryTerms, scoreDocuments, stem } from "../../src/agent/tool_search_rank.ts";

Deno.test("the suffix stripper meets inflected forms at one root, and keeps roots that only look inflected", () => {
  assert.equal(stem("scheduling"), stem("schedule"));
  assert.equal(stem("running"), "run");
  assert.equal(stem("reminders"), "remind");
  assert.equal(stem("news"), "news");
  assert.equal(stem("process"), "process");
  assert.equal(stem("calling"), "call");
});

Deno.test("documents index compound words and their parts, without stopwords", () => {
  assert.deepEqual(documentTerms("the web_fetch of URLs"), ["web_fetch", "web", "fetch", "url"]);
  assert.deepEqual(documentTerms("getWeather"), ["getweath", "get", "weath"]);
});

Deno.test("intent words widen a query at a discount", () => {
  const terms = new Map(queryTerms("open this link").map((t) => [t.term, t.weight]));
  assert.equal(terms.get("link"), 1);
  assert.equal(terms.get("fetch"), 0.35);
  assert.equal(terms.has("this"), false);
});

Deno.test("BM25 ranks a precise document over a verbose one and scores no match at all", () => {
  const docs = [
    { value: "short", terms: documentTerms("fetch web page") },
    { value: "long", terms: documentTerms("fetch many things from many places slowly with care and detail") },
    { value: "none", terms: documentTerms("unrelated words") },
  ];
  const hits = scoreDocuments(docs, queryTerms("fetch page")).sort((a, b) => b.score - a.score);
  assert.deepEqual(hits.map((h) => h.value), ["short", "long"]);
  assert.ok(hits.every((h) => h.literal));
  assert.deepEqual(scoreDocuments(docs, []), []);
});
