// Reading a workspace file the gateway itself consumes (bootstrap files in the system prompt) without
// following a link out of the workspace: a sandboxed command with write access could otherwise plant
// `AGENTS.md -> ~/.openclaw/openclaw.json` and have the gateway read its own secrets to the model.

/** Raised when a workspace path resolves outside the workspace or is not a regular file. */
export class WorkspaceBoundaryError extends Error {
  override name = "WorkspaceBoundaryError";
}

function inside(root: string, path: string): boolean {
  return path === root || path.startsWith(root.endsWith("/") ? root : `${root}/`);
}

/**
 * The text of `path`, a file under `root`, when its real path stays under the root's real path and
 * it is a regular file (no FIFO to block on, no device). The file opened is checked again after
 * opening, so swapping a link between the check and the open is caught. NotFound passes through.
 */
export async function readWorkspaceText(
  root: string,
  path: string,
  resolvedRoot?: Promise<string>,
): Promise<string> {
  return (await readWorkspaceFile(root, path, resolvedRoot)).text;
}

/**
 * {@link readWorkspaceText}, with what the opened file's `stat` said before it was read (`info`) and the real path
 * checked to be inside `realRoot` (`real`): a cache compares a later stat and real path with them to know the text is
 * still current and still inside the workspace.
 */
export async function readWorkspaceFile(
  root: string,
  path: string,
  resolvedRoot?: Promise<string>,
): Promise<{ text: string; info: Deno.FileInfo; realRoot: string; real: string }> {
  // `resolvedRoot`: the root's real path resolved once for several files (a run reads about eight).
  const realRoot = await (resolvedRoot ?? Deno.realPath(root));
  const real = await Deno.realPath(path);
  if (!inside(realRoot, real)) {
    throw new WorkspaceBoundaryError(`Symlink escapes workspace root (${realRoot}): ${path}`);
  }
  const info = await Deno.stat(real);
  if (!info.isFile) throw new WorkspaceBoundaryError(`Not a regular file inside workspace root: ${path}`);
  using file = await Deno.open(real, { read: true });
  const opened = await file.stat();
  const again = await Deno.realPath(path);
  const now = await Deno.stat(again);
  if (!inside(realRoot, again) || opened.ino !== now.ino || opened.dev !== now.dev || !opened.isFile) {
    throw new WorkspaceBoundaryError(`Path resolves outside workspace root (${realRoot}): ${path}`);
  }
  const chunks: Uint8Array<ArrayBuffer>[] = [];
  // Sized to the file (a bootstrap file is a few KB): a fixed 64 KiB per file per run was garbage for the collector.
  const buffer = new Uint8Array(Math.min(64 * 1024, opened.size + 1));
  for (;;) {
    const count = await file.read(buffer);
    if (count === null) break;
    chunks.push(buffer.slice(0, count));
  }
  return { text: new TextDecoder().decode(await new Blob(chunks).arrayBuffer()), info: opened, realRoot, real: again };
}
