// The file tools' settings: `tools.fs.workspaceOnly` (read/write/edit/apply_patch) and
// `tools.exec.applyPatch.*`, each overridable per agent as the reference allows (`agents.list[].tools`).
import { isJsonObject } from "../log/json_object.ts";
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

function record(value: unknown): Record<string, unknown> {
  return isJsonObject(value) ? value : {};
}

function agentTools(config: RawConfig, agentId: string): Record<string, unknown> {
  const agents = record(config.agents);
  const fromEntries = record(agents.entries)[agentId];
  if (isJsonObject(fromEntries)) return record(fromEntries.tools);
  const fromList = Array.isArray(agents.list) ? agents.list.find((entry) => record(entry).id === agentId) : undefined;
  return record(record(fromList).tools);
}

function bool(...values: unknown[]): boolean | undefined {
  return values.find((value): value is boolean => typeof value === "boolean");
}

/** The file tools' settings of `agentId`: the agent's own `tools` overlaid on the global `tools`. */
export function resolveFileTools(config: RawConfig, agentId: string): ResolvedFileTools {
  const global = record(config.tools);
  const own = agentTools(config, agentId);
  const patch = record(record(global.exec).applyPatch);
  const ownPatch = record(record(own.exec).applyPatch);
  const models = ownPatch.allowModels ?? patch.allowModels;
  return {
    workspaceOnly: bool(record(own.fs).workspaceOnly, record(global.fs).workspaceOnly) ?? false,
    applyPatch: {
      enabled: bool(ownPatch.enabled, patch.enabled) ?? true,
      workspaceOnly: bool(ownPatch.workspaceOnly, patch.workspaceOnly) ?? true,
      allowModels: Array.isArray(models) ? models.filter((m): m is string => typeof m === "string") : undefined,
    },
  };
}
