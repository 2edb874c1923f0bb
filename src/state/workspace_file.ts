// One file of an agent workspace, read and written as the reference's safe root reads and writes it: only a
// regular file with one link is read (a symlink, a hard link, a FIFO or a directory is refused, never followed,
// so no workspace content can point a gateway read or write elsewhere or block it), and a write replaces the
// entry itself atomically. The agent may edit its own workspace, so every gateway access goes through here.
import { writeTextAtomic } from "../config/write.ts";
import { lstatOrUndefined } from "./lstat_or_undefined.ts";
import { openIfExists, readInto } from "./open_if_exists.ts";

/** The workspace entry is no regular file of its own: the reference's "unsafe workspace file". */
export class UnsafeWorkspaceFileError extends Error {
  readonly fileName: string;
  constructor(fileName: string) {
    super(`unsafe workspace file "${fileName}"`);
    this.name = "UnsafeWorkspaceFileError";
    this.fileName = fileName;
  }
}

/** The entry at `path`: a regular file with one link, or undefined when absent; anything else is unsafe. */
export async function workspaceFileInfo(path: string, name: string): Promise<Deno.FileInfo | undefined> {
  const info = await lstatOrUndefined(path);
  if (!info) return undefined;
  if (!info.isFile || info.isSymlink || (info.nlink ?? 1) > 1) throw new UnsafeWorkspaceFileError(name);
  return info;
}

/** A workspace file's bytes, checked before the open and again on the opened file; undefined when absent. */
export async function readWorkspaceFile(
  path: string,
  name: string,
  maxBytes: number,
): Promise<{ bytes: Uint8Array; info: Deno.FileInfo } | undefined> {
  const before = await workspaceFileInfo(path, name);
  if (!before) return undefined;
  if (before.size > maxBytes) throw new WorkspaceFileTooLargeError(name, maxBytes);
  const file = await openIfExists(path);
  if (!file) return undefined;
  using opened = file;
  const info = await opened.stat();
  // Swapped between the check and the open (a link or a FIFO put in its place): refuse what was opened.
  if (!info.isFile || info.ino !== before.ino || info.dev !== before.dev) throw new UnsafeWorkspaceFileError(name);
  const bytes = new Uint8Array(info.size);
  return { bytes: bytes.subarray(0, await readInto(opened, bytes)), info };
}

/** A workspace file's text (invalid UTF-8 replaced, a BOM kept); undefined when absent. */
export async function readWorkspaceText(path: string, name: string, maxBytes: number): Promise<string | undefined> {
  const read = await readWorkspaceFile(path, name, maxBytes);
  return read ? new TextDecoder("utf-8", { ignoreBOM: true }).decode(read.bytes) : undefined;
}

/** Replaces a workspace file atomically (an unsafe entry refused first; the entry itself replaced, never a link's target). */
export async function writeWorkspaceFile(path: string, name: string, text: string, mode?: number): Promise<void> {
  const current = await workspaceFileInfo(path, name);
  const keep = current?.mode !== null && current?.mode !== undefined ? current.mode & 0o777 : undefined;
  await writeTextAtomic(path, text, { mode: mode ?? keep ?? 0o644, followLinks: false });
}

/** The file is larger than a gateway client may read through it. */
export class WorkspaceFileTooLargeError extends Error {
  constructor(name: string, maxBytes: number) {
    super(`agent file "${name}" is larger than ${Math.round(maxBytes / 1024 / 1024)} MiB; edit it on the host`);
    this.name = "WorkspaceFileTooLargeError";
  }
}
