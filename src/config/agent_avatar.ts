// The reference's config rule for `agents.entries.<id>.identity.avatar`: an http(s) URL, a data
// URI, or a path that stays inside the agent's workspace (`~` and other URI schemes refused).
// Checked before every `openclaw agents` write, in the reference's words. Pure.
import { isJsonObject } from "../log/json_object.ts";
import { agentWorkspace, normalizeAgentId, normalizePosix, rosterEntries, type RosterPaths } from "./agent_roster.ts";

/** The first avatar the reference would refuse, as `<path>: <message>`; undefined when all are valid. */
export function avatarIssue(tree: Record<string, unknown>, paths: RosterPaths): string | undefined {
  const agents = isJsonObject(tree.agents) ? tree.agents : {};
  const keyed = agents.entries !== undefined;
  for (const [index, entry] of rosterEntries(tree).entries()) {
    const identity = entry.config.identity;
    const raw = isJsonObject(identity) ? identity.avatar : undefined;
    if (typeof raw !== "string") continue;
    const avatar = raw.trim();
    if (!avatar || /^data:/i.test(avatar) || /^https?:\/\//i.test(avatar)) continue;
    const where = keyed ? `agents.entries.${entry.id}.identity.avatar` : `agents.list.${index}.identity.avatar`;
    if (avatar.startsWith("~") || (/^[a-z][a-z0-9+.-]*:/i.test(avatar) && !/^[a-zA-Z]:[\\/]/.test(avatar))) {
      return `${where}: identity.avatar must be a workspace-relative path, http(s) URL, or data URI.`;
    }
    const root = agentWorkspace(tree, normalizeAgentId(entry.id), paths);
    const resolved = normalizePosix(avatar.startsWith("/") ? avatar : `${root}/${avatar}`);
    if (resolved !== root && !resolved.startsWith(`${root}/`)) {
      return `${where}: identity.avatar must stay within the agent workspace.`;
    }
  }
  return undefined;
}
