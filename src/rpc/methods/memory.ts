// The Memory settings page and the memory import page: `doctor.memory.status` and
// `migrations.memory.plan`. This gateway has no memory plugin (no memory search, no dreaming) and no
// import providers (the reference's Claude and Hermes importers are plugins), so the status says the
// memory plugin is unavailable and the plan lists no providers, as the reference answers without
// them; the agent and its workspace are this gateway's own.
import { AGENT_ID } from "../../config/resolve_agents.ts";
import { isJsonObject } from "../../log/json_object.ts";
import { RpcError } from "../errors.ts";
import { type MethodTable, validated } from "../registry.ts";

/** Dependencies of the memory methods. */
export interface MemoryDeps {
  /** The agent asked about (the default one when undefined): its id and workspace, or undefined when unknown. */
  agent(agentId: string | undefined): { id: string; workspace: string } | undefined;
}

/** `doctor.memory.status`, `migrations.memory.plan`. */
export function memoryMethods(deps: MemoryDeps): MethodTable {
  return {
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
