// The skills methods, feature off: this gateway loads no skills (a later issue), so the lists are
// empty in the reference's shapes, with the directories the reference would read them from.
import { join } from "node:path";
import { RpcError } from "../errors.ts";
import { type MethodTable, validated } from "../registry.ts";

/** Dependencies of the skills methods. */
export interface SkillsDeps {
  stateDir: string;
  /** The workspace of an agent (the default one when undefined); undefined for an unknown agent. */
  workspaceOf(agentId: string | undefined): { agentId: string; workspace: string } | undefined;
}

/** `skills.status`, `skills.library.list`, `skills.proposals.list`, `skills.search`. */
export function skillsMethods(deps: SkillsDeps): MethodTable {
  return {
    "skills.status": validated("operator.read", "validateSkillsStatusParams", ({ params }) => {
      const agent = deps.workspaceOf(params.agentId);
      if (!agent) throw new RpcError("INVALID_REQUEST", `unknown agent id "${params.agentId}"`);
      return {
        workspaceDir: agent.workspace,
        managedSkillsDir: join(deps.stateDir, "skills"),
        agentId: agent.agentId,
        skills: [],
      };
    }),
    "skills.library.list": validated("operator.read", "validateSkillsLibraryListParams", () => ({
      entries: [],
      multipleProfiles: false,
      defaultTarget: "workspace",
      canManageWorkspace: false,
      defaultSelectionLimit: 64,
    })),
    "skills.proposals.list": validated("operator.read", "validateSkillsProposalsListParams", () => ({
      schema: "openclaw.skill-workshop.proposals-manifest.v1",
      updatedAt: new Date(0).toISOString(),
      proposals: [],
      installedSkills: [],
    })),
    // No skill registry is searched: no results rather than a network call.
    "skills.search": validated("operator.read", "validateSkillsSearchParams", () => ({ results: [] })),
  };
}
