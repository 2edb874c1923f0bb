// Searching the memory index as the reference does: keyword search through FTS5 (every word of the
// query, quoted, AND-ed; BM25 rank mapped to 0..1), and with an embedder a hybrid of cosine
// similarity over the stored vectors (weight 0.7) and the keyword score (0.3); dated daily notes
// (memory/YYYY-MM-DD.md) decay with a 30-day half-life. Results under `minScore` are dropped; a
// keyword-only search that leaves none keeps its best matches instead, as the reference does.
import type { DatabaseSync } from "node:sqlite";
import { decodeEmbedding } from "./memory_index.ts";

/** One hit, in the reference's shape. */
/** Where an indexed chunk came from (the reference's provenance row). */
export interface ChunkProvenance {
  originClass: string;
  sessionKind: string;
  observedAt: number;
}

/** One hit, in the reference's shape (key order included). */
export interface MemorySearchResult {
  path: string;
  startLine: number;
  endLine: number;
  score: number;
  /** Cosine similarity to the query (hybrid search only). */
  vectorScore?: number | undefined;
  textScore: number;
  snippet: string;
  source: string;
  provenance?: ChunkProvenance | undefined;
}

/** Limits of one search. */
export interface SearchOptions {
  maxResults: number;
  minScore: number;
  /** The query's embedding: hybrid search when present. */
  queryVector?: number[] | undefined;
  /** The embedding model whose chunks the vector is compared with. */
  model?: string | undefined;
  now?: number | undefined;
}

const SNIPPET_MAX_CHARS = 700;
const VECTOR_WEIGHT = 0.7;
const TEXT_WEIGHT = 0.3;
const CANDIDATE_MULTIPLIER = 4;
const HALF_LIFE_DAYS = 30;
const DAY_MS = 86_400_000;

/** The FTS5 query of a search text: its words, each quoted, all required; null when it has none. */
export function buildFtsQuery(raw: string): string | null {
  const tokens = (raw.normalize("NFC").match(/[\p{L}\p{N}_]+/gu) ?? []).map((t) => t.trim()).filter(Boolean);
  if (tokens.length === 0) return null;
  return tokens.map((token) => `"${token.replaceAll('"', "")}"`).join(" AND ");
}

/** A BM25 rank (lower is better, negative in FTS5) as a 0..1 score. */
export function bm25RankToScore(rank: number): number {
  if (!Number.isFinite(rank)) return 1 / 1000;
  if (rank < 0) return -rank / (1 + -rank);
  return 1 / (1 + rank);
}

/** Cosine similarity; 0 when either vector is empty or zero. */
export function cosineSimilarity(a: readonly number[], b: readonly number[]): number {
  const len = Math.min(a.length, b.length);
  if (len === 0) return 0;
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < len; i += 1) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return na === 0 || nb === 0 ? 0 : dot / (Math.sqrt(na) * Math.sqrt(nb));
}

interface Candidate extends MemorySearchResult {
  id: string;
  textScore: number;
  vectorScore: number;
}

function row(r: Record<string, unknown>, score: number): Candidate {
  return {
    id: String(r.id),
    path: String(r.path),
    startLine: Number(r.start_line),
    endLine: Number(r.end_line),
    score,
    snippet: String(r.text).slice(0, SNIPPET_MAX_CHARS),
    source: String(r.source),
    textScore: 0,
    vectorScore: 0,
  };
}

/** Words too common to decide a match when the query is asked in plain language. */
const STOP_WORDS = new Set(
  ("a an and are as at be but by do does did for from has have how i in is it its me my of on or s " +
    "so t that the their them they this to was we were what when where which who why will with you your").split(" "),
);

function ftsRows(db: DatabaseSync, match: string, limit: number): Record<string, unknown>[] {
  return db.prepare(
    `SELECT c.id, c.path, c.start_line, c.end_line, c.text, c.source, bm25(memory_index_chunks_fts) AS rank
       FROM memory_index_chunks_fts JOIN memory_index_chunks c ON c.chunk_rowid = memory_index_chunks_fts.rowid
      WHERE memory_index_chunks_fts MATCH ? AND c.source = 'memory' ORDER BY rank LIMIT ?`,
  ).all(match, limit);
}

const tokensOf = (text: string) => (text.normalize("NFC").toLowerCase().match(/[\p{L}\p{N}_]+/gu) ?? []);

/**
 * A keyword hit's score as the reference boosts it: the BM25 score plus the share of query words
 * the chunk holds (× 0.45), their density among its words (× 0.2), 0.18 per query word in the
 * path and up to 0.18 for the text's length; at most 1.
 */
export function keywordScore(ftsScore: number, words: readonly string[], text: string, path: string): number {
  if (words.length === 0) return ftsScore;
  const tokens = new Set(tokensOf(text));
  const overlap = words.filter((word) => tokens.has(word)).length;
  const lowerPath = path.normalize("NFC").toLowerCase();
  const pathBoost = words.reduce((sum, word) => sum + (lowerPath.includes(word) ? 0.18 : 0), 0);
  const boost = (overlap / words.length) * 0.45 + (overlap / Math.max(tokens.size, 1)) * 0.2 + pathBoost +
    Math.min(text.length / 160, 0.18);
  return Math.min(1, ftsScore + boost);
}

