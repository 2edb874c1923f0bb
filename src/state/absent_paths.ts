// Paths known to be absent, kept between runs: a skill root (a default agent has five and usually none of
// them exists), the auth-profile store of a state dir that has none, or the sessions database and earlier-layout
// index of an agent that never had a session (every `health` asks for them). A lookup that fails builds a NotFound
// error: 11 µs in a tight loop, 0.12 ms a run in the gateway for the store, 0.15 ms a run in process for the
// skill roots. An absent path stays absent while the nearest directory above it that exists is unchanged:
// creating, removing or renaming an entry in a directory moves its mtime, so the path (or any folder on the way
// to it) cannot appear without that directory's stamp changing. The stamp is trusted only once it has settled
// (the kernel's coarse clock and whole-second ctimes, as for the bootstrap files); until then the path is
// looked up afresh on every run. A path that is a dangling link, or whose nearest existing ancestor is a link,
// is never kept: its target may appear elsewhere without moving any directory on the path. Nor is one that
// cannot be seen (a lookup failing otherwise than NotFound).
import { lstatEntry, sameStamp, settled, settlesAfter, type Stamp, stampOf } from "./path_stamp.ts";

/** The most paths kept in one map (a few per agent); past it the oldest go first. */
export const MAX_ABSENT_PATHS = 256;

/**
 * Absent paths (skill roots, stores, databases) by their resolved path: each with the stamp of the nearest existing
 * directory above it, or, while that directory had not settled, the time before which it is not walked to again (a
 * lookup then finds the path afresh as it did without the cache, and nothing more).
 */
export type AbsentPaths = Map<string, { dir: string; stamp: Stamp } | { retryAfter: number }>;

/**
 * `node:path`'s POSIX `dirname`, without `node:path`: the sessions store vouches for an absent agent database with
 * this module, and the store is on the start path, which loads no `node:` module (Deno's Node layer costs start-up
 * about 50 ms of CPU). Trailing slashes are dropped first; the root is its own parent; a name with no slash has ".".
 * POSIX only, as every path the gateway builds is joined with "/": a Windows path with backslashes would walk to ".".
 */
export function parentPath(path: string): string {
  if (path.length === 0) return ".";
  const rooted = path[0] === "/";
  let end = -1;
  let inName = false;
  for (let i = path.length - 1; i >= 1; i--) {
    if (path[i] === "/") {
      if (inName) {
        end = i;
        break;
      }
    } else {
      inName = true;
    }
  }
  if (end === -1) return rooted ? "/" : ".";
  if (rooted && end === 1) return "//";
  return path.slice(0, end);
}

function statOrUndefined(path: string): Deno.FileInfo | undefined {
  try {
    return Deno.statSync(path);
  } catch {
    return undefined;
  }
}

/** Whether `root` is known absent: its nearest existing directory's stamp is the one kept when it was found absent. */
export function knownAbsent(absent: AbsentPaths, root: string): boolean {
  const kept = absent.get(root);
  if (!kept || "retryAfter" in kept) return false;
  const info = statOrUndefined(kept.dir);
  const now = info?.isDirectory ? stampOf(info) : undefined;
  if (now && sameStamp(now, kept.stamp)) return true;
  absent.delete(root);
  return false;
}

/**
 * Records that `root` was just found absent (its real path could not be resolved), when that can be
 * vouched for later: `root` has no entry at all, and the nearest path above it with an entry is a plain
 * directory (not a link) whose stamp has settled at `at`; until it settles, only when to walk again is kept.
 */
export function recordAbsent(absent: AbsentPaths, root: string, at: number = Date.now()): void {
  const pending = absent.get(root);
  if (pending && "retryAfter" in pending && at <= pending.retryAfter) return;
  // Only a path with no entry counts: one that cannot be seen (a permission) may become visible without any
  // directory above it changing.
  if (lstatEntry(root) !== "none") return;
  let dir = parentPath(root);
  let entry = lstatEntry(dir);
  while (entry === "none" && parentPath(dir) !== dir) {
    dir = parentPath(dir);
    entry = lstatEntry(dir);
  }
  // lstat reports a link as a link, never as a directory: a link here is not kept.
  if (entry === undefined || entry === "none" || !entry.isDirectory) return;
  // Taken after the walk: a settled stamp means nothing in `dir` changed during it either.
  const info = statOrUndefined(dir);
  const stamp = info?.isDirectory ? stampOf(info) : undefined;
  if (!stamp) return;
  absent.delete(root);
  absent.set(root, settled(stamp, at) ? { dir, stamp } : { retryAfter: settlesAfter(stamp) });
  for (const oldest of absent.keys()) {
    if (absent.size <= MAX_ABSENT_PATHS) break;
    absent.delete(oldest);
  }
}
