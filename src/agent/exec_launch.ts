// How one exec call becomes a process: the environment, the working directory and the argv, on the
// gateway host (the user's shell) or inside the bubblewrap sandbox. Refusals are ToolErrors worded
// for the model; a bad workdir is a failed result, as the reference reports it.
import type { ResolvedExecSettings, ResolvedSandbox } from "../config/resolve_exec.ts";
import { bwrapArgv, type HostLayout, readHostLayout, type SandboxMount } from "./sandbox_bwrap.ts";
import { hostEnvOverrides, inheritedHostEnv } from "./host_env.ts";
import { preparePrivateWorkspace, workdirInside } from "./sandbox_dirs.ts";
import { sandboxLayout, sandboxNetwork } from "./sandbox_policy.ts";
import { ToolError } from "./tool.ts";

/** The standard PATH inside the sandbox (the host's own PATH may name directories it cannot see). */
export const SANDBOX_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
/** The descriptor bwrap writes its JSON status to. */
const STATUS_FD = 3;
/** Where bubblewrap is looked for. */
export const BWRAP_PATH = "/usr/bin/bwrap";

/** A launch ready for the registry, or a workdir the command cannot start in. */
export type Launch =
  | {
    ok: true;
    argv: string[];
    env: Record<string, string>;
    cwd: string;
    displayCwd: string;
    /** Sandboxed: the file bwrap writes its JSON status to (the caller reads, then removes it). */
    statusFile?: string | undefined;
  }
  | { ok: false; displayCwd: string; error: string };

/** What a launch is built from. */
export interface LaunchRequest {
  command: string;
  workdir: string | undefined;
  env: Record<string, string>;
  settings: ResolvedExecSettings;
  /** The agent's workspace (host path). */
  workspace: string;
  agentId: string;
  sessionKey: string;
}

/** Test seams: the gateway's environment, bwrap's path and the host layout. */
export interface LaunchHostFacts {
  env(): Record<string, string>;
  bwrapPath?: string | undefined;
  layout?(): Promise<HostLayout>;
}

/** The text the reference gives for a workdir that is not there. */
export function unavailableWorkdir(workdir: string): string {
  return [
    `workdir "${workdir}" is unavailable or not a directory: command was not executed.`,
    'workdir is treated as a literal path; shell expansions such as "~" are not applied.',
    "Use an existing directory, omit an explicit workdir to use the default cwd, or update the configured default cwd.",
  ].join(" ");
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isDirectory;
  } catch {
    return false;
  }
}

function joinPath(base: string, relative: string): string {
  if (relative === "" || relative === ".") return base;
  if (relative.startsWith("/")) return relative;
  return `${base.replace(/\/+$/, "")}/${relative.replace(/^\.\//, "")}`;
}

function withPathPrepend(path: string | undefined, prepend: string[]): string | undefined {
  if (prepend.length === 0) return path;
  const rest = (path ?? "").split(":").filter((entry) => entry !== "" && !prepend.includes(entry));
  return [...prepend, ...rest].join(":");
}

/** The reference's refusal of a host command's env overrides (PATH, loaders, shell and tool hooks), or undefined. */
export function hostEnvViolation(env: Record<string, string>): string | undefined {
  const result = hostEnvOverrides(env);
  return "violation" in result ? result.violation : undefined;
}

/** The shell exec runs: `$SHELL` unless it is fish (whose syntax differs), else /bin/sh. */
function hostShell(env: Record<string, string>): string {
  const shell = env.SHELL;
  return shell && !/(^|\/)fish$/.test(shell) ? shell : "/bin/sh";
}

