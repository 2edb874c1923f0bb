// The memory index of one agent, kept where the reference keeps it: the memory tables of the agent's
// database (`memory_index_sources`, `memory_index_chunks`, whose triggers fill the FTS5 table
// `memory_index_chunks_fts`, and `memory_index_meta`). Sources are MEMORY.md, USER.md and the
// Markdown files under memory/; a sync (run before each search) re-chunks the files whose hash
// changed and drops those gone. With an embedder, chunks carry embeddings (little-endian float64
// BLOBs, the reference's encoding) under the embedding model's name, else the model is "fts-only".
import type { DatabaseSync } from "node:sqlite";
import { join, relative } from "node:path";
import { getLogger } from "../../log/logger.ts";
import { DEFAULT_CHUNKING, isCuratedMemoryPath, markdownChunks, type MemoryChunk, sha256Text } from "./chunking.ts";

/** Turns texts into vectors (the agent's embedding model); absent means keyword search only. */
export interface Embedder {
  provider: string;
  model: string;
  embed(texts: string[], signal: AbortSignal): Promise<number[][]>;
}

/** A memory file of the workspace. */
export interface MemoryFile {
  /** Workspace-relative, with `/`. */
  path: string;
  abs: string;
}

/** What a sync did. */
export interface SyncResult {
  files: number;
  indexed: number;
  removed: number;
  chunks: number;
  /** Files over {@link MAX_MEMORY_FILE_BYTES}, not indexed. */
  skipped: string[];
}

const SOURCE = "memory";
const META_KEY = "memory_index_meta_v1";
const FTS_ONLY = "fts-only";
/** How recent a modification must be for size and mtime alone not to vouch for a file. */
const RACY_MS = 2_000;
/** A memory file larger than this is not indexed (the reference sets no cap; one file must not stall a run). */
export const MAX_MEMORY_FILE_BYTES = 8 * 1024 * 1024;
/** How long a sync works before giving the event loop a turn (and committing its batch). */
const SLICE_MS = 10;

/** Tells when a time slice is used up, and gives the event loop a turn. */
function createSlicer(): { due(): boolean; pause(): Promise<void> } {
  let started = performance.now();
  return {
    due: () => performance.now() - started >= SLICE_MS,
    pause: async () => {
      await new Promise((resolve) => setTimeout(resolve, 0));
      started = performance.now();
    },
  };
}

/** How deep under memory/ the walk goes (the reference sets none; this bounds a pathological tree). */
const MAX_WALK_DEPTH = 16;
/** How many memory files one listing takes at most. */
export const MAX_MEMORY_FILES = 10_000;

/**
 * MEMORY.md, USER.md (when present) and every `.md` under memory/, recursively, in name order;
 * symlinks are skipped, a symlinked memory/ too (the reference's rule), and the walk is bounded
 * by depth and file count.
 */
export async function listMemoryFiles(workspace: string): Promise<MemoryFile[]> {
  const files: MemoryFile[] = [];
  for (const name of ["MEMORY.md", "USER.md"]) {
    const abs = join(workspace, name);
    const stat = await Deno.lstat(abs).catch(() => undefined);
    if (stat?.isFile) files.push({ path: name, abs });
  }
  const walk = async (dir: string, depth: number) => {
    const entries: Deno.DirEntry[] = [];
    try {
      for await (const entry of Deno.readDir(dir)) {
        entries.push(entry);
        if (entries.length > MAX_MEMORY_FILES) break;
      }
    } catch {
      return;
    }
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      if (files.length >= MAX_MEMORY_FILES) return;
      const abs = join(dir, entry.name);
      // DirEntry flags describe the entry itself: a symlink is neither a directory nor a file here.
      if (entry.isDirectory && depth < MAX_WALK_DEPTH) await walk(abs, depth + 1);
      else if (entry.isFile && entry.name.endsWith(".md")) files.push({ path: relative(workspace, abs), abs });
    }
  };
  const memoryDir = join(workspace, "memory");
  const root = await Deno.lstat(memoryDir).catch(() => undefined);
  if (root?.isDirectory && !root.isSymlink) await walk(memoryDir, 1);
  return files;
}

/** The little-endian float64 encoding of a vector. */
export function encodeEmbedding(vector: readonly number[]): Uint8Array {
  const bytes = new Uint8Array(vector.length * 8);
  const view = new DataView(bytes.buffer);
  vector.forEach((value, i) => view.setFloat64(i * 8, value, true));
  return bytes;
}

/** A stored vector; empty when the BLOB is not one. */
export function decodeEmbedding(bytes: Uint8Array): number[] {
  if (bytes.byteLength % 8 !== 0) return [];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: number[] = [];
  for (let offset = 0; offset < bytes.byteLength; offset += 8) out.push(view.getFloat64(offset, true));
  return out;
}

