// A path's stamp (device, inode, size, mtime, ctime) and when it can vouch for the path: what the caches of
// workspace files, absent skill roots and the absent auth-profile store compare between runs instead of
// reading (or failing to find) the path again.

/**
 * How long ago a file (or the directory) must have last changed for its stat to vouch for it: the kernel
 * stamps times from a coarse clock and Deno reports ctime in whole seconds, so two changes close together
 * can carry one stamp. A file changed more recently is read afresh on every run until it settles.
 */
export const SETTLED_MS = 2000;

/** What a stat says about a file's identity and last change. */
export interface Stamp {
  dev: number;
  ino: number;
  size: number;
  mtime: number;
  ctime: number;
}

/** The identity and last change of a stat's file, or undefined when the platform gives no times. */
export function stampOf(info: Deno.FileInfo): Stamp | undefined {
  if (info.mtime === null || info.ctime === null) return undefined;
  return {
    dev: info.dev,
    ino: info.ino ?? 0,
    size: info.size,
    mtime: info.mtime.getTime(),
    ctime: info.ctime.getTime(),
  };
}

/**
 * The stamp of what `path` names now when it is a `kind` (a regular file or a directory), through links with
 * `follow` (a link's own entry without); undefined otherwise, or when it cannot be seen.
 */
export function stampNow(path: string, kind: "file" | "directory", follow: boolean): Stamp | undefined {
  try {
    const info = follow ? Deno.statSync(path) : Deno.lstatSync(path);
    return (kind === "file" ? info.isFile : info.isDirectory) ? stampOf(info) : undefined;
  } catch {
    return undefined;
  }
}

/** Whether `path` still names, as a `kind` (through links with `follow`), the file `kept` was taken of, unchanged. */
export function holdsStamp(path: string, kind: "file" | "directory", follow: boolean, kept: Stamp): boolean {
  const now = stampNow(path, kind, follow);
  return now !== undefined && sameStamp(now, kept);
}

/** Whether two stamps name the same file unchanged. */
export function sameStamp(a: Stamp, b: Stamp): boolean {
  return a.dev === b.dev && a.ino === b.ino && a.size === b.size && a.mtime === b.mtime && a.ctime === b.ctime;
}

/** Whether the stamp's last change is old enough, at `at`, that a later change must show in a later stat. */
export function settled(stamp: Stamp, at: number): boolean {
  return at > settlesAfter(stamp);
}

/** The time after which {@link settled} holds for the stamp, unless it changes first. */
export function settlesAfter(stamp: Stamp): number {
  // ctime is truncated to the second: its true value may be up to a second later.
  return Math.max(stamp.mtime, stamp.ctime + 1000) + SETTLED_MS;
}

/** The path's own entry (lstat); "none" when it has none (NotFound); undefined for any other failure (no permission). */
export function lstatEntry(path: string): Deno.FileInfo | "none" | undefined {
  try {
    return Deno.lstatSync(path);
  } catch (error) {
    return error instanceof Deno.errors.NotFound ? "none" : undefined;
  }
}