/** A command on the gateway host: the gateway's environment (as the policy allows) plus the call's, in its workspace. */
export async function hostLaunch(request: LaunchRequest, facts: LaunchHostFacts): Promise<Launch> {
  const overrides = hostEnvOverrides(request.env);
  if ("violation" in overrides) throw new ToolError(overrides.violation);
  const base = facts.env();
  const cwd = joinPath(request.workspace, request.workdir ?? "");
  if (!(await isDirectory(cwd))) {
    return { ok: false, displayCwd: cwd, error: unavailableWorkdir(request.workdir ?? cwd) };
  }
  // The gateway's credentials and start-up hooks stay out of the command's environment.
  const env: Record<string, string> = { ...inheritedHostEnv(base), ...overrides.env, OPENCLAW_SHELL: "exec" };
  const path = withPathPrepend(env.PATH, request.settings.pathPrepend);
  if (path !== undefined) env.PATH = path;
  return { ok: true, argv: [hostShell(base), "-c", request.command], env, cwd, displayCwd: cwd };
}

/** The mount a path inside the sandbox lies in, when it is one of them. */
function mountOf(path: string, mounts: SandboxMount[]): SandboxMount | undefined {
  return mounts.find((mount) => path === mount.path || path.startsWith(`${mount.path}/`));
}

/**
 * A command inside bubblewrap: the workspace layout of the sandbox settings, a minimal environment
 * (PATH, HOME=/workspace, LANG, `docker.env`, the call's env), the network only when allowed.
 */
export async function sandboxLaunch(
  request: LaunchRequest,
  sandbox: ResolvedSandbox,
  facts: LaunchHostFacts,
): Promise<Launch> {
  const bwrap = facts.bwrapPath ?? BWRAP_PATH;
  try {
    await Deno.stat(bwrap);
  } catch {
    throw new ToolError(
      `Sandboxed exec needs bubblewrap, which was not found at ${bwrap}: command was not executed. ` +
        `Install it on the gateway host (apt-get install bubblewrap, dnf install bubblewrap), or turn the sandbox off with agents.defaults.sandbox.mode="off".`,
    );
  }
  const network = sandboxNetwork(sandbox);
  if ("error" in network) throw new ToolError(network.error);
  const layout = await sandboxLayout(sandbox, request);
  const workspaceDir = layout.private
    ? await preparePrivateWorkspace(sandbox.workspaceRoot, layout.workspaceDir)
    : layout.workspaceDir;
  // `ro` mounts both read-only, as the reference's workspace mounts do.
  const mounts: SandboxMount[] = [{ hostPath: workspaceDir, path: "/workspace", writable: !layout.readOnly }];
  if (layout.agentMount) mounts.push({ hostPath: layout.agentMount, path: "/agent", writable: false });
  const cwd = joinPath(layout.containerWorkdir, request.workdir ?? "");
  const mount = mountOf(cwd, mounts);
  // A workdir is checked where the sandbox will see it: a link the sandbox planted that leaves its
  // mount is unavailable, not a probe of the host's directories.
  if (mount !== undefined && !(await workdirInside(mount.hostPath, mount.hostPath + cwd.slice(mount.path.length)))) {
    return { ok: false, displayCwd: cwd, error: unavailableWorkdir(request.workdir ?? cwd) };
  }
  const env: Record<string, string> = {
    PATH: SANDBOX_PATH,
    HOME: layout.containerWorkdir,
    LANG: "C.UTF-8",
    ...sandbox.env,
    ...request.env,
    OPENCLAW_SHELL: "exec",
  };
  const path = withPathPrepend(env.PATH, request.settings.pathPrepend);
  if (path !== undefined) env.PATH = path;
  const hostLayout = await (facts.layout ?? readHostLayout)();
  const sandboxArgv = bwrapArgv(hostLayout, {
    bwrap,
    mounts,
    network: network.share,
    cwd,
    command: ["/bin/sh", "-c", request.command],
    statusFd: STATUS_FD,
  });
  // bwrap's status goes to a file of the gateway's on descriptor 3 (bwrap does not pass it on to
  // the command), so its own failure is told apart from the command's output.
  const statusFile = await Deno.makeTempFile({ prefix: "openclaw-bwrap-status-" });
  const argv = ["/bin/sh", "-c", 'exec 3>"$0" && exec "$@"', statusFile, ...sandboxArgv];
  return { ok: true, argv, env, cwd: workspaceDir, displayCwd: cwd, statusFile };
}
