// Skill roots kept between runs. Every run lists its agent's skills for the system prompt: each root walked, each
// folder's real path resolved, each SKILL.md stat'ed, read and parsed; with ten skills that was 1.25 ms of every
// message's way to the model (two thread-pool round trips per skill). A root's result is kept when its walk met only
// plain folders and files (no link, which could be retargeted without any stamp below the root moving), and is used
// again while the root's stamp, every folder's that had no SKILL.md and every SKILL.md's own are unchanged: a skill
// added, removed, renamed or edited moves one of them. Stamps are trusted only once settled (state/path_stamp.ts), so
// a root changed moments ago is walked afresh on every run until it settles.
import type { AbsentPaths } from "../../state/absent_paths.ts";
import { deepFreeze } from "../../state/deep_freeze.ts";
import { holdsStamp, settled } from "../../state/path_stamp.ts";
import type { DiscoveryTrace } from "./skill_discovery.ts";
import type { MissingBinaries } from "./missing_binaries.ts";
import type { SkillDiagnostic, SkillEntry, SkillRoot } from "./skill_load.ts";

/** One folder's read: its skill, or why it was skipped. */
export type SkillRead = { skill: SkillEntry } | { diagnostic: SkillDiagnostic; unreadable?: true };

/** One root's result: its discovery's diagnostics, then each found folder's read, in order. */
export interface RootResult {
  diagnostics: readonly SkillDiagnostic[];
  reads: readonly SkillRead[];
}

/** The most roots kept (a few per agent); past it the least recently used go first. */
export const MAX_KEPT_ROOTS = 256;

/**
 * What runs keep of their skills between them: the roots known absent, the walked roots whose result holds while
 * unchanged, and the required binaries known missing from a PATH directory (missing_binaries.ts).
 */
export interface KeptSkills {
  absent: AbsentPaths;
  binaries: MissingBinaries;
  roots: Map<string, { trace: DiscoveryTrace; result: RootResult }>;
  /** The clock that says whether a stamp has settled (tests move it). */
  now: () => number;
}

/** Nothing kept yet. */
export function keptSkills(now: () => number = Date.now): KeptSkills {
  return { absent: new Map(), binaries: new Map(), roots: new Map(), now };
}

function key(root: SkillRoot): string {
  return `${root.source}\n${root.dir}`;
}

/** The root's kept result while every stamp its walk depended on is unchanged; undefined (and dropped) otherwise. */
export function keptRootResult(kept: KeptSkills, root: SkillRoot): RootResult | undefined {
  const id = key(root);
  const entry = kept.roots.get(id);
  if (!entry) return undefined;
  kept.roots.delete(id);
  const { dirs, files } = entry.trace;
  const current = dirs.every((dir) => holdsStamp(dir.path, "directory", dir.follow, dir.stamp)) &&
    files.every((file) => holdsStamp(file.path, "file", false, file.stamp));
  if (!current) return undefined;
  kept.roots.set(id, entry);
  return entry.result;
}

/**
 * Keeps a root's result when its walk (`trace`, started at `at`) met only plain folders and files, all settled at
 * `at`; the result is frozen, since every later run shares it.
 */
export function keepRoot(
  kept: KeptSkills,
  root: SkillRoot,
  trace: DiscoveryTrace,
  result: RootResult,
  at: number,
): void {
  if (!trace.plain || trace.dirs.length === 0) return;
  if (![...trace.dirs, ...trace.files].every((seen) => settled(seen.stamp, at))) return;
  kept.roots.set(key(root), { trace, result: deepFreeze(result) });
  for (const oldest of kept.roots.keys()) {
    if (kept.roots.size <= MAX_KEPT_ROOTS) break;
    kept.roots.delete(oldest);
  }
}
