// One agent's memory index on this host, for the CLI (`openclaw memory ...`), which may not reach
// into agent/ itself: status, a (forced) reindex and a search of the agent's database, read
// with the config this host has, without a running gateway.
import { agentEmbedder, agentMemoryStatus, searchAgentMemory, withAgentDb } from "../agent/memory/agent_memory.ts";
import { listMemoryFiles, syncMemoryIndex, type SyncResult } from "../agent/memory/memory_index.ts";
import type { MemorySearchResult } from "../agent/memory/memory_search.ts";
import { loadConfig } from "../config/load.ts";
import type { GatewayPaths } from "../config/paths.ts";
import type { AgentsConfig, AgentSpec } from "../config/resolve_agents.ts";
import { resolveAgents } from "../config/resolve_agents.ts";
import { agentDbPath } from "../state/agent_db.ts";
import { type StateDbAccess, writeAccessFor } from "../state/state_write_fence.ts";

export type { MemorySearchResult } from "../agent/memory/memory_search.ts";

/** The agent a memory command works on, with what it needs. */
export interface LocalMemory {
  agent: AgentSpec;
  agents: AgentsConfig;
  stateDir: string;
  /** How this run may write shared state (OPENCLAW_SUPERVISOR_MODE of the env it was given). */
  stateAccess: StateDbAccess;
}

/** The agent `agentId` names (the default when empty), or a message naming an unknown one. */
export async function localMemoryAgent(
  paths: Pick<GatewayPaths, "configPath" | "stateDir" | "home">,
  env: Readonly<Record<string, string | undefined>>,
  agentId: string | undefined,
): Promise<LocalMemory | string> {
  const { config } = await loadConfig(paths.configPath, env);
  const agents = resolveAgents(config, paths.stateDir, paths.home);
  const wanted = agentId?.trim().toLowerCase() || agents.defaultAgentId;
  const agent = agents.agents.find((a) => a.id === wanted);
  const stateAccess = writeAccessFor(env.OPENCLAW_SUPERVISOR_MODE);
  return agent ? { agent, agents, stateDir: paths.stateDir, stateAccess } : `Unknown agent id "${agentId}".`;
}

/** What `memory status` shows. */
export interface LocalMemoryStatus {
  files: number;
  eligible: number;
  chunks: number;
  chunkBytes: number;
  dirty: boolean;
  dbPath: string;
  provider: string;
  model: string | undefined;
}

/** The index's state (read only: nothing is indexed). */
export async function localMemoryStatus(m: LocalMemory): Promise<LocalMemoryStatus> {
  const status = await agentMemoryStatus(m.stateDir, m.agent, { stateAccess: m.stateAccess });
  const eligible = (await listMemoryFiles(m.agent.workspace)).length;
  const at = { stateDir: m.stateDir, agentId: m.agent.id, stateAccess: m.stateAccess };
  const chunkBytes = await withAgentDb(at, (db) =>
    Promise.resolve(
      Number(
        db.prepare(
          "SELECT COALESCE(SUM(LENGTH(CAST(text AS BLOB)) + LENGTH(embedding)), 0) AS n FROM memory_index_chunks WHERE source = 'memory'",
        ).get()?.n ?? 0,
      ),
    ));
  const embedder = agentEmbedder(m.agent, m.agents.providers);
  return {
    ...status,
    eligible,
    chunkBytes,
    dbPath: agentDbPath(m.stateDir, m.agent.id),
    provider: embedder?.provider ?? "none",
    model: embedder?.model,
  };
}

/** Brings the index up to date (every file with `force`). */
export function localMemoryIndex(m: LocalMemory, force: boolean): Promise<SyncResult> {
  const embedder = agentEmbedder(m.agent, m.agents.providers);
  return withAgentDb(
    { stateDir: m.stateDir, agentId: m.agent.id, stateAccess: m.stateAccess },
    (db) => syncMemoryIndex(db, m.agent.workspace, { embedder, force, signal: AbortSignal.timeout(300_000) }),
  );
}

/** Syncs, then searches. */
export async function localMemorySearch(
  m: LocalMemory,
  query: string,
  options: { maxResults?: number | undefined; minScore?: number | undefined },
): Promise<MemorySearchResult[]> {
  const outcome = await searchAgentMemory({
    stateDir: m.stateDir,
    stateAccess: m.stateAccess,
    agent: m.agent,
    embedder: agentEmbedder(m.agent, m.agents.providers),
    query,
    ...options,
    signal: AbortSignal.timeout(60_000),
  });
  return outcome.results;
}