function indexedSources(db: DatabaseSync): Map<string, { hash: string; mtime: number; size: number }> {
  const rows = db.prepare("SELECT path, hash, mtime, size FROM memory_index_sources WHERE source = ?").all(SOURCE);
  return new Map(
    rows.map((row) => [String(row.path), { hash: String(row.hash), mtime: Number(row.mtime), size: Number(row.size) }]),
  );
}

function modelsOf(db: DatabaseSync, path: string): string[] {
  return db.prepare("SELECT DISTINCT model FROM memory_index_chunks WHERE path = ? AND source = ?").all(path, SOURCE)
    .map((row) => String(row.model));
}

function inTransaction(db: DatabaseSync, work: () => void): void {
  db.exec("BEGIN IMMEDIATE");
  try {
    work();
    db.exec("COMMIT");
  } catch (error) {
    db.exec("ROLLBACK");
    throw error;
  }
}

/** Deletes a file's chunks a batch at a time, giving the event loop a turn between transactions. */
async function deleteChunks(db: DatabaseSync, path: string, slicer: ReturnType<typeof createSlicer>): Promise<void> {
  const deleteBatch = db.prepare(
    `DELETE FROM memory_index_chunks WHERE chunk_rowid IN
       (SELECT chunk_rowid FROM memory_index_chunks WHERE path = ? AND source = ? LIMIT 256)`,
  );
  let more = true;
  while (more) {
    if (slicer.due()) await slicer.pause();
    inTransaction(db, () => {
      do more = Number(deleteBatch.run(path, SOURCE).changes) > 0; while (more && !slicer.due());
    });
  }
}

/**
 * Replaces a file's chunks in short transactions, giving the event loop a turn between them, so
 * that a large file never holds the loop (or the database) for long. The source row (with the
 * new hash) is written last: a sync cut short re-indexes the file next time.
 */
async function writeSource(
  db: DatabaseSync,
  file: { path: string; hash: string; mtime: number; size: number },
  chunks: readonly MemoryChunk[],
  vectors: readonly number[][] | undefined,
  model: string,
  slicer: ReturnType<typeof createSlicer>,
): Promise<void> {
  const now = Date.now();
  await deleteChunks(db, file.path, slicer);
  const insert = db.prepare(
    `INSERT INTO memory_index_chunks (id, path, source, start_line, end_line, hash, model, text, embedding, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT(id) DO UPDATE SET hash = excluded.hash, model = excluded.model, text = excluded.text,
       embedding = excluded.embedding, updated_at = excluded.updated_at`,
  );
  // The reference keeps each chunk's provenance and (neutral) recall metadata beside it.
  const provenance = db.prepare(
    `INSERT INTO memory_index_chunk_provenance (chunk_id, origin_class, session_kind, observed_at) VALUES (?, 'agent', 'unknown', ?)
     ON CONFLICT(chunk_id) DO UPDATE SET observed_at = excluded.observed_at`,
  );
  const recall = db.prepare("INSERT OR IGNORE INTO memory_index_chunk_recall_metadata (chunk_id) VALUES (?)");
  let next = 0;
  while (next < chunks.length) {
    if (slicer.due()) await slicer.pause();
    inTransaction(db, () => {
      do {
        const chunk = chunks[next]!;
        // The reference's chunk id: the hash of source, path, range, text hash and model.
        const id = sha256Text(`${SOURCE}:${file.path}:${chunk.startLine}:${chunk.endLine}:${chunk.hash}:${model}`);
        const vector = encodeEmbedding(vectors?.[next] ?? []);
        insert.run(id, file.path, SOURCE, chunk.startLine, chunk.endLine, chunk.hash, model, chunk.text, vector, now);
        provenance.run(id, Math.max(0, Math.floor(file.mtime)));
        recall.run(id);
        next += 1;
      } while (next < chunks.length && !slicer.due());
    });
  }
  db.prepare(
    `INSERT INTO memory_index_sources (path, source, hash, mtime, size) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT(path, source) DO UPDATE SET hash = excluded.hash, mtime = excluded.mtime, size = excluded.size`,
  ).run(file.path, SOURCE, file.hash, file.mtime, file.size);
}

/**
 * The index identity the reference checks before trusting an index: the provider and model, the
 * hash of their cache key (`{provider, model}`), the configured sources (its default config
 * indexes sessions too, which it syncs itself), the scope hash (no extra paths, no multimodal)
 * and the chunking. With these the reference searches an index this gateway wrote as its own.
 */
