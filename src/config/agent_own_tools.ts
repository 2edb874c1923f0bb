// An agent's own `tools` block, where the reference reads per-agent tool settings from: its
// `agents.entries.<id>.tools`, else its `agents.list[]` entry's `tools` (the older list form).
import { isJsonObject, objectOrEmpty } from "../log/json_object.ts";
import type { RawConfig } from "./schema.ts";

/** The `tools` object of agent `agentId` as written, or an empty object when it has none. */
export function agentOwnTools(config: RawConfig, agentId: string): Record<string, unknown> {
  const agents = objectOrEmpty(config.agents);
  const fromEntries = objectOrEmpty(agents.entries)[agentId];
  if (isJsonObject(fromEntries)) return objectOrEmpty(fromEntries.tools);
  const fromList = Array.isArray(agents.list)
    ? agents.list.find((entry) => objectOrEmpty(entry).id === agentId)
    : undefined;
  return objectOrEmpty(objectOrEmpty(fromList).tools);
}
