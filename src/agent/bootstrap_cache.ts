// Bootstrap files kept between runs: a run otherwise re-reads eight workspace files (real paths, stats,
// opens; about 40 file system operations) to build the same system prompt. A kept text is used only while
// a stat of the file says nothing changed (device, inode, size, mtime, ctime) and its real path is the one
// checked inside the workspace when it was read. A plain file directly in the workspace needs only its lstat for
// both: with no link on its own name, its real path is the workspace's, whatever that resolves to. A missing file stays
// missing only while the workspace directory is unchanged (an entry created, removed or renamed in it
// moves its mtime). An edit is therefore seen by the next run, as when every run read afresh.
import { holdsStamp, lstatEntry, sameStamp, settled, type Stamp, stampNow, stampOf } from "../state/path_stamp.ts";
import { readWorkspaceFile } from "./workspace_boundary.ts";

/**
 * The most the cache keeps, the oldest used going first: file bytes as the reference bounds its own workspace file
 * cache (12 MiB), and entries (a few per workspace). Bootstrap files are read whole: without a bound, a large one
 * (an agent can write its own MEMORY.md) stayed in memory for the life of the process instead of for one run.
 */
export const MAX_KEPT_BYTES = 12 * 1024 * 1024;
/** See {@link MAX_KEPT_BYTES}. */
export const MAX_KEPT_ENTRIES = 256;

/**
 * One kept file: its text as read at `real` under `realRoot`, or that it was missing while the directory was `dir`.
 * `real` is checked again on use: a directory on the way to the file (a link's target) moved out of the workspace
 * leaves the file's own stat unchanged, and a fresh read would refuse it.
 */
type Entry =
  | { kind: "file"; realRoot: string; real: string; stamp: Stamp; text: string }
  | { kind: "missing"; dir: Stamp };

/** Kept bootstrap files by path, for the life of the process's run engine. */
export type BootstrapCache = Map<string, Entry>;

/** The workspace directory's stamp, taken before a run's reads (so a file created after it moves it). */
export function directoryStamp(workspace: string): Stamp | undefined {
  return stampNow(workspace, "directory", true);
}

/**
 * The text of a bootstrap file at `path` (a direct child of `root`), from the cache when its stat (or, for a
 * missing file, the directory's `dir`) is unchanged since it was read; undefined when it is known to be missing.
 * A fresh read goes through {@link readWorkspaceFile}'s boundary checks and throws as it does (NotFound too).
 * `now` is the clock that says whether a stamp has settled (tests move it).
 */
export async function cachedWorkspaceText(
  cache: BootstrapCache,
  root: string,
  path: string,
  realRoot: () => Promise<string>,
  dir: Stamp | undefined,
  now: () => number = Date.now,
): Promise<string | undefined> {
  const entry = cache.get(path);
  if (entry?.kind === "missing" && dir && sameStamp(entry.dir, dir)) return undefined;
  if (entry?.kind === "file") {
    if (keptPlainFile(root, path, entry.stamp) || await keptThroughLinks(path, entry, realRoot)) {
      cache.delete(path);
      cache.set(path, entry);
      return entry.text;
    }
  }
  cache.delete(path);
  const at = now();
  // No entry at all: the NotFound a read would end in, without its awaited real paths (a thread-pool round trip per
  // file, on every run while the directory is too recent to vouch for a missing file).
  if (noEntry(path)) {
    if (dir && settled(dir, at)) keep(cache, path, { kind: "missing", dir });
    throw new Deno.errors.NotFound(`No bootstrap file at ${path}`);
  }
  try {
    const read = await readWorkspaceFile(root, path, realRoot());
    const stamp = stampOf(read.info);
    if (stamp && settled(stamp, at)) {
      keep(cache, path, { kind: "file", realRoot: read.realRoot, real: read.real, stamp, text: read.text });
    }
    return read.text;
  } catch (error) {
    // Only a name with no entry at all: a dangling link's target may appear elsewhere without moving `dir`.
    if (error instanceof Deno.errors.NotFound && dir && settled(dir, at) && !hasEntry(path)) {
      keep(cache, path, { kind: "missing", dir });
    }
    throw error;
  }
}

/**
 * Whether `path`, a direct child of `root`, is still the kept file as a plain file (not a link) with the kept stamp.
 * Its parent is then the directory `root` names, so its real path is inside the workspace's however `root` resolves
 * (the check a fresh read makes), and one lstat replaces a stat and two real paths (a `readlink` per component).
 */
function keptPlainFile(root: string, path: string, kept: Stamp): boolean {
  return path.slice(0, path.lastIndexOf("/")) === root.replace(/\/+$/, "") && holdsStamp(path, "file", false, kept);
}

/** Whether the kept file is still what `path` leads to, through links: the same stamp, workspace and real path. */
async function keptThroughLinks(
  path: string,
  entry: Extract<Entry, { kind: "file" }>,
  realRoot: () => Promise<string>,
): Promise<boolean> {
  return holdsStamp(path, "file", true, entry.stamp) && entry.realRoot === await realRoot() &&
    realPathOf(path) === entry.real;
}

/** Adds an entry, then drops the least recently used while the cache is over its bounds; a file over them alone is not kept. */
function keep(cache: BootstrapCache, path: string, entry: Entry): void {
  if (entry.kind === "file" && entry.stamp.size > MAX_KEPT_BYTES) return;
  cache.set(path, entry);
  let bytes = 0;
  for (const kept of cache.values()) if (kept.kind === "file") bytes += kept.stamp.size;
  for (const [oldest, kept] of cache) {
    if (cache.size <= MAX_KEPT_ENTRIES && bytes <= MAX_KEPT_BYTES) break;
    cache.delete(oldest);
    if (kept.kind === "file") bytes -= kept.stamp.size;
  }
}

function realPathOf(path: string): string | undefined {
  try {
    return Deno.realPathSync(path);
  } catch {
    return undefined;
  }
}

/** Whether `path` has no directory entry (lstat says NotFound); any other failure is left to the read. */
function noEntry(path: string): boolean {
  return lstatEntry(path) === "none";
}

function hasEntry(path: string): boolean {
  return typeof lstatEntry(path) === "object";
}
