// `hooks.status`: the reference's workspace hooks (scripts run on gateway events such as start-up).
// This gateway runs no workspace hooks (its HTTP webhooks are a different feature), so the report
// lists none, with the directories the reference would read them from.
import { join } from "node:path";
import { RpcError } from "../errors.ts";
import { type MethodTable, validated } from "../registry.ts";

/** Dependencies of `hooks.status`. */
export interface HooksStatusDeps {
  stateDir: string;
  /** The workspace of an agent (the default one when undefined); undefined for an unknown agent. */
  workspaceOf(agentId: string | undefined): { agentId: string; workspace: string } | undefined;
}

/** `hooks.status`. */
export function hooksStatusMethods(deps: HooksStatusDeps): MethodTable {
  return {
    "hooks.status": validated("operator.read", "validateHooksStatusParams", ({ params }) => {
      const agent = deps.workspaceOf(params.agentId);
      if (!agent) throw new RpcError("INVALID_REQUEST", `unknown agent id "${params.agentId}"`);
      return { workspaceDir: agent.workspace, managedHooksDir: join(deps.stateDir, "hooks"), hooks: [] };
    }),
  };
}
