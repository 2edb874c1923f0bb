// Tool policy as written: `tools.profile` / `allow` / `alsoAllow` / `deny` at the top level and in
// each agent's `tools` (`agents.entries.<id>.tools`, `agents.list[].tools`). The agent layer
// decides with it (agent/tool_policy.ts); this file only reads and validates.
import { isJsonObject } from "../log/json_object.ts";
import type { RawConfig } from "./schema.ts";

/** The profiles `tools.profile` accepts. */
export const TOOL_PROFILE_IDS: readonly string[] = ["minimal", "coding", "messaging", "full"];

/** One scope of tool policy (the top level, or one agent's `tools`). */
export interface ToolPolicyLayer {
  /** `minimal`, `coding`, `messaging` or `full`; unset filters nothing. */
  profile?: string | undefined;
  /** Only these (names, `group:*`, `*` globs); unset allows what the profile does. */
  allow?: string[] | undefined;
  /** Added to the profile's tools. */
  alsoAllow?: string[] | undefined;
  /** Never these; deny wins over every allow. */
  deny?: string[] | undefined;
}

/** Tool policy of a config: the top level, and per agent id. */
export interface ResolvedToolPolicy {
  global: ToolPolicyLayer;
  agents: Readonly<Record<string, ToolPolicyLayer>>;
}

function names(value: unknown): string[] | undefined {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string" && v.trim() !== "") : undefined;
}

/**
 * One scope's policy. The config schema (schema.ts `ToolPolicySchema`) refuses an unknown profile or
 * a non-list before this runs; a value built in code that slips past it is left unset here.
 */
export function toolPolicyLayer(value: unknown): ToolPolicyLayer {
  if (!isJsonObject(value)) return {};
  const profile = typeof value.profile === "string" && TOOL_PROFILE_IDS.includes(value.profile)
    ? value.profile
    : undefined;
  return {
    ...(profile ? { profile } : {}),
    ...(names(value.allow) ? { allow: names(value.allow) } : {}),
    ...(names(value.alsoAllow) ? { alsoAllow: names(value.alsoAllow) } : {}),
    ...(names(value.deny) ? { deny: names(value.deny) } : {}),
  };
}

/** The tool policy of a config as written. */
export function resolveToolPolicy(config: RawConfig): ResolvedToolPolicy {
  const raw: Record<string, unknown> = config;
  const agentsSection = isJsonObject(raw.agents) ? raw.agents : {};
  const agents: Record<string, ToolPolicyLayer> = {};
  if (isJsonObject(agentsSection.entries)) {
    for (const [id, entry] of Object.entries(agentsSection.entries)) {
      if (isJsonObject(entry) && entry.tools !== undefined) agents[id] = toolPolicyLayer(entry.tools);
    }
  }
  if (Array.isArray(agentsSection.list)) {
    for (const entry of agentsSection.list) {
      if (isJsonObject(entry) && typeof entry.id === "string" && entry.tools !== undefined) {
        agents[entry.id] = toolPolicyLayer(entry.tools);
      }
    }
  }
  return { global: toolPolicyLayer(raw.tools), agents };
}
