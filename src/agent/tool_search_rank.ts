// How `tool_search` ranks the catalog for a query, as the reference 2026.9.6 does: lexical matching (BM25) of the
// query's words against each tool's name, id, label, description and parameter names and descriptions, with a light
// English suffix stripper so "scheduling" meets "schedule", stopwords dropped, and a few intent words ("remind",
// "link", "run") widened to the words tool descriptions use, at a discount so a related tool never beats one that
// matches the words typed. Pure: the index is built per search from the entries given.
import { isJsonObject } from "../log/json_object.ts";

/** BM25's term-frequency saturation and length normalization (the usual Okapi values). */
const K1 = 1.2;
const B = 0.75;

/** Words that tell tools apart by nothing; capability verbs ("get", "list") stay. */
const STOPWORDS: ReadonlySet<string> = new Set(
  ("a an and are as at be but by can do for from had has have here how i if in into is it its me my no not of on or " +
    "our so that the their them then there these they this to up us was we were what when where which who why will " +
    "with you your").split(" "),
);

/** Intent words, and the capability words a catalog says them with. */
const WIDENINGS: readonly { when: readonly string[]; add: readonly string[] }[] = [
  { when: ["look", "lookup", "google", "research"], add: ["search", "web", "find"] },
  { when: ["current", "today", "latest", "now", "recent", "news", "price", "weather"], add: ["search", "web"] },
  { when: ["url", "link", "page", "article", "site", "website"], add: ["fetch", "web", "browse"] },
  {
    when: ["remember", "recall", "memory", "earlier", "previously", "discussed", "decided"],
    add: ["memory", "recall", "history"],
  },
  {
    when: ["remind", "reminder", "later", "tomorrow", "daily", "weekly", "recurring"],
    add: ["schedule", "automations", "cron", "reminder"],
  },
  { when: ["say", "tell", "reply", "respond", "answer"], add: ["message", "send"] },
  { when: ["picture", "photo", "meme", "screenshot"], add: ["image"] },
  { when: ["speak", "say", "voice"], add: ["audio", "speech"] },
  { when: ["run", "execute", "command", "shell", "terminal"], add: ["exec", "process"] },
  { when: ["directory", "folder", "path"], add: ["file", "list"] },
];

/** The weight of a widened word: a hint, below any word the caller wrote. */
const WIDENED_WEIGHT = 0.35;

/** Words ending in `s` that are not plurals ("news" is not "new"). */
const NOT_PLURAL: ReadonlySet<string> = new Set(
  "news status alias canvas focus bonus virus atlas lens axis basis analysis gas bus plus".split(" "),
);

/** Suffixes stripped, in the order tried. */
const SUFFIXES = ["ies", "ing", "ed", "ly", "es", "er", "s", "e"];

/** Suffixes after which a consonant doubled by inflection is undone ("running" → "run"). */
const UNDOUBLE_AFTER: ReadonlySet<string> = new Set(["ing", "ed", "er"]);

/** Parts of a compound word: an acronym stays whole with its plural `s` ("URLs"), camelCase splits. */
const WORD_PARTS = /\p{Lu}+s?(?![\p{Ll}])|\p{Lu}?\p{Ll}+|\p{N}+/gu;

/** Lowercased words of `text`; an `_`-joined or camelCase word also yields its parts. */
function words(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.split(/[^\p{L}\p{N}_]+/u)) {
    if (!raw) continue;
    out.push(raw.toLowerCase());
    const parts = raw.split("_").flatMap((piece) => piece.match(WORD_PARTS) ?? []).map((p) => p.toLowerCase());
    if (parts.length >= 2) out.push(...parts);
  }
  return out;
}

function undouble(token: string): string {
  const last = token.at(-1);
  if (!last || last !== token.at(-2) || "lsfz".includes(last) || "aeiou".includes(last) || token.length <= 3) {
    return token;
  }
  return token.slice(0, -1);
}

function stripSuffix(token: string): string {
  if (token.length <= 3 || NOT_PLURAL.has(token)) return token;
  for (const suffix of SUFFIXES) {
    if (!token.endsWith(suffix) || token.length - suffix.length < 3) continue;
    if (suffix === "s" && token.endsWith("ss")) continue;
    if (suffix === "ies") return `${token.slice(0, -3)}y`;
    const stripped = token.slice(0, -suffix.length);
    return UNDOUBLE_AFTER.has(suffix) ? undouble(stripped) : stripped;
  }
  return token;
}

