import assert from "node:assert/strict";
import { join } from "node:path";
import type { DatabaseSync } from "node:sqlite";
import { openAgentDb } from "../../../src/state/agent_db.ts";
import { type Embedder, encodeEmbedding, syncMemoryIndex } from "../../../src/agent/memory/memory_index.ts";
import { buildFtsQuery, recencyFactor, searchMemoryIndex } from "../../../src/agent/memory/memory_search.ts";

const signal = new AbortController().signal;

async function withIndex(files: Record<string, string>, body: (db: DatabaseSync, ws: string) => Promise<void>) {
  const root = await Deno.makeTempDir();
  const ws = join(root, "ws");
  for (const [path, text] of Object.entries(files)) {
    await Deno.mkdir(join(ws, path, ".."), { recursive: true });
    await Deno.writeTextFile(join(ws, path), text);
  }
  const db = openAgentDb(join(root, "state"), "main");
  try {
    await body(db, ws);
  } finally {
    db.close();
    await Deno.remove(root, { recursive: true });
  }
}

const opts = { maxResults: 6, minScore: 0.35 };

Deno.test("FTS queries: words quoted and AND-ed; punctuation and FTS syntax never reach FTS5", () => {
  assert.equal(
    buildFtsQuery('roadmap "Q3" AND (Alice) -x* NEAR/2'),
    '"roadmap" AND "Q3" AND "AND" AND "Alice" AND "x" AND "NEAR" AND "2"',
  );
  assert.equal(buildFtsQuery("¿qué? café_latte"), '"qué" AND "café_latte"');
  assert.equal(buildFtsQuery(`"" ** () -- :`), null);
});

Deno.test("index and search: keyword hits with line ranges; special characters; nothing for no words", async () => {
  await withIndex({
    "MEMORY.md": "# Facts\n- The user's cat is named Biscuit.\n- Favourite colour: teal\n",
    "memory/notes/deep.md": 'Deploy key is stored in vault path "kv/prod" (rotate monthly).\n',
    "other.md": "not memory: Biscuit\n",
  }, async (db, ws) => {
    const sync = await syncMemoryIndex(db, ws, { signal });
    assert.deepEqual([sync.files, sync.indexed, sync.removed], [2, 2, 0]);
    const hits = searchMemoryIndex(db, "Biscuit", opts);
    assert.deepEqual(hits.map((h) => [h.path, h.startLine, h.endLine, h.source]), [["MEMORY.md", 2, 2, "memory"]]);
    assert.equal(hits[0]!.snippet, "- The user's cat is named Biscuit.");
    for (const query of ['"kv/prod"', "vault AND (rotate*)", "kv/prod -- ' ; DROP TABLE", "NEAR(vault rotate)"]) {
      assert.equal(searchMemoryIndex(db, query, opts)[0]?.path, "memory/notes/deep.md", query);
    }
    assert.deepEqual(searchMemoryIndex(db, "?!*()", opts), []);
    // A question in plain language: not every word is in the note, the meaningful ones are.
    assert.equal(searchMemoryIndex(db, "what is my cat called?", opts)[0]?.startLine, 2);
  });
});

Deno.test("sync by hash: unchanged files are left alone, edited ones re-chunked, deleted ones dropped", async () => {
  await withIndex({ "MEMORY.md": "- alpha fact\n", "memory/a.md": "beta fact\n" }, async (db, ws) => {
    await syncMemoryIndex(db, ws, { signal });
    const again = await syncMemoryIndex(db, ws, { signal });
    assert.deepEqual([again.indexed, again.removed], [0, 0]);
    await Deno.writeTextFile(join(ws, "MEMORY.md"), "- gamma fact\n");
    await Deno.remove(join(ws, "memory", "a.md"));
    const changed = await syncMemoryIndex(db, ws, { signal });
    assert.deepEqual([changed.indexed, changed.removed], [1, 1]);
    assert.deepEqual(searchMemoryIndex(db, "alpha", opts), []);
    assert.deepEqual(searchMemoryIndex(db, "beta", opts), []);
    assert.equal(searchMemoryIndex(db, "gamma", opts).length, 1);
    const forced = await syncMemoryIndex(db, ws, { signal, force: true });
    assert.equal(forced.indexed, 1);
    const meta = JSON.parse(
      String(db.prepare("SELECT value FROM memory_index_meta WHERE key = 'memory_index_meta_v1'").get()?.value),
    );
    assert.equal(meta.model, "fts-only");
    assert.equal(meta.providerKey, "b2f409223dd1bd19cedee3332de54748a5f323765d4cdcbbb29295199cfde125");
  });
});

