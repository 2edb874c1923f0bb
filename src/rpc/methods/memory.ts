// The Memory settings page and the memory import page: `doctor.memory.status` and
// `migrations.memory.plan`; and `memory.search`, the operator's search of an agent's memory index. This gateway has no memory plugin (no memory search, no dreaming) and no
// import providers (the reference's Claude and Hermes importers are plugins), so the status says the
// memory plugin is unavailable and the plan lists no providers, as the reference answers without
// them; the agent and its workspace are this gateway's own.
import { AGENT_ID } from "../../config/resolve_agents.ts";
import { isJsonObject } from "../../log/json_object.ts";
import { RpcError } from "../errors.ts";
import { type MethodTable, validated } from "../registry.ts";

/** What `memory.search` answers besides the agent id. */
export interface MemorySearchAnswer {
  provider: string;
  searchMode: "hybrid" | "fts-only";
  results: unknown[];
}

/** Dependencies of the memory methods. */
export interface MemoryDeps {
  /** The agent asked about (the default one when undefined): its id and workspace, or undefined when unknown. */
  agent(agentId: string | undefined): { id: string; workspace: string } | undefined;
  /** Syncs and searches an agent's memory index. */
  search?(
    agentId: string,
    query: string,
    options: { maxResults: number; minScore?: number | undefined },
  ): Promise<MemorySearchAnswer>;
}

const SEARCH_DEFAULT_MAX_RESULTS = 20;
const SEARCH_MAX_RESULTS = 50;

/** `memory.search`: the operator's search of an agent's memory, checked and answered as the reference does. */
async function memorySearch(deps: MemoryDeps, params: unknown): Promise<Record<string, unknown>> {
  const record = isJsonObject(params) ? params : {};
  const query = typeof record.query === "string" ? record.query.trim() : "";
  if (!query) throw new RpcError("INVALID_REQUEST", "query must be a non-empty string");
  const finite = (value: unknown) => value === undefined || (typeof value === "number" && Number.isFinite(value));
  if (!finite(record.maxResults) || !finite(record.minScore)) {
    throw new RpcError("INVALID_REQUEST", "maxResults and minScore must be finite numbers when provided");
  }
  const maxResults = Math.min(
    SEARCH_MAX_RESULTS,
    Math.max(1, Math.floor((record.maxResults as number | undefined) ?? SEARCH_DEFAULT_MAX_RESULTS)),
  );
  if (Object.hasOwn(record, "agentId") && typeof record.agentId !== "string") {
    throw new RpcError("INVALID_REQUEST", "agentId must be a string");
  }
  const requested = typeof record.agentId === "string" ? record.agentId.trim().toLowerCase() : undefined;
  const agent = deps.agent(requested || undefined);
  if (!agent || (requested !== undefined && !AGENT_ID.test(requested))) {
    throw new RpcError("INVALID_REQUEST", "unknown agentId");
  }
  if (!deps.search) throw new RpcError("UNAVAILABLE", "memory search unavailable");
  try {
    const answer = await deps.search(agent.id, query, {
      maxResults,
      minScore: record.minScore as number | undefined,
    });
    return { agentId: agent.id, provider: answer.provider, searchMode: answer.searchMode, results: answer.results };
  } catch (error) {
    throw new RpcError(
      "UNAVAILABLE",
      `memory search failed: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

/** `doctor.memory.status`, `migrations.memory.plan`, `memory.search`. */
export function memoryMethods(deps: MemoryDeps): MethodTable {
  return {
    "memory.search": { scope: "operator.read", handler: ({ params }) => memorySearch(deps, params) },
    "doctor.memory.status": {
      scope: "operator.read",
      handler: ({ params }) => {
        const raw = isJsonObject(params) ? params.agentId : undefined;
        if (raw !== undefined && typeof raw !== "string") {
          throw new RpcError("INVALID_REQUEST", "agentId must be a string");
        }
        const requested = raw?.trim().toLowerCase();
        const agent = deps.agent(requested || undefined);
        if (!agent) throw new RpcError("INVALID_REQUEST", `unknown agent id "${requested}"`);
        return { agentId: agent.id, embedding: { ok: false, error: "memory plugin unavailable" } };
      },
    },
    "migrations.memory.plan": validated("operator.admin", "validateMigrationsMemoryPlanParams", ({ params }) => {
      if (!AGENT_ID.test(params.agentId.trim().toLowerCase())) {
        throw new RpcError("INVALID_REQUEST", "invalid agent id");
      }
      const agent = deps.agent(params.agentId.trim().toLowerCase());
      if (!agent) throw new RpcError("INVALID_REQUEST", "unknown agent id");
      return { agentId: agent.id, workspace: agent.workspace, providers: [] };
    }),
  };
}
