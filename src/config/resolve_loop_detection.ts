// `tools.loopDetection` for one agent: the agent's own (`agents.entries.<id>.tools.loopDetection`,
// `agents.list[].tools.loopDetection`) overlaying the global one, as the reference's
// resolveToolLoopDetectionConfig does: the agent's `enabled` when it sets one, else the global `enabled`.
import { isJsonObject, objectOrEmpty } from "../log/json_object.ts";
import { agentOwnTools } from "./agent_own_tools.ts";
import type { RawConfig } from "./schema.ts";

/** Whether tool-loop detection is on for `agentId` (off unless some layer enables it). */
export function resolveLoopDetection(config: RawConfig, agentId: string): boolean {
  const global = objectOrEmpty(config.tools).loopDetection;
  const own = agentOwnTools(config, agentId).loopDetection;
  const enabled = isJsonObject(own) && typeof own.enabled === "boolean"
    ? own.enabled
    : isJsonObject(global)
    ? global.enabled
    : undefined;
  return enabled === true;
}