export function indexMeta(embedder: Embedder | undefined, dims: number | undefined): Record<string, unknown> {
  const provider = embedder?.provider ?? "none";
  const model = embedder?.model ?? FTS_ONLY;
  return {
    model,
    provider,
    providerKey: sha256Text(JSON.stringify({ provider, model })),
    sources: ["memory", "sessions"],
    scopeHash: sha256Text(
      JSON.stringify({ extraPaths: [], multimodal: { enabled: false, modalities: [], maxFileBytes: 10_485_760 } }),
    ),
    chunkTokens: DEFAULT_CHUNKING.tokens,
    chunkOverlap: DEFAULT_CHUNKING.overlap,
    chunkingVersion: 5,
    ftsTokenizer: "unicode61",
    provenanceVersion: 1,
    ...(dims ? { vectorDims: dims } : {}),
  };
}

function writeMeta(db: DatabaseSync, embedder: Embedder | undefined, dims: number | undefined): void {
  db.prepare(
    "INSERT INTO memory_index_meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
  ).run(META_KEY, JSON.stringify(indexMeta(embedder, dims)));
}

/**
 * Brings the index up to date with the workspace: files whose content hash changed (or whose
 * chunks were embedded by another model) are re-chunked, files gone are dropped. `force`
 * re-indexes every file.
 */
export async function syncMemoryIndex(
  db: DatabaseSync,
  workspace: string,
  options: { embedder?: Embedder | undefined; force?: boolean; signal: AbortSignal },
): Promise<SyncResult> {
  const model = options.embedder?.model ?? FTS_ONLY;
  const files = await listMemoryFiles(workspace);
  const indexed = indexedSources(db);
  const result: SyncResult = { files: files.length, indexed: 0, removed: 0, chunks: 0, skipped: [] };
  let dims: number | undefined;
  const slicer = createSlicer();
  for (const file of files) {
    const known = indexed.get(file.path);
    indexed.delete(file.path);
    const stat = await Deno.lstat(file.abs).catch(() => undefined);
    if (!stat?.isFile) continue;
    if (stat.size > MAX_MEMORY_FILE_BYTES) {
      // Left as indexed before (if it was), so search still finds its older content.
      getLogger("memory").warn(
        "Memory file too large to index, skipped: path={path} size={size} limit={limit}; split it into smaller files",
        { path: file.path, size: stat.size, limit: MAX_MEMORY_FILE_BYTES },
      );
      result.skipped.push(file.path);
      continue;
    }
    const sameModel = () => modelsOf(db, file.path).every((m) => m === model);
    // Same size and modification time (ms; the reference stores fractions): not read again, unless
    // modified in the last seconds, when an edit of the same size could share the millisecond.
    const mtime = stat.mtime?.getTime() ?? -1;
    const untouched = known && known.size === stat.size && Math.floor(known.mtime) === mtime &&
      Date.now() - mtime > RACY_MS;
    if (untouched && !options.force && sameModel()) continue;
    let content: string;
    try {
      content = await Deno.readTextFile(file.abs);
    } catch {
      continue;
    }
    const hash = sha256Text(content);
    if (known?.hash === hash && !options.force && sameModel()) {
      db.prepare("UPDATE memory_index_sources SET mtime = ?, size = ? WHERE path = ? AND source = ?")
        .run(mtime, stat.size, file.path, SOURCE);
      continue;
    }
    if (slicer.due()) await slicer.pause();
    const chunks: MemoryChunk[] = [];
    for (const chunk of markdownChunks(content, { ...DEFAULT_CHUNKING, perEntry: isCuratedMemoryPath(file.path) })) {
      chunks.push(chunk);
      if (slicer.due()) await slicer.pause();
    }
    const vectors = options.embedder && chunks.length > 0
      ? await options.embedder.embed(chunks.map((c) => c.text), options.signal)
      : undefined;
    dims ??= vectors?.[0]?.length;
    const source = { path: file.path, hash, mtime: stat.mtime?.getTime() ?? 0, size: stat.size };
    await writeSource(db, source, chunks, vectors, model, slicer);
    result.indexed += 1;
    result.chunks += chunks.length;
  }
  for (const path of indexed.keys()) {
    await deleteChunks(db, path, slicer);
    db.prepare("DELETE FROM memory_index_sources WHERE path = ? AND source = ?").run(path, SOURCE);
  }
  result.removed = indexed.size;
  if (
    result.indexed > 0 || result.removed > 0 ||
    !db.prepare("SELECT 1 FROM memory_index_meta WHERE key = ?").get(META_KEY)
  ) {
    const stored = db.prepare("SELECT embedding FROM memory_index_chunks WHERE model = ? LIMIT 1").get(model);
    dims ??= stored?.embedding instanceof Uint8Array ? stored.embedding.byteLength / 8 : undefined;
    writeMeta(db, options.embedder, dims);
  }
  return result;
}
