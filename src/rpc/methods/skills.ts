// The skills methods: `skills.status` reports the agent's SKILL.md skills (workspace, managed,
// extra dirs) with their requirements as the reference does; the library, Skill Workshop and
// registry search are off here, so those lists are empty in the reference's shapes.
import type { SkillStatusReport } from "../../agent/skills/skill_status.ts";
import { RpcError } from "../errors.ts";
import { type MethodTable, validated } from "../registry.ts";

/** Dependencies of the skills methods. */
export interface SkillsDeps {
  /** The skills report of an agent (the default one when undefined); undefined for an unknown agent. */
  report(agentId: string | undefined): Promise<SkillStatusReport | undefined>;
}

/** `skills.status`, `skills.library.list`, `skills.proposals.list`, `skills.search`. */
export function skillsMethods(deps: SkillsDeps): MethodTable {
  return {
    "skills.status": validated("operator.read", "validateSkillsStatusParams", async ({ params }) => {
      const report = await deps.report(params.agentId);
      if (!report) throw new RpcError("INVALID_REQUEST", `unknown agent id "${params.agentId}"`);
      return report;
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
