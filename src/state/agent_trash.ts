// A deleted agent's directories moved to the Trash, in order, as `openclaw agents delete` and `agents.delete`
// both do: a directory that is, holds or lies inside a surviving agent's workspace or state dir, however either
// is spelled (symlinks resolved), stays where it is, as the reference keeps a path a survivor owns.
import { canonicalPath, isInside } from "./canonical_path.ts";
import { moveToTrash, type TrashOutcome } from "./trash.ts";

/** What became of one path: moved, found missing, failed, or kept (undefined) because a survivor uses it. */
export interface AgentTrashStep {
  path: string;
  outcome: TrashOutcome | undefined;
}

/** Moves `paths` to `<home>/.Trash`, never one in `keep` (state dir, config, home) or a survivor's. */
export async function trashAgentPaths(
  paths: readonly string[],
  options: { home: string; keep: readonly string[]; survivors: readonly string[] },
): Promise<AgentTrashStep[]> {
  const survivors = await Promise.all(options.survivors.map(canonicalPath));
  const steps: AgentTrashStep[] = [];
  for (const path of paths) {
    const target = await canonicalPath(path);
    const shared = survivors.some((dir) => isInside(dir, target) || isInside(target, dir));
    steps.push({ path, outcome: shared ? undefined : await moveToTrash(path, options.home, options.keep) });
  }
  return steps;
}
