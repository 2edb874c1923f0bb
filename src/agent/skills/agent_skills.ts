// One agent's skills end to end: discovered from its roots, gated on this host, reported
// (`skills.status`, the CLI) and rendered for its system prompt. Read afresh on each call.
import type { AgentSpec } from "../../config/resolve_agents.ts";
import { loadAgentSkills, managedSkillsDir, type SkillDiagnostic } from "./skill_load.ts";
import { promptSkillPath, skillsCatalog, skillsSection } from "./skill_prompt.ts";
import { type SkillHost, skillStatus, type SkillStatusReport } from "./skill_status.ts";
import type { KeptSkills } from "./kept_skill_roots.ts";

/** The agent's skill report, with the diagnostics of skipped SKILL.md files; `kept` keeps roots known absent and walked roots' results. */
export async function agentSkillReport(
  agent: Pick<AgentSpec, "id" | "workspace" | "skills">,
  stateDir: string,
  host: SkillHost,
  kept?: KeptSkills,
): Promise<SkillStatusReport & { diagnostics: SkillDiagnostic[] }> {
  const { skills, diagnostics } = await loadAgentSkills({
    workspace: agent.workspace,
    stateDir,
    agentId: agent.id,
    settings: agent.skills,
    home: host.env("HOME"),
    kept,
  });
  return {
    workspaceDir: agent.workspace,
    managedSkillsDir: managedSkillsDir(stateDir),
    agentId: agent.id,
    ...(agent.skills?.filter !== undefined ? { agentSkillFilter: agent.skills.filter } : {}),
    skills: skills.map((skill) => skillStatus(skill, agent.skills, host)),
    diagnostics,
  };
}

/** The catalog the prompt would carry for this report, and the names it admitted. */
export function reportCatalog(
  report: SkillStatusReport,
  limits: { maxSkillsInPrompt?: number | undefined; maxSkillsPromptChars?: number | undefined },
  home: string | undefined,
): { prompt: string; admitted: string[] } {
  const visible = report.skills.filter((skill) => skill.modelVisible).map((skill) => ({
    name: skill.name,
    description: skill.description,
    filePath: promptSkillPath(skill.filePath, home, [report.managedSkillsDir]),
  }));
  const { prompt, admitted } = skillsCatalog(visible, limits);
  return { prompt, admitted: admitted.map((skill) => skill.name) };
}

/** The "## Skills" section of an agent's system prompt: no lines when no skill is visible. */
export async function agentSkillsSection(
  agent: Pick<AgentSpec, "id" | "workspace" | "skills">,
  stateDir: string,
  host: SkillHost,
  kept?: KeptSkills,
): Promise<string[]> {
  const report = await agentSkillReport(agent, stateDir, host, kept);
  const { prompt } = reportCatalog(report, {
    maxSkillsInPrompt: agent.skills?.maxSkillsInPrompt,
    maxSkillsPromptChars: agent.skills?.maxSkillsPromptChars,
  }, host.env("HOME"));
  return skillsSection(prompt);
}

/**
 * The environment the agent's eligible skills add for a run, as the reference injects it:
 * `skills.entries.<key>.env` and `apiKey` (as the skill's `primaryEnv`), only for variables the
 * process does not already set. For a tool that starts processes (exec) to pass on.
 */
export function skillRunEnv(
  report: SkillStatusReport,
  agent: Pick<AgentSpec, "skills">,
  host: SkillHost,
): Record<string, string> {
  const env: Record<string, string> = {};
  const unset = (name: string) => !host.env(name)?.trim() && env[name] === undefined;
  for (const skill of report.skills) {
    if (!skill.eligible) continue;
    const entry = agent.skills?.entries[skill.skillKey];
    for (const [name, value] of Object.entries(entry?.env ?? {})) if (unset(name)) env[name] = value;
    if (skill.primaryEnv && typeof entry?.apiKey === "string" && entry.apiKey.trim() && unset(skill.primaryEnv)) {
      env[skill.primaryEnv] = entry.apiKey;
    }
  }
  return env;
}

/** Every binary the agents' skills require (`bins`, `anyBins`) or install, sorted (`skills.bins`). */
export async function skillBins(agents: readonly Pick<AgentSpec, "id" | "workspace" | "skills">[]): Promise<string[]> {
  const bins = new Set<string>();
  for (const agent of agents) {
    if (!agent.skills) continue;
    const { skills } = await loadAgentSkills({
      workspace: agent.workspace,
      stateDir: agent.skills.stateDir,
      agentId: agent.id,
      settings: agent.skills,
      home: Deno.env.get("HOME"),
    });
    for (const skill of skills) {
      const requires = skill.metadata?.requires;
      const install = skill.metadata?.install ?? [];
      const named = [
        ...(requires?.bins ?? []),
        ...(requires?.anyBins ?? []),
        ...install.flatMap((spec) => Array.isArray(spec.bins) ? spec.bins.map(String) : []),
      ];
      for (const bin of named) if (bin.trim()) bins.add(bin.trim());
    }
  }
  return [...bins].sort();
}
