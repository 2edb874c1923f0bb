// Finding the SKILL.md folders of one skill root, bounded as the reference bounds it: at most 300
// candidate folders taken per directory (in name order), at most 3,000 raw entries read per
// directory scan (the reference's max(1,000, 10 × candidates), never over 10,000), a budget of
// 6 × 300 directory scans and 301 × 3,000 raw entries per root, six levels deep. Symlinked
// folders are followed only while their real path stays inside the root's real path (the
// reference's containment rule, not applied to the managed and personal roots), and a SKILL.md
// whose real path leaves its folder is refused: a `skills/x -> /` link cannot walk the disk.
import { join, relative, resolve, sep } from "node:path";
import { getLogger } from "../../log/logger.ts";
import { type AbsentPaths, knownAbsent, recordAbsent } from "../../state/absent_paths.ts";
import { lstatEntry, type Stamp, stampNow, stampOf } from "../../state/path_stamp.ts";

/** The reference's default `skills.limits.maxCandidatesPerRoot`. */
export const MAX_CANDIDATES_PER_ROOT = 300;
/** The reference's bound on raw directory entries read in one scan. */
export const MAX_RAW_ENTRIES_PER_SCAN = Math.min(10_000, Math.max(1_000, MAX_CANDIDATES_PER_ROOT * 10));
const MAX_DEPTH = 6;

/** A problem met while discovering, worded as the reference's diagnostics. */
export interface DiscoveryDiagnostic {
  path: string;
  message: string;
}

/**
 * What one discovery depended on, for a cache to check later (kept_skill_roots.ts): the root's stamp (through links)
 * and each folder's taken before it was looked into, and each SKILL.md's (its own entry). `plain` stays true while
 * no link, odd entry or failed lookup was met: only then do those stamps alone say the result is unchanged.
 */
export interface DiscoveryTrace {
  dirs: { path: string; stamp: Stamp; follow: boolean }[];
  files: { path: string; stamp: Stamp }[];
  plain: boolean;
}

function traceDir(trace: DiscoveryTrace | undefined, path: string, stamp: Stamp | undefined, follow: boolean): void {
  if (!trace?.plain) return;
  if (stamp) trace.dirs.push({ path, stamp, follow });
  else trace.plain = false;
}

function traceFile(trace: DiscoveryTrace | undefined, path: string, stamp: Stamp | undefined): void {
  if (!trace?.plain) return;
  if (stamp) trace.files.push({ path, stamp });
  else trace.plain = false;
}

/** The discovery budget of one root (the reference's `createSkillDiscoveryBudget`). */
interface Budget {
  scans: number;
  rawEntries: number;
  truncated: boolean;
}

// Synchronous: a run resolves each skill root before its prompt is built, and an async op per root was a thread-pool
// round trip on every message's path (a few syscalls done inline cost less than the hop).
function realPath(path: string): string | undefined {
  try {
    return Deno.realPathSync(path);
  } catch {
    return undefined;
  }
}

function isInside(root: string, candidate: string): boolean {
  const rel = relative(root, candidate);
  return rel === "" || (!rel.startsWith(`..${sep}`) && rel !== ".." && !rel.startsWith(sep));
}

/** Child folder names (symlinks to folders included) of `dir`, within the scan bounds, sorted. */
async function childDirectories(dir: string, budget: Budget, trace: DiscoveryTrace | undefined): Promise<string[]> {
  if (budget.scans <= 0 || budget.rawEntries <= 0) {
    budget.truncated = true;
    return [];
  }
  budget.scans -= 1;
  const limit = Math.min(MAX_RAW_ENTRIES_PER_SCAN, budget.rawEntries);
  const names: string[] = [];
  let scanned = 0;
  try {
    for await (const entry of Deno.readDir(dir)) {
      if (scanned >= limit) {
        budget.truncated = true;
        break;
      }
      scanned += 1;
      if (entry.name.startsWith(".") || entry.name === "node_modules") continue;
      if (entry.isSymlink && trace) trace.plain = false;
      if (entry.isDirectory) names.push(entry.name);
      else if (entry.isSymlink && (await Deno.stat(join(dir, entry.name)).then((s) => s.isDirectory, () => false))) {
        names.push(entry.name);
      }
    }
  } catch {
    if (trace) trace.plain = false;
    return [];
  }
  budget.rawEntries = Math.max(0, budget.rawEntries - scanned);
  names.sort();
  if (names.length > MAX_CANDIDATES_PER_ROOT) budget.truncated = true;
  return names.slice(0, MAX_CANDIDATES_PER_ROOT);
}

