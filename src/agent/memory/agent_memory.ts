// One agent's memory end to end, for the tools, the `memory.search` method and the CLI: its
// database opened for the call, the index synced with its workspace (by hash, so only changed
// files are re-read into chunks), then searched; its embedder is the agent's embedding model
// (`memorySearch.provider` / `.model`) through the provider's OpenAI-compatible /embeddings.
import type { DatabaseSync } from "node:sqlite";
import type { StateDbAccess } from "../../state/state_write_fence.ts";
import type { AgentsConfig, AgentSpec } from "../agents_config.ts";
import { embedTexts } from "../provider.ts";
import { sha256Text } from "./chunking.ts";
import { type Embedder, listMemoryFiles, syncMemoryIndex, type SyncResult } from "./memory_index.ts";
import { type MemorySearchResult, searchMemoryIndex } from "./memory_search.ts";

/** The default number of hits (`memory.search.query.maxResults`). */
export const DEFAULT_MAX_RESULTS = 6;
/** The default relevance floor (`memory.search.query.minScore`). */
export const DEFAULT_MIN_SCORE = 0.35;

/**
 * The agent's embedder: `memory.search.provider`/`.model` when both name a configured provider and
 * model ("none" means keywords only), else the agent's `memorySearch` model; undefined for
 * keyword-only search (no embedding model, or its provider unknown).
 */
export function agentEmbedder(agent: AgentSpec, providers: AgentsConfig["providers"]): Embedder | undefined {
  const memory = agent.memory;
  if (memory?.provider === "none") return undefined;
  const ref = memory?.provider && memory.model ? { provider: memory.provider, model: memory.model } : agent.embedding;
  const provider = ref ? providers.get(ref.provider) : undefined;
  if (!ref || !provider) return undefined;
  return {
    provider: ref.provider,
    model: ref.model,
    embed: async (values, signal) => (await embedTexts({ provider, model: ref.model, values, signal })).embeddings,
  };
}

/** Which agent database, and how a new one is registered in the shared state database (the ownership fence). */
export interface AgentDbAt {
  stateDir: string;
  agentId: string;
  /** Default: an unsupervised write. */
  stateAccess?: StateDbAccess | undefined;
}

/** Runs `work` on the agent's database, closed afterwards. */
export async function withAgentDb<T>(at: AgentDbAt, work: (db: DatabaseSync) => Promise<T>): Promise<T> {
  // Loaded on first use: node:sqlite and the schema stay off the gateway's start path.
  const { openAgentDb } = await import("../../state/agent_db.ts");
  const db = openAgentDb(at.stateDir, at.agentId, at.stateAccess);
  try {
    return await work(db);
  } finally {
    db.close();
  }
}

/** What a search answers: the hits and how they were found. */
export interface MemorySearchOutcome {
  results: MemorySearchResult[];
  provider: string;
  model: string;
  mode: "hybrid" | "fts-only";
  sync: SyncResult;
}

/** Syncs the agent's index, then searches it. */
export function searchAgentMemory(input: {
  stateDir: string;
  agent: AgentSpec;
  embedder: Embedder | undefined;
  query: string;
  maxResults?: number | undefined;
  minScore?: number | undefined;
  /** How a new agent database is registered (the ownership fence); default: an unsupervised write. */
  stateAccess?: StateDbAccess | undefined;
  signal: AbortSignal;
}): Promise<MemorySearchOutcome> {
  const { agent, embedder } = input;
  return withAgentDb({ stateDir: input.stateDir, agentId: agent.id, stateAccess: input.stateAccess }, async (db) => {
    const sync = await syncMemoryIndex(db, agent.workspace, { embedder, signal: input.signal });
    const queryVector = embedder ? (await embedder.embed([input.query], input.signal))[0] : undefined;
    const results = searchMemoryIndex(db, input.query, {
      maxResults: input.maxResults ?? agent.memory?.maxResults ?? DEFAULT_MAX_RESULTS,
      minScore: input.minScore ?? agent.memory?.minScore ?? DEFAULT_MIN_SCORE,
      queryVector,
      model: embedder?.model,
    });
    return {
      results,
      provider: embedder?.provider ?? "none",
      model: embedder?.model ?? "fts-only",
      mode: embedder ? "hybrid" : "fts-only",
      sync,
    };
  });
}

/** The index's counts for `memory status`. */
export interface MemoryIndexStatus {
  files: number;
  chunks: number;
  dirty: boolean;
}

/** Reads the index's counts; `dirty` when a file's hash differs from the indexed one (read-only). */
export function agentMemoryStatus(
  stateDir: string,
  agent: AgentSpec,
  options: { stateAccess?: StateDbAccess | undefined } = {},
): Promise<MemoryIndexStatus> {
  return withAgentDb({ stateDir, agentId: agent.id, stateAccess: options.stateAccess }, async (db) => {
    const files = Number(db.prepare("SELECT COUNT(*) AS n FROM memory_index_sources WHERE source = 'memory'").get()?.n);
    const chunks = Number(db.prepare("SELECT COUNT(*) AS n FROM memory_index_chunks WHERE source = 'memory'").get()?.n);
    const indexed = new Map(
      db.prepare("SELECT path, hash FROM memory_index_sources WHERE source = 'memory'").all().map((r) => [
        String(r.path),
        String(r.hash),
      ]),
    );
    const present = await listMemoryFiles(agent.workspace);
    let dirty = present.length !== indexed.size;
    for (const file of present) {
      if (dirty) break;
      const text = await Deno.readTextFile(file.abs).catch(() => "");
      dirty = indexed.get(file.path) !== sha256Text(text);
    }
    return { files, chunks, dirty };
  });
}
