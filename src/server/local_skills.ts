// The skills report of one agent read on this host from its config and state, for the CLI
// (`openclaw skills ...`), which may not reach into agent/ itself: the same report `skills.status`
// answers, without a running gateway.
import { agentSkillReport } from "../agent/skills/agent_skills.ts";
import { processSkillHost, type SkillStatusReport } from "../agent/skills/skill_status.ts";
import { loadConfig } from "../config/load.ts";
import type { GatewayPaths } from "../config/paths.ts";
import { resolveAgents } from "../config/resolve_agents.ts";

export { findSkillStatus, hasMissingRequirements } from "../agent/skills/skill_status.ts";
export type { SkillStatus, SkillStatusReport } from "../agent/skills/skill_status.ts";

/** The report of `agentId` (the default agent when empty); a message naming an unknown agent instead. */
export async function localSkillReport(
  paths: Pick<GatewayPaths, "configPath" | "stateDir" | "home">,
  env: Readonly<Record<string, string | undefined>>,
  agentId: string | undefined,
): Promise<SkillStatusReport | string> {
  const { config } = await loadConfig(paths.configPath, env);
  const agents = resolveAgents(config, paths.stateDir, paths.home);
  const wanted = agentId?.trim().toLowerCase() || agents.defaultAgentId;
  const agent = agents.agents.find((a) => a.id === wanted);
  if (!agent) return `Unknown agent id "${agentId}".`;
  const { diagnostics: _skipped, ...report } = await agentSkillReport(agent, paths.stateDir, processSkillHost());
  return report;
}