/**
 * Keyword hits: every word required first; when that finds nothing, any of the query's
 * meaningful words (a question in plain language rarely has all its words in one note).
 */
function keywordCandidates(db: DatabaseSync, query: string, limit: number): Candidate[] {
  const fts = buildFtsQuery(query);
  if (!fts) return [];
  const all = [...new Set(tokensOf(query))];
  const scored = (rows: Record<string, unknown>[], words: readonly string[]) =>
    rows.map((r) => {
      const score = keywordScore(bm25RankToScore(Number(r.rank)), words, String(r.text), String(r.path));
      const candidate = row(r, score);
      candidate.textScore = score;
      return candidate;
    }).sort((a, b) => b.score - a.score);
  const strict = ftsRows(db, fts, limit);
  if (strict.length > 0) return scored(strict, all);
  const words = all.filter((word) => word.length > 1 && !STOP_WORDS.has(word));
  if (words.length === 0) return [];
  return scored(ftsRows(db, words.map((word) => `"${word}"`).join(" OR "), limit), words);
}

function vectorCandidates(db: DatabaseSync, vector: readonly number[], model: string, limit: number): Candidate[] {
  const scored: Candidate[] = [];
  for (
    const r of db.prepare(
      "SELECT id, path, start_line, end_line, text, source, embedding FROM memory_index_chunks WHERE model = ? AND source = 'memory'",
    ).iterate(model)
  ) {
    const stored = r.embedding instanceof Uint8Array ? decodeEmbedding(r.embedding) : [];
    const candidate = row(r, cosineSimilarity(vector, stored));
    candidate.vectorScore = candidate.score;
    scored.push(candidate);
  }
  return scored.sort((a, b) => b.score - a.score).slice(0, limit);
}

/** The decay factor of a dated daily note (`memory/2026-01-31.md`); 1 for evergreen files. */
export function recencyFactor(path: string, now: number): number {
  const match = /(?:^|\/)(\d{4})-(\d{2})-(\d{2})\.md$/.exec(path);
  if (!match || !path.startsWith("memory/")) return 1;
  const at = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  if (!Number.isFinite(at)) return 1;
  const ageDays = Math.max(0, (now - at) / DAY_MS);
  return Math.pow(0.5, ageDays / HALF_LIFE_DAYS);
}

const byScore = (a: Candidate, b: Candidate) =>
  b.score - a.score || a.path.localeCompare(b.path) || a.startLine - b.startLine;

/** Searches the index; best first, at most `maxResults`. */
export function searchMemoryIndex(db: DatabaseSync, query: string, options: SearchOptions): MemorySearchResult[] {
  const now = options.now ?? Date.now();
  const limit = Math.max(1, options.maxResults) * CANDIDATE_MULTIPLIER;
  const keyword = keywordCandidates(db, query, limit);
  const provenance = db.prepare(
    "SELECT origin_class, session_kind, observed_at FROM memory_index_chunk_provenance WHERE chunk_id = ?",
  );
  const hybrid = Boolean(options.queryVector && options.model);
  const strip = (c: Candidate): MemorySearchResult => {
    const row = provenance.get(c.id);
    return {
      path: c.path,
      startLine: c.startLine,
      endLine: c.endLine,
      score: c.score,
      ...(hybrid ? { vectorScore: c.vectorScore } : {}),
      textScore: c.textScore,
      snippet: c.snippet,
      source: c.source,
      ...(row
        ? {
          provenance: {
            originClass: String(row.origin_class),
            sessionKind: String(row.session_kind),
            observedAt: Number(row.observed_at),
          },
        }
        : {}),
    };
  };
  if (!options.queryVector || !options.model) {
    const ranked = keyword.map((c) => ({ ...c, score: c.score * recencyFactor(c.path, now) })).sort(byScore);
    const strict = ranked.filter((c) => c.score >= options.minScore);
    return (strict.length > 0 ? strict : ranked).slice(0, options.maxResults).map(strip);
  }
  const merged = new Map<string, Candidate>();
  for (const c of vectorCandidates(db, options.queryVector, options.model, limit)) merged.set(c.id, c);
  for (const c of keyword) {
    const existing = merged.get(c.id);
    if (existing) existing.textScore = c.textScore;
    else merged.set(c.id, c);
  }
  return [...merged.values()]
    .map((c) => ({
      ...c,
      score: (VECTOR_WEIGHT * c.vectorScore + TEXT_WEIGHT * c.textScore) * recencyFactor(c.path, now),
    }))
    .filter((c) => c.score >= options.minScore)
    .sort(byScore)
    .slice(0, options.maxResults)
    .map(strip);
}
