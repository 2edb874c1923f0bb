import type { AgentsConfig, AgentSpec } from "../../agent/agents_config.ts";
import { type MethodTable, validated } from "../registry.ts";
import { targetOf } from "./agent.ts";
import { AGENT_RUNTIME, THINKING_OFF } from "./session_view.ts";

/** Dependencies of `agents.list` and `agent.identity.get`. */
export interface AgentsMethodsDeps {
  agents(): AgentsConfig;
  /** Whether a directory is a git work tree (`<dir>/.git` exists). */
  isGitWorkTree(dir: string): Promise<boolean>;
}

/** The name the reference gives an agent whose config names none. */
export const DEFAULT_AGENT_NAME = "Assistant";

/** An agent's identity as `agent.identity.get` reports it: its configured name, or the default one. */
export function agentIdentity(agent: AgentSpec): { agentId: string; name: string; nameSource: string; avatar: string } {
  // config/ falls back to the id when `identity.name` is unset: that is the reference's default name.
  const named = agent.name !== agent.id;
  const name = named ? agent.name : DEFAULT_AGENT_NAME;
  return { agentId: agent.id, name, nameSource: named ? "config" : "default", avatar: name.slice(0, 1).toUpperCase() };
}

/** One agent as `agents.list` lists it. */
export function agentSummary(agent: AgentSpec, workspaceGit: boolean): Record<string, unknown> {
  return {
    id: agent.id,
    kind: "agent",
    ...(agent.name !== agent.id ? { name: agent.name } : {}),
    workspace: agent.workspace,
    workspaceGit,
    agentRuntime: AGENT_RUNTIME,
    ...THINKING_OFF,
    ...(agent.model ? { model: { primary: `${agent.model.provider}/${agent.model.model}` } } : {}),
    // The agent's tools run without asking: the reference calls that "full".
    defaultPermissionMode: "full",
  };
}

/** `agents.list`, `agent.identity.get`. */
export function agentsMethods(deps: AgentsMethodsDeps): MethodTable {
  return {
    "agents.list": validated("operator.read", "validateAgentsListParams", async () => {
      const config = deps.agents();
      const agents = await Promise.all(
        config.agents.map(async (a) => agentSummary(a, await deps.isGitWorkTree(a.workspace))),
      );
      return {
        defaultId: config.defaultAgentId,
        ownership: "sole",
        selectionRequired: false,
        mainKey: "main",
        scope: "per-sender",
        agents,
      };
    }),
    "agent.identity.get": validated("operator.read", "validateAgentIdentityParams", ({ params }) => {
      const config = deps.agents();
      const { agentId } = targetOf(config, params);
      return agentIdentity(config.agents.find((a) => a.id === agentId)!);
    }),
  };
}
