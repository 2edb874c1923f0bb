// The host directories a sandbox mounts, made safe to mount: a private workspace is a real directory
// directly under workspaceRoot (never a symlink a shared-scope sandbox planted there under another
// agent's name), created owner-only; a workdir resolves inside the directory mounted for it.
import { ToolError } from "./tool.ts";

function inside(root: string, path: string): boolean {
  return path === root || path.startsWith(root.endsWith("/") ? root : `${root}/`);
}

function refuse(dir: string, why: string): never {
  throw new ToolError(
    `Sandbox workspace ${dir} ${why}: command was not executed. Remove it (the gateway recreates it as a directory), or check agents.defaults.sandbox.workspaceRoot.`,
  );
}

/**
 * Creates (if needed) and checks the private workspace `dir` under `root`; returns its real path.
 * `dir` equal to `root` (scope `shared`) is the operator's own directory and only created.
 */
export async function preparePrivateWorkspace(root: string, dir: string): Promise<string> {
  if (!root.startsWith("/")) {
    throw new ToolError(
      `agents.defaults.sandbox.workspaceRoot "${root}" is not an absolute path: command was not executed. Set it to an absolute path or one starting with ~/.`,
    );
  }
  await Deno.mkdir(root, { recursive: true, mode: 0o700 });
  const realRoot = await Deno.realPath(root);
  if (dir === root) return realRoot;
  const name = dir.slice(root.length + 1);
  if (!dir.startsWith(`${root}/`) || name === "" || name.includes("/")) refuse(dir, "is not directly under the root");
  let info: Deno.FileInfo | undefined;
  try {
    info = await Deno.lstat(dir);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  if (!info) {
    try {
      await Deno.mkdir(dir, { mode: 0o700 });
    } catch (error) {
      if (!(error instanceof Deno.errors.AlreadyExists)) throw error;
    }
    info = await Deno.lstat(dir);
  }
  if (info.isSymlink) refuse(dir, "is a symlink");
  if (!info.isDirectory) refuse(dir, "is not a directory");
  const real = await Deno.realPath(dir);
  if (real !== `${realRoot}/${name}`) refuse(dir, "resolves outside the sandbox workspace root");
  return real;
}

/** The host directory of a sandbox workdir, when it is a directory whose real path stays inside `mountRoot`. */
export async function workdirInside(mountRoot: string, hostPath: string): Promise<boolean> {
  try {
    const [root, real] = await Promise.all([Deno.realPath(mountRoot), Deno.realPath(hostPath)]);
    return inside(root, real) && (await Deno.stat(real)).isDirectory;
  } catch {
    return false;
  }
}