/** A word's root: suffixes stripped up to three times ("reminders" → "reminder" → "remind"). */
export function stem(token: string): string {
  let current = token;
  for (let pass = 0; pass < 3; pass += 1) {
    const next = stripSuffix(current);
    if (next === current) return current;
    current = next;
  }
  return current;
}

/** A word's roots: `-ies` is read both ways ("policies" → "policy", "cookies" → "cookie"). */
function roots(word: string): string[] {
  if (word.length > 4 && word.endsWith("ies")) {
    const base = word.slice(0, -3);
    return [`${base}y`, stem(`${base}ie`)];
  }
  const root = stem(word);
  return root ? [root] : [];
}

/** A word as an intent trigger: only singularized, since full stemming would make "news" fire on "new". */
function trigger(word: string): string {
  if (word.length > 4 && word.endsWith("ies")) return `${word.slice(0, -3)}y`;
  return word.length > 4 && word.endsWith("s") && !word.endsWith("ss") ? word.slice(0, -1) : word;
}

/** The indexed terms of a document. */
export function documentTerms(text: string): string[] {
  return words(text).filter((w) => !STOPWORDS.has(w)).flatMap(roots);
}

/** A query's terms with their weights: the words typed at 1, widened intent words discounted. */
export function queryTerms(query: string): { term: string; weight: number }[] {
  const typed = words(query).filter((w) => !STOPWORDS.has(w));
  const weights = new Map<string, number>();
  for (const term of typed.flatMap(roots)) weights.set(term, 1);
  const triggers = new Set(typed.map(trigger));
  for (const group of WIDENINGS) {
    if (!group.when.some((w) => triggers.has(trigger(w)))) continue;
    for (const word of group.add.map(stem)) weights.set(word, Math.max(weights.get(word) ?? 0, WIDENED_WEIGHT));
  }
  return [...weights].map(([term, weight]) => ({ term, weight }));
}

/** Parameter names and descriptions of a JSON Schema, nested four levels deep: often a task's only shared words. */
export function parameterText(schema: unknown): string {
  const parts: string[] = [];
  const walk = (node: unknown, depth: number) => {
    if (depth > 4 || !isJsonObject(node)) return;
    if (typeof node.description === "string" && node.description) parts.push(node.description);
    if (isJsonObject(node.properties)) {
      for (const [name, child] of Object.entries(node.properties)) {
        if (name) parts.push(name);
        walk(child, depth + 1);
      }
    }
    if (node.items !== undefined) walk(node.items, depth + 1);
  };
  walk(schema, 0);
  return parts.join(" ");
}

/** One scored document: its BM25 score, and whether it shares a word the caller typed (ranked first). */
export interface ScoredHit<T> {
  value: T;
  score: number;
  literal: boolean;
}

/** BM25 scores of `documents` for `terms`; only documents that match at all. An empty query scores nothing. */
export function scoreDocuments<T>(
  documents: readonly { value: T; terms: readonly string[] }[],
  terms: readonly { term: string; weight: number }[],
): ScoredHit<T>[] {
  if (terms.length === 0 || documents.length === 0) return [];
  const frequencies = documents.map((doc) => {
    const counts = new Map<string, number>();
    for (const term of doc.terms) counts.set(term, (counts.get(term) ?? 0) + 1);
    return counts;
  });
  const average = documents.reduce((sum, doc) => sum + doc.terms.length, 0) / documents.length;
  const hits: (ScoredHit<T> | undefined)[] = [];
  for (const { term, weight } of terms) {
    const matching = frequencies.filter((counts) => counts.has(term)).length;
    if (matching === 0) continue;
    const idf = Math.log(1 + (documents.length - matching + 0.5) / (matching + 0.5));
    for (const [i, counts] of frequencies.entries()) {
      const frequency = counts.get(term);
      if (!frequency) continue;
      const hit = hits[i] ??= { value: documents[i]!.value, score: 0, literal: false };
      if (weight >= 1) hit.literal = true;
      const length = average > 0 ? documents[i]!.terms.length / average : 1;
      hit.score += weight * (idf * frequency * (K1 + 1)) / (frequency + K1 * (1 - B + B * length));
    }
  }
  return hits.filter((hit): hit is ScoredHit<T> => hit !== undefined && hit.score > 0);
}
