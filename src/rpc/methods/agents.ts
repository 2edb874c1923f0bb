import type { AgentsConfig, AgentSpec } from "../../agent/agents_config.ts";
import { readIdentityFile } from "../../config/identity_markdown.ts";
import { type MethodTable, validated } from "../registry.ts";
import { assistantIdentity } from "./assistant_identity.ts";
import { targetOf } from "./agent.ts";
import { AGENT_RUNTIME, THINKING_OFF } from "./session_view.ts";

/** Dependencies of `agents.list` and `agent.identity.get`. */
export interface AgentsMethodsDeps {
  agents(): AgentsConfig;
  /** Whether a directory is a git work tree (`<dir>/.git` exists). */
  isGitWorkTree(dir: string): Promise<boolean>;
}

/**
 * One agent as `agents.list` lists it: `kind` only for a client that declared the `agent-kind` cap (the
 * reference's Control UI does), `identity` as configured.
 */
export function agentSummary(
  agent: AgentSpec,
  workspaceGit: boolean,
  options: { kind: boolean },
): Record<string, unknown> {
  return {
    id: agent.id,
    ...(options.kind ? { kind: "agent" } : {}),
    ...(agent.name !== agent.id ? { name: agent.name } : {}),
    ...(agent.identity ? { identity: agent.identity } : {}),
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
    "agents.list": validated("operator.read", "validateAgentsListParams", async ({ caller }) => {
      const config = deps.agents();
      const kind = caller.caps?.includes("agent-kind") ?? false;
      const agents = await Promise.all(
        config.agents.map(async (a) => agentSummary(a, await deps.isGitWorkTree(a.workspace), { kind })),
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
    "agent.identity.get": validated("operator.read", "validateAgentIdentityParams", async ({ params }) => {
      const config = deps.agents();
      const { agentId } = targetOf(config, params);
      const agent = config.agents.find((a) => a.id === agentId)!;
      return assistantIdentity(agent.id, agent.identity, await readIdentityFile(`${agent.workspace}/IDENTITY.md`));
    }),
  };
}