/** Vectors by topic: texts about pets point one way, about money another. */
const fakeEmbedder: Embedder & { calls: string[][] } = {
  provider: "fake",
  model: "embed-1",
  calls: [],
  embed(texts) {
    fakeEmbedder.calls.push(texts);
    return Promise.resolve(
      texts.map((t) =>
        /cat|dog|pet|kitten/i.test(t) ? [1, 0.1, 0] : /money|budget|salary/i.test(t) ? [0, 1, 0.1] : [0.1, 0.1, 1]
      ),
    );
  },
};

Deno.test("embeddings: chunks stored as vectors, ranked by similarity in hybrid search", async () => {
  await withIndex({
    "memory/pets.md": "The kitten sleeps on the sofa.\n",
    "memory/money.md": "Monthly budget is 2000 euros.\n",
    "memory/misc.md": "Weather was nice.\n",
  }, async (db, ws) => {
    fakeEmbedder.calls.length = 0;
    await syncMemoryIndex(db, ws, { signal, embedder: fakeEmbedder });
    assert.equal(fakeEmbedder.calls.length, 3, "each changed file's chunks are embedded");
    const blob = db.prepare("SELECT embedding FROM memory_index_chunks WHERE path = 'memory/pets.md'").get()?.embedding;
    assert.ok(blob instanceof Uint8Array && blob.byteLength === 24, "three little-endian float64s");
    // "pet" appears in no note: only the vector finds it.
    const hits = searchMemoryIndex(db, "my pet", { ...opts, queryVector: [1, 0, 0], model: "embed-1" });
    assert.equal(hits[0]?.path, "memory/pets.md");
    assert.ok(hits.every((h) => h.score >= 0.35));
    const money = searchMemoryIndex(db, "budget", { ...opts, queryVector: [0, 1, 0], model: "embed-1" });
    assert.equal(money[0]?.path, "memory/money.md");
    // 0.7 × cosine (≈1) plus 0.3 × the keyword score: above what the vector alone gives.
    assert.ok(money[0]!.score > 0.7 * 0.99, `${money[0]!.score}`);
    // Switching to keyword-only re-indexes every file under the fts-only model.
    const resync = await syncMemoryIndex(db, ws, { signal });
    assert.equal(resync.indexed, 3);
  });
});

Deno.test("recency: dated daily notes decay with a 30-day half-life; evergreen files do not", () => {
  const now = Date.UTC(2026, 10, 30);
  assert.equal(recencyFactor("MEMORY.md", now), 1);
  assert.equal(recencyFactor("memory/topics.md", now), 1);
  assert.ok(Math.abs(recencyFactor("memory/2026-10-31.md", now) - 0.5) < 1e-9);
});

Deno.test("sync reads only files whose size or mtime changed, or that changed in the last seconds", async () => {
  await withIndex({ "memory/a.md": "alpha one\n" }, async (db, ws) => {
    const path = join(ws, "memory", "a.md");
    const old = new Date(Date.now() - 3_600_000);
    await Deno.utime(path, old, old);
    assert.equal((await syncMemoryIndex(db, ws, { signal })).indexed, 1);
    // Same size, same old mtime: vouched for by the stat alone, so not read.
    await Deno.writeTextFile(path, "omega one\n");
    await Deno.utime(path, old, old);
    assert.equal((await syncMemoryIndex(db, ws, { signal })).indexed, 0);
    // Modified just now: read and hashed, whatever its size.
    await Deno.writeTextFile(path, "omega two\n");
    assert.equal((await syncMemoryIndex(db, ws, { signal })).indexed, 1);
    assert.equal(searchMemoryIndex(db, "omega", opts)[0]?.snippet, "omega two\n");
  });
});

Deno.test("search: only the memory corpus; session transcript chunks the reference indexes beside it are not hits", async () => {
  await withIndex({ "memory/pets.md": "The kitten sleeps on the sofa.\n" }, async (db, ws) => {
    await syncMemoryIndex(db, ws, { signal, embedder: fakeEmbedder });
    db.prepare(
      `INSERT INTO memory_index_chunks (id, path, source, start_line, end_line, hash, model, text, embedding, updated_at)
       VALUES ('s1', 'sessions/x.jsonl', 'sessions', 1, 1, 'h', 'embed-1', 'the kitten in a transcript', ?, 0)`,
    ).run(encodeEmbedding([1, 0.1, 0]));
    const keyword = searchMemoryIndex(db, "kitten", opts);
    assert.deepEqual(keyword.map((h) => h.source), ["memory"]);
    const hybrid = searchMemoryIndex(db, "kitten", { ...opts, queryVector: [1, 0, 0], model: "embed-1" });
    assert.deepEqual(hybrid.map((h) => h.path), ["memory/pets.md"]);
  });
});
