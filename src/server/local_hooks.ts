// The internal hooks report of one agent read on this host from its config and state, for the CLI
// (`openclaw hooks ...`), which may not reach into automation/ itself: the report `hooks.status`
// answers, built without a running gateway (the reference's fallback when none answers).
import { join } from "node:path";
import { processSkillHost } from "../agent/skills/skill_status.ts";
import { type HooksReport, hooksReport } from "../automation/hook_status.ts";
import { normalizeAgentId } from "../config/agent_roster.ts";
import { resolveAgents } from "../config/resolve_agents.ts";

export type { HooksReport, HookStatus } from "../automation/hook_status.ts";

/** The agent a hooks report is for: its id and workspace. */
export interface HooksAgent {
  agentId: string;
  workspace: string;
}

/**
 * The agent `requested` names (the default agent when undefined), or the reference's refusal of an
 * unknown id as a message.
 */
export function hooksAgent(
  config: Readonly<Record<string, unknown>>,
  paths: { stateDir: string; home: string },
  requested: string | undefined,
): HooksAgent | string {
  const agents = resolveAgents(config, paths.stateDir, paths.home);
  const wanted = requested === undefined ? agents.defaultAgentId : normalizeAgentId(requested);
  const agent = agents.agents.find((entry) => entry.id === wanted);
  if (!agent) return `Unknown agent id "${requested}". Run openclaw agents list to see configured agents.`;
  return { agentId: agent.id, workspace: agent.workspace };
}

/** The `hooks.status` report of `agent`'s workspace under `config`, on this host. */
export function localHooksReport(
  config: Readonly<Record<string, unknown>>,
  agent: HooksAgent,
  where: { stateDir: string; home: string; cwd: string },
): HooksReport {
  const hooks = config.hooks as { internal?: { load?: { extraDirs?: unknown } } } | undefined;
  const extraDirs = hooks?.internal?.load?.extraDirs;
  return hooksReport(config, {
    discovery: {
      workspaceDir: agent.workspace,
      managedHooksDir: join(where.stateDir, "hooks"),
      extraDirs: Array.isArray(extraDirs) ? extraDirs.filter((dir) => typeof dir === "string") : [],
      home: where.home,
      cwd: where.cwd,
    },
    host: processSkillHost(),
  });
}
