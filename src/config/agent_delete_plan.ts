// What deleting an agent may remove from disk, as the reference decides it (recorded against OpenClaw
// 2026.9.6): its workspace unless another agent's workspace or state dir overlaps it, its state dir and its
// sessions dir unless a surviving agent uses them. Shared by `openclaw agents delete` and `agents.delete`. Pure.
import {
  agentDir,
  agentSessionsDir,
  agentWorkspace,
  normalizeAgentIdStrict,
  rosterEntries,
  type RosterPaths,
} from "./agent_roster.ts";

/** The deleted agent's directories and which of them go to the Trash. */
export interface AgentDeletePlan {
  workspace: string;
  agentDir: string;
  sessionsDir: string;
  /** Other agents whose workspace is this one, inside it, or around it. */
  sharedWith: string[];
  /** The workspace stays: shared, or around a surviving agent's state dir. */
  workspaceRetained: boolean;
  /** What to move to the Trash, in order. */
  trash: string[];
  /** The surviving agents' workspaces and state dirs: nothing that overlaps one goes, however it is spelled. */
  survivorDirs: string[];
}

/** True when one of the two paths is the other or lies inside it. */
function overlaps(a: string, b: string): boolean {
  return a === b || a.startsWith(`${b}/`) || b.startsWith(`${a}/`);
}

function ids(tree: Record<string, unknown>): string[] {
  return rosterEntries(tree).map((entry) => normalizeAgentIdStrict(entry.id) ?? "main");
}

/** The plan for deleting `agentId` from `before`, leaving `after` (the pruned config). */
export function agentDeletePlan(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
  agentId: string,
  paths: RosterPaths,
): AgentDeletePlan {
  const workspace = agentWorkspace(before, agentId, paths);
  const stateDir = agentDir(before, agentId, paths);
  const sessionsDir = agentSessionsDir(agentId, paths);
  const sharedWith = ids(before).filter((id) =>
    id !== agentId && overlaps(agentWorkspace(before, id, paths), workspace)
  );
  const survivors = ids(after);
  // A workspace around (or inside) a surviving agent's state dir is kept too, so a workspace that is the
  // state dir never takes the config and the other agents with it.
  const workspaceRetained = sharedWith.length > 0 ||
    survivors.some((other) => overlaps(agentDir(after, other, paths), workspace));
  const ownedByOther = (dir: string) =>
    survivors.some((other) =>
      overlaps(agentDir(after, other, paths), dir) || overlaps(agentWorkspace(after, other, paths), dir)
    );
  const trash = [
    ...(workspaceRetained ? [] : [workspace]),
    ...[stateDir, sessionsDir].filter((dir) => !ownedByOther(dir)),
  ];
  const survivorDirs = survivors.flatMap((
    other,
  ) => [agentWorkspace(after, other, paths), agentDir(after, other, paths)]);
  return { workspace, agentDir: stateDir, sessionsDir, sharedWith, workspaceRetained, trash, survivorDirs };
}

/**
 * Whether the agent owns the legacy shared auth store: its state dir is `<state>/agents/main/agent`. That store
 * has not moved into the state database here, so the reference refuses to delete this agent.
 */
export function ownsLegacySharedAuthStore(tree: Record<string, unknown>, agentId: string, paths: RosterPaths): boolean {
  return agentDir(tree, agentId, paths) === `${paths.stateDir}/agents/main/agent`;
}

/** The reference's refusal for that agent. */
export function legacySharedAuthRefusal(agentId: string): string {
  return `Agent "${agentId}" owns the legacy shared auth store and cannot be deleted. Run openclaw doctor --fix to migrate shared auth, then retry.`;
}

/** The reference's refusal to delete the last agent. */
export function onlyAgentRefusal(agentId: string): string {
  return `Agent "${agentId}" is the only configured agent and cannot be deleted.`;
}
