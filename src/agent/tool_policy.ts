// Which tools a run may use, as the reference decides it: the profile (the agent's, else the
// global one) sets a base allowlist, widened by `alsoAllow`; then the global and the agent's
// `allow`/`deny` each restrict further. Deny always wins; nothing grants back what an earlier
// layer removed. Names are case-insensitive and take `group:*` names and `*` globs.
import type { ResolvedToolPolicy, ToolPolicyLayer } from "../config/resolve_tool_policy.ts";
import type { AgentTool } from "./tool.ts";
import { groupMembers, profileAllow, type ToolProfileId } from "./tool_groups.ts";

/** Names the reference accepts for another tool. */
const ALIASES: Readonly<Record<string, string>> = { bash: "exec", "apply-patch": "apply_patch", cron: "automations" };

/** A tool name as policies compare it: trimmed, lower case, an alias replaced by the tool it names. */
export function normalizeToolName(name: string): string {
  const lower = name.trim().toLowerCase();
  return ALIASES[lower] ?? lower;
}

/** Configured MCP servers' tools are `<server>__<tool>`; `bundle-mcp` and `group:plugins` name them all. */
function isMcpTool(name: string): boolean {
  return name.includes("__");
}

function glob(pattern: string): RegExp {
  const escaped = pattern.split("*").map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*");
  return new RegExp(`^${escaped}$`);
}

/** A test for tool names matching any of `entries`. */
export function toolMatcher(entries: readonly string[]): (name: string) => boolean {
  const exact = new Set<string>();
  const patterns: RegExp[] = [];
  let mcp = false;
  for (const raw of entries) {
    const entry = raw.trim().toLowerCase();
    if (entry === "bundle-mcp" || entry === "group:plugins") mcp = true;
    else if (entry.startsWith("group:")) { for (const id of groupMembers(entry) ?? []) exact.add(id); }
    else if (entry.includes("*")) patterns.push(glob(entry));
    else exact.add(ALIASES[entry] ?? entry);
  }
  return (name) => {
    const lower = normalizeToolName(name);
    return exact.has(lower) || (mcp && isMcpTool(lower)) || patterns.some((p) => p.test(lower));
  };
}

/** The profile in force for an agent: its own, else the global one; unset means no profile filtering. */
export function effectiveProfile(policy: ResolvedToolPolicy, agentId: string): ToolProfileId | undefined {
  return (policy.agents[agentId]?.profile ?? policy.global.profile) as ToolProfileId | undefined;
}

function layerAllows(layer: ToolPolicyLayer | undefined): (name: string) => boolean {
  if (!layer) return () => true;
  const allow = layer.allow && layer.allow.length > 0 ? toolMatcher(layer.allow) : undefined;
  const deny = layer.deny && layer.deny.length > 0 ? toolMatcher(layer.deny) : undefined;
  return (name) => (!allow || allow(name)) && !deny?.(name);
}

/** Whether an agent's runs may use the tool `name` under `policy`. */
export function toolAllowed(policy: ResolvedToolPolicy, agentId: string): (name: string) => boolean {
  const agent = policy.agents[agentId];
  const profile = effectiveProfile(policy, agentId);
  const base = profile && profile !== "full"
    ? toolMatcher([...profileAllow(profile), ...(policy.global.alsoAllow ?? []), ...(agent?.alsoAllow ?? [])])
    : () => true;
  const global = layerAllows(policy.global);
  const own = layerAllows(agent);
  return (name) => base(name) && global(name) && own(name);
}

/** The tools an agent's runs are offered: those its policy allows, in catalog order. */
export function allowedTools(tools: readonly AgentTool[], policy: ResolvedToolPolicy, agentId: string): AgentTool[] {
  const allowed = toolAllowed(policy, agentId);
  return tools.filter((tool) => allowed(tool.name));
}
