// The file tools' settings: `tools.fs.workspaceOnly` (read/write/edit/apply_patch) and
// `tools.exec.applyPatch.*`, each overridable per agent as the reference allows (`agents.list[].tools`).
import { objectOrEmpty } from "../log/json_object.ts";
import { agentOwnTools } from "./agent_own_tools.ts";
import type { RawConfig } from "./schema.ts";

/** The file tools' settings for one agent, after defaults. */
export interface ResolvedFileTools {
  /** `tools.fs.workspaceOnly` (default false): read/write/edit/apply_patch paths stay in the workspace. */
  workspaceOnly: boolean;
  applyPatch: {
    /** `tools.exec.applyPatch.enabled` (default true). */
    enabled: boolean;
    /** `tools.exec.applyPatch.workspaceOnly` (default true): apply_patch never writes outside the workspace. */
    workspaceOnly: boolean;
    /** `tools.exec.applyPatch.allowModels`: raw ids or `provider/id`; absent means every model. */
    allowModels: string[] | undefined;
  };
}

function bool(...values: unknown[]): boolean | undefined {
  return values.find((value): value is boolean => typeof value === "boolean");
}

/** The file tools' settings of `agentId`: the agent's own `tools` overlaid on the global `tools`. */
export function resolveFileTools(config: RawConfig, agentId: string): ResolvedFileTools {
  const global = objectOrEmpty(config.tools);
  const own = agentOwnTools(config, agentId);
  const patch = objectOrEmpty(objectOrEmpty(global.exec).applyPatch);
  const ownPatch = objectOrEmpty(objectOrEmpty(own.exec).applyPatch);
  const models = ownPatch.allowModels ?? patch.allowModels;
  return {
    workspaceOnly: bool(objectOrEmpty(own.fs).workspaceOnly, objectOrEmpty(global.fs).workspaceOnly) ?? false,
    applyPatch: {
      enabled: bool(ownPatch.enabled, patch.enabled) ?? true,
      workspaceOnly: bool(ownPatch.workspaceOnly, patch.workspaceOnly) ?? true,
      allowModels: Array.isArray(models) ? models.filter((m): m is string => typeof m === "string") : undefined,
    },
  };
}
