// The `apply_patch` tool family: one patch adds, updates, moves and deletes files, each file written
// atomically, confined to the workspace unless both `tools.exec.applyPatch.workspaceOnly: false`
// and `tools.fs.workspaceOnly` unset say otherwise. Offered unless `tools.exec.applyPatch.enabled`
// is false or `allowModels` leaves out the agent's model.
import type { AgentSpec } from "./agents_config.ts";
import type { ToolFamily } from "./tool.ts";
import { currentFileTools } from "./tools_files.ts";

/** Whether `allowModels` lets the agent's model use apply_patch (raw ids or `provider/id`, any case). */
export function patchAllowedForModel(allowModels: readonly string[] | undefined, model: AgentSpec["model"]): boolean {
  if (!allowModels || allowModels.length === 0) return true;
  if (!model) return false;
  const id = model.model.trim().toLowerCase();
  const full = id.includes("/") ? id : `${model.provider.toLowerCase()}/${id}`;
  return allowModels.some((entry) => [id, full].includes(entry.trim().toLowerCase()));
}

/** `apply_patch`, when enabled for the agent and its model. */
export const patchToolsFamily: ToolFamily = async (host, agent) => {
  const initial = currentFileTools(host, agent);
  if (!initial.applyPatch.enabled || !patchAllowedForModel(initial.applyPatch.allowModels, agent.model)) return [];
  // Loaded with the first run that offers it, not with the gateway.
  const [{ applyPatchTool }, { sandboxRooted }] = await Promise.all([
    import("./apply_patch.ts"),
    import("./tools_sandbox_root.ts"),
  ]);
  const settings = () => {
    const now = currentFileTools(host, agent);
    return { confined: now.workspaceOnly || now.applyPatch.workspaceOnly, home: host.home };
  };
  // A sandboxed session's patch applies in the sandbox's workspace, always confined.
  return [
    sandboxRooted(applyPatchTool(settings), applyPatchTool(() => ({ ...settings(), confined: true })), agent, {
      writes: true,
    }),
  ];
};
