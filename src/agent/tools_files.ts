// The file tools family: `read`, `write` and `edit` on the agent's workspace, confined to it when
// `tools.fs.workspaceOnly` is set (read per call, so a config reload applies to the next call).
import type { AgentSpec } from "./agents_config.ts";
import type { ToolFamily, ToolHost } from "./tool.ts";
import { editTool } from "./tool_edit.ts";
import { type FileToolSettings, readTool } from "./tool_read.ts";
import { writeTool } from "./tool_write.ts";

/** The agent's file tool settings as the config now in force has them. */
export function currentFileTools(host: ToolHost, agent: AgentSpec): NonNullable<AgentSpec["fileTools"]> {
  const now = host.config().agents.agents.find((candidate) => candidate.id === agent.id) ?? agent;
  return now.fileTools ?? {
    workspaceOnly: false,
    applyPatch: { enabled: true, workspaceOnly: true, allowModels: undefined },
  };
}

/** The home directory `~` means in a path argument (none when the environment may not be read). */
export function homeDir(): string | undefined {
  try {
    return Deno.env.get("HOME") || undefined;
  } catch {
    return undefined;
  }
}

/** `read`, `write`, `edit`. */
export const fileToolsFamily: ToolFamily = (host, agent) => {
  const settings = (): FileToolSettings => ({ confined: currentFileTools(host, agent).workspaceOnly, home: homeDir() });
  return [readTool(settings), writeTool(settings), editTool(settings)];
};