/**
 * The folders under `root` holding a SKILL.md, depth-first in name order (a folder with one is
 * not searched further), with the diagnostics of refused paths and of a discovery cut short.
 */
export async function discoverSkillDirs(
  root: string,
  options: { enforceContainment: boolean; absent?: AbsentPaths | undefined; trace?: DiscoveryTrace | undefined },
): Promise<{ dirs: string[]; diagnostics: DiscoveryDiagnostic[] }> {
  const { trace } = options;
  const dirs: string[] = [];
  const diagnostics: DiscoveryDiagnostic[] = [];
  const rootDir = resolve(root);
  // A root known absent is not looked up again while the directory above it is unchanged (state/absent_paths.ts).
  if (options.absent && knownAbsent(options.absent, rootDir)) {
    if (trace) trace.plain = false;
    return { dirs, diagnostics };
  }
  // Taken before anything under the root is looked at: a change made during the walk moves a stamp after it.
  if (trace) traceDir(trace, rootDir, stampNow(rootDir, "directory", true), true);
  const rootReal = realPath(rootDir);
  if (!rootReal) {
    if (trace) trace.plain = false;
    if (options.absent) recordAbsent(options.absent, rootDir);
    return { dirs, diagnostics };
  }
  const escaped = (path: string, real: string) => {
    getLogger("skills").warn(
      "Skipping escaped skill path outside its configured root: root={root} requested={path} resolved={real}",
      { root: rootDir, path, real },
    );
    diagnostics.push({ path, message: "Skill path resolves outside its configured root." });
  };
  const budget: Budget = {
    scans: MAX_CANDIDATES_PER_ROOT * MAX_DEPTH,
    rawEntries: MAX_RAW_ENTRIES_PER_SCAN * (MAX_CANDIDATES_PER_ROOT + 1),
    truncated: false,
  };
  const walk = async (dir: string, depth: number) => {
    for (const name of await childDirectories(dir, budget, trace)) {
      const child = join(dir, name);
      const childReal = realPath(child);
      if (!childReal) {
        if (trace) trace.plain = false;
        continue;
      }
      if (options.enforceContainment && !isInside(rootReal, childReal)) {
        escaped(child, childReal);
        continue;
      }
      const skillFile = join(child, "SKILL.md");
      // The folder's stamp before its SKILL.md is looked up: one created after it moves the stamp.
      const folder = trace?.plain ? stampNow(child, "directory", false) : undefined;
      const own = lstatEntry(skillFile);
      // Not there: the folder's stamp vouches for that. There: its own stamp, if it is a plain file (a lookup that
      // failed otherwise, or anything but a plain file, leaves the root unkept).
      if (own === "none") traceDir(trace, child, folder, false);
      else traceFile(trace, skillFile, own?.isFile ? stampOf(own) : undefined);
      if (typeof own === "object") {
        // The file itself must stay inside its folder, whatever the root.
        const fileReal = realPath(skillFile);
        if (fileReal && !isInside(childReal, fileReal)) escaped(skillFile, fileReal);
        else dirs.push(child);
      } else if (depth < MAX_DEPTH) {
        await walk(child, depth + 1);
      }
    }
  };
  await walk(rootDir, 1);
  if (budget.truncated) {
    // Its warning is logged by every walk: a root cut short is not kept.
    if (trace) trace.plain = false;
    getLogger("skills").warn("Skills root hit its discovery limit, truncating discovery: dir={dir}", { dir: rootDir });
    diagnostics.push({
      path: rootDir,
      message: "Skill inventory reached its discovery limit; inspect the remaining skills separately.",
    });
  }
  return { dirs, diagnostics };
}
