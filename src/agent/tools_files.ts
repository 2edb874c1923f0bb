// The file tools family: `ls`, `read`, `edit` and `write` on the agent's workspace, confined to it when
// `tools.fs.workspaceOnly` is set (read per call, so a config reload applies to the next call).
import type { AgentSpec } from "./agents_config.ts";
import type { ToolFamily, ToolHost } from "./tool.ts";
import type { FileToolSettings } from "./tool_read.ts";

/** The reference's read budget without a known context window (read_page.ts's default). */
const MIN_READ_BYTES = 32_768;

/** The agent's file tool settings as the config now in force has them. */
export function currentFileTools(host: ToolHost, agent: AgentSpec): NonNullable<AgentSpec["fileTools"]> {
  const now = host.config().agents.agents.find((candidate) => candidate.id === agent.id) ?? agent;
  return now.fileTools ?? {
    workspaceOnly: false,
    applyPatch: { enabled: true, workspaceOnly: true, allowModels: undefined },
  };
}

/**
 * The window the reference's model registry gives a model configured under `models.providers` without one
 * (measured: its read pages of such a model are 51,200 bytes).
 */
const CONFIGURED_MODEL_WINDOW = 128_000;

/**
 * What one read may return: a tenth of the model's context window (at four characters a token),
 * between 32 KB and 128 KB, as the reference sizes it; a configured model without a window has the registry's
 * 128,000 tokens; 32 KB for a model the config does not list.
 */
export function readBudget(host: ToolHost, agent: AgentSpec): number {
  const model = agent.model;
  const entry = model
    ? host.config().models?.find((entry) => entry.provider === model.provider && entry.id === model.model)
    : undefined;
  const window = entry ? entry.contextWindow ?? CONFIGURED_MODEL_WINDOW : undefined;
  if (typeof window !== "number" || !Number.isFinite(window) || window <= 0) return MIN_READ_BYTES;
  return Math.min(131_072, Math.max(MIN_READ_BYTES, Math.floor(window * 4 * 0.1)));
}

/** `ls`, `read`, `edit`, `write` (the reference's order). */
export const fileToolsFamily: ToolFamily = async (host, agent) => {
  // The tools load with the first run that offers them, not with the gateway.
  const [{ lsTool }, { readTool }, { editTool }, { writeTool }, { sandboxRooted }] = await Promise.all([
    import("./tool_ls.ts"),
    import("./tool_read.ts"),
    import("./tool_edit.ts"),
    import("./tool_write.ts"),
    import("./tools_sandbox_root.ts"),
  ]);
  const settings = (): FileToolSettings => ({
    confined: currentFileTools(host, agent).workspaceOnly,
    home: host.home,
    readMaxBytes: readBudget(host, agent),
  });
  // A sandboxed session's file tools act on the sandbox's workspace, always confined (tools_sandbox_root.ts).
  const boxed = (): FileToolSettings => ({ ...settings(), confined: true });
  return [
    sandboxRooted(lsTool(settings), lsTool(boxed), agent, { writes: false }),
    sandboxRooted(readTool(settings), readTool(boxed), agent, { writes: false }),
    sandboxRooted(editTool(settings), editTool(boxed), agent, { writes: true }),
    sandboxRooted(writeTool(settings), writeTool(boxed), agent, { writes: true }),
  ];
};
