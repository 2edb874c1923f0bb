// Skills' required binaries known missing from PATH directories, kept between runs. Each run's skill report looks
// every required binary up in each PATH directory, and a missing one was a failed stat per directory per run (about
// 15 µs each with its NotFound error: ten missing binaries on an eleven-directory PATH, 0.75 ms a run). A name stays
// missing from a directory while the directory's stamp (through links, so a retargeted link is a different
// directory) is the one taken before it was looked up: adding an entry to a directory moves its mtime. Stamps are
// trusted once settled (state/path_stamp.ts).
import { join } from "node:path";
import { lstatEntry, sameStamp, settled, type Stamp, stampNow } from "../../state/path_stamp.ts";

/** Names known missing, by PATH directory, with the directory's stamp they hold for. */
export type MissingBinaries = Map<string, { stamp: Stamp; names: Set<string> }>;

/** The most directories kept, and names per directory (past them the oldest directory, or the names, go). */
export const MAX_KEPT_DIRECTORIES = 256;
/** See {@link MAX_KEPT_DIRECTORIES}. */
export const MAX_KEPT_NAMES = 1024;

/** One host's lookups against the kept names: each directory's stamp is taken once, before its first lookup. */
export interface BinaryLookups {
  /** Whether `name` is known missing from `dir` (call before looking it up: it takes the directory's stamp). */
  missing(dir: string, name: string): boolean;
  /** Records that a lookup found no `name` in `dir`. */
  notFound(dir: string, name: string): void;
}

/** Lookups over `kept` (none kept without it); `now` says whether a stamp has settled. */
export function binaryLookups(kept: MissingBinaries | undefined, now: () => number): BinaryLookups {
  // Taken before any lookup, as the stamps are: a stamp settled at this time vouches for what came after it.
  const at = kept ? now() : 0;
  const stamps = new Map<string, Stamp | undefined>();
  const stampOfDir = (dir: string) => {
    if (!stamps.has(dir)) stamps.set(dir, stampNow(dir, "directory", true));
    return stamps.get(dir);
  };
  return {
    missing(dir, name) {
      if (!kept) return false;
      const stamp = stampOfDir(dir);
      const entry = kept.get(dir);
      if (!entry) return false;
      if (stamp && sameStamp(stamp, entry.stamp)) return entry.names.has(name);
      kept.delete(dir);
      return false;
    },
    notFound(dir, name) {
      const stamp = kept && stamps.get(dir);
      if (!kept || !stamp || !settled(stamp, at)) return;
      // Only a plain name with no entry at all: a dangling link's target, or an entry below a folder in `dir`
      // (a name with a slash), may appear without `dir` changing.
      if (name.includes("/") || name === "." || name === ".." || lstatEntry(join(dir, name)) !== "none") return;
      let entry = kept.get(dir);
      if (!entry || !sameStamp(entry.stamp, stamp)) {
        entry = { stamp, names: new Set() };
        kept.set(dir, entry);
        for (const oldest of kept.keys()) {
          if (kept.size <= MAX_KEPT_DIRECTORIES) break;
          kept.delete(oldest);
        }
      }
      if (entry.names.size >= MAX_KEPT_NAMES) entry.names.clear();
      entry.names.add(name);
    },
  };
}
