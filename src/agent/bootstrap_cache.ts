// The bootstrap files of earlier runs, reused while each file is provably the one read. A run reads
// about eight of them, and reading one through the boundary checks is nine asynchronous file
// system calls in a row: 2–3 ms of every answer's latency before its model request (docs/performance.md,
// "2026-11-30: the time before the model request"). A hit costs two synchronous calls per file that
// cannot block (real path, stat: no open, so a FIFO stays harmless) and reads nothing.

import { isExpectedFile } from "./workspace_prompt.ts";
import type { BootstrapFile } from "./workspace_prompt.ts";

/** What a file was when its text was read: a change to it changes one of these. */
interface FileIdentity {
  real: string;
  dev: number;
  ino: number;
  size: number;
  mtime: number;
  ctime: number;
}

/** Bootstrap file texts by path, each with the identity of the file it was read from. */
export type BootstrapCache = Map<string, { identity: FileIdentity; content: string }>;

/**
 * A file changed this recently is not remembered: its times may not move on a second write in the
 * same clock tick (ctime may be kept to the second), so only a file older than this is trusted.
 */
const SETTLED_MS = 2_000;

function inside(root: string, path: string): boolean {
  return path === root || path.startsWith(root.endsWith("/") ? root : `${root}/`);
}

function identityOf(path: string): FileIdentity {
  const real = Deno.realPathSync(path);
  const info = Deno.statSync(real);
  return {
    real,
    dev: info.dev,
    ino: info.ino ?? -1,
    size: info.size,
    mtime: info.mtime?.getTime() ?? -1,
    ctime: info.ctime?.getTime() ?? -1,
  };
}

function sameIdentity(a: FileIdentity, b: FileIdentity): boolean {
  return a.real === b.real && a.dev === b.dev && a.ino === b.ino && a.size === b.size && a.mtime === b.mtime &&
    a.ctime === b.ctime;
}

/** The path of bootstrap file `name` in `workspace`, as the reader names it. */
export function bootstrapPath(workspace: string, name: string): string {
  return `${workspace.replace(/\/+$/, "")}/${name}`;
}

/**
 * The files `names` of `workspace` from the cache, exactly as a fresh read would give them, or
 * `undefined` when any needs reading (not remembered, changed, outside the workspace, an error
 * other than absence): the caller then reads them all as before.
 */
export function cachedBootstrapFiles(
  cache: BootstrapCache,
  workspace: string,
  names: readonly string[],
): BootstrapFile[] | undefined {
  let realRoot: string;
  // The names present: an absent file is known from one listing instead of a thrown NotFound each
  // (about 17 µs apiece, most of a hit's cost when a workspace has few of the files).
  const present = new Set<string>();
  try {
    realRoot = Deno.realPathSync(workspace);
    for (const entry of Deno.readDirSync(workspace)) present.add(entry.name);
  } catch {
    return undefined;
  }
  const folded = new Set([...present].map((name) => name.toLowerCase()));
  const files: BootstrapFile[] = [];
  for (const name of names) {
    const path = bootstrapPath(workspace, name);
    if (!present.has(name)) {
      // A file system that ignores case would open `agents.md` as AGENTS.md: read it the slow way.
      if (folded.has(name.toLowerCase())) return undefined;
      if (isExpectedFile(name)) files.push({ name, path, content: "", missing: true });
      continue;
    }
    let identity: FileIdentity;
    try {
      identity = identityOf(path);
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) return undefined;
      if (isExpectedFile(name)) files.push({ name, path, content: "", missing: true });
      continue;
    }
    const kept = cache.get(path);
    if (!kept || !inside(realRoot, identity.real) || !sameIdentity(kept.identity, identity)) return undefined;
    files.push({ name, path, content: kept.content });
  }
  return files;
}

/**
 * Reads one bootstrap file with `read` and remembers its text when the file was the same before
 * and after the read and has not changed lately; whatever `read` throws passes through.
 */
export async function readAndRemember(
  cache: BootstrapCache,
  path: string,
  read: () => Promise<string>,
  now: () => number = Date.now,
): Promise<string> {
  let before: FileIdentity | undefined;
  try {
    before = identityOf(path);
  } catch {
    // The read reports it.
  }
  const content = await read();
  try {
    const after = identityOf(path);
    const settled = now() - SETTLED_MS;
    if (before && sameIdentity(before, after) && after.mtime < settled && after.ctime < settled) {
      cache.set(path, { identity: after, content });
    } else cache.delete(path);
  } catch {
    cache.delete(path);
  }
  return content;
}
