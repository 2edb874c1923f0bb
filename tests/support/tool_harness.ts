// Runs a tool family's tools in process: a ToolHost whose config holds the given agent settings,
// and a ToolCall on a workspace, so unit tests call `execute` as the run loop would.
import type { AgentSpec } from "../../src/agent/agents_config.ts";
import type { AgentTool, ToolCall, ToolFamily, ToolHost, ToolResult } from "../../src/agent/tool.ts";
import type { ResolvedConfig } from "../../src/config/resolved.ts";
import { resolveFileTools } from "../../src/config/resolve_file_tools.ts";
import { resolveWebFetch } from "../../src/config/resolve_web_fetch.ts";
import type { RawConfig } from "../../src/config/schema.ts";

/** An agent as the config `raw` resolves it (only the fields tools read). */
export function agentFor(raw: Record<string, unknown>, workspace: string): AgentSpec {
  const config = raw as RawConfig;
  return {
    id: "main",
    isDefault: true,
    name: "main",
    model: { provider: "openai", model: "gpt-test" },
    fallbacks: [],
    embedding: undefined,
    workspace,
    fileTools: resolveFileTools(config, "main"),
    webFetch: resolveWebFetch(config),
  };
}

/** A host whose config has only `agent` (and the model entries given). */
export function hostFor(agent: AgentSpec, models: ResolvedConfig["models"] = []): ToolHost {
  return {
    sessions: undefined as never,
    agents: () => ({ agents: [agent], defaultAgentId: agent.id, providers: new Map() }),
    config: () =>
      ({
        agents: { agents: [agent], defaultAgentId: agent.id, providers: new Map() },
        models,
      }) as unknown as ResolvedConfig,
    stateDir: "/nonexistent",
  };
}

/** A call in `workspace`. */
export function callIn(workspace: string, signal = new AbortController().signal): ToolCall {
  return {
    runId: "run-1",
    toolCallId: "call-1",
    agentId: "main",
    sessionKey: "agent:main:main",
    workspace,
    signal,
    senderIsOwner: true,
    update() {},
  };
}

/** The family's tools by name, for an agent configured by `raw`. */
export async function toolsOf(
  family: ToolFamily,
  raw: Record<string, unknown>,
  workspace: string,
): Promise<Map<string, AgentTool>> {
  const agent = agentFor(raw, workspace);
  const tools = await family(hostFor(agent), agent);
  return new Map(tools.map((tool) => [tool.name, tool]));
}

/** The text of a result's first content block. */
export function textOf(result: ToolResult): string {
  const first = result.content[0];
  return first?.type === "text" ? first.text : "";
}
