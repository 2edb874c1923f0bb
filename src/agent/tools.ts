// The HTTP surface's own guard over tools (`/tools/invoke`), on top of the agent's tool policy.
import { normalizeToolName, toolMatcher } from "./tool_policy.ts";

/** Tools the HTTP API never offers, whatever the config: the reference's default deny list. */
export const DEFAULT_HTTP_TOOL_DENY: readonly string[] = [
  "exec",
  "spawn",
  "shell",
  "fs_write",
  "fs_delete",
  "fs_move",
  "apply_patch",
  "terminal",
  "portal",
  "sessions_spawn",
  "sessions_send",
  "conversations_list",
  "conversations_send",
  "conversations_turn",
  "automations",
  "gateway",
  "plugins",
  "nodes",
  "computer",
  "mobile_ui",
  "openclaw",
];

/**
 * Whether HTTP callers may use a tool: the default deny list, minus the names `gateway.tools.allow`
 * takes back (compared as the reference does: case-folded, aliases resolved), plus
 * `gateway.tools.deny` read as any tool policy (groups, globs, aliases). A tool the agent's policy
 * does not offer (`available`) is never allowed.
 */
export function httpToolAllowed(
  name: string,
  policy: { allow?: string[] | undefined; deny?: string[] | undefined },
  available: ReadonlySet<string>,
): boolean {
  if (!available.has(name)) return false;
  const allowed = new Set((policy.allow ?? []).map(normalizeToolName));
  const defaults = DEFAULT_HTTP_TOOL_DENY.filter((tool) => !allowed.has(normalizeToolName(tool)));
  return !toolMatcher([...defaults, ...(policy.deny ?? [])])(name);
}
