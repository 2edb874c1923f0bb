// The bubblewrap sandbox as data: what the sandbox sees (a read-only system, its workspace, fresh
// /tmp, /proc and /dev) turned into bwrap's argv by one pure function, so the table of mounts can be
// read and tested. bwrap needs no daemon; every namespace is unshared, the network too unless the
// config allows it, and the sandbox dies with the gateway (and with its process group).

/** One top-level system path of the host as the sandbox should mirror it. */
export type HostEntry = { path: string; kind: "dir" } | { path: string; kind: "symlink"; target: string };

/** The host's system layout: which of the system paths exist, as directories or symlinks (merged /usr). */
export interface HostLayout {
  system: HostEntry[];
}

/** One bind mount into the sandbox. */
export interface SandboxMount {
  hostPath: string;
  path: string;
  writable: boolean;
}

/** What one sandboxed command gets. */
export interface BwrapPlan {
  /** The workspace (rw) and, with `workspaceAccess: "ro"`, the agent's workspace at /agent. */
  mounts: SandboxMount[];
  /** True keeps the host's network (the config allowed it); false unshares it. */
  network: boolean;
  /** The working directory inside the sandbox. */
  cwd: string;
  /** The program and its arguments, run inside. */
  command: string[];
  /** bwrap's path (default /usr/bin/bwrap). */
  bwrap?: string | undefined;
  /**
   * A descriptor bwrap writes its JSON status to: `child-pid` once it forked, `exit-code` once the
   * command ran to its end. Without `exit-code` the sandbox failed to start (see exec_tool.ts).
   */
  statusFd?: number | undefined;
}

/** The top-level system directories a program may need; each is mirrored read-only when the host has it. */
export const SYSTEM_PATHS: readonly string[] = [
  "/usr",
  "/bin",
  "/sbin",
  "/lib",
  "/lib32",
  "/lib64",
  "/libx32",
];

/**
 * The few files of /etc programs need to start (the dynamic loader's cache, Debian's alternatives
 * symlinks, time zone); users, hosts and everything else of /etc stay hidden.
 */
export const ETC_BASE: readonly string[] = [
  "/etc/ld.so.cache",
  "/etc/ld.so.conf",
  "/etc/ld.so.conf.d",
  "/etc/alternatives",
  "/etc/localtime",
];

/** With the network allowed, name resolution and TLS need these too. */
export const ETC_NETWORK: readonly string[] = [
  "/etc/resolv.conf",
  "/etc/hosts",
  "/etc/nsswitch.conf",
  "/etc/gai.conf",
  "/etc/ssl",
  "/etc/ca-certificates",
  "/etc/pki",
];

/** The sandbox's temporary directories: fresh and empty for every command. */
const TMPFS: readonly string[] = ["/tmp", "/var/tmp", "/run"];

/** Each tmpfs holds at most this many bytes (memory-backed: a runaway write cannot eat the host's RAM). */
export const TMPFS_SIZE_BYTES = 512 * 1024 * 1024;

/** bwrap's argv for one command, from the host layout and the plan (pure: same input, same argv). */
export function bwrapArgv(layout: HostLayout, plan: BwrapPlan): string[] {
  // No --new-session: the gateway starts bwrap in a session of its own with no terminal (nothing to
  // inject keystrokes into), and bwrap's setsid would take the sandbox out of the process group
  // the gateway kills on abort, timeout and shutdown.
  const argv = [plan.bwrap ?? "/usr/bin/bwrap", "--die-with-parent", "--unshare-all"];
  if (plan.network) argv.push("--share-net");
  // Root on the host stays root-in-a-namespace with no capabilities, and may not nest namespaces.
  argv.push("--unshare-user", "--disable-userns", "--cap-drop", "ALL", "--hostname", "openclaw-sandbox");
  for (const entry of layout.system) {
    if (entry.kind === "symlink") argv.push("--symlink", entry.target, entry.path);
    else argv.push("--ro-bind", entry.path, entry.path);
  }
  for (const path of plan.network ? [...ETC_BASE, ...ETC_NETWORK] : ETC_BASE) argv.push("--ro-bind-try", path, path);
  argv.push("--proc", "/proc", "--dev", "/dev");
  for (const path of TMPFS) argv.push("--size", String(TMPFS_SIZE_BYTES), "--tmpfs", path);
  for (const mount of plan.mounts) argv.push(mount.writable ? "--bind" : "--ro-bind", mount.hostPath, mount.path);
  if (plan.statusFd !== undefined) argv.push("--json-status-fd", String(plan.statusFd));
  argv.push("--chdir", plan.cwd, "--", ...plan.command);
  return argv;
}

/** Reads the host's system layout (which system paths are directories, which merged-/usr symlinks). */
export async function readHostLayout(paths: readonly string[] = SYSTEM_PATHS): Promise<HostLayout> {
  const system: HostEntry[] = [];
  for (const path of paths) {
    try {
      const info = await Deno.lstat(path);
      if (info.isSymlink) system.push({ path, kind: "symlink", target: await Deno.readLink(path) });
      else if (info.isDirectory) system.push({ path, kind: "dir" });
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
  }
  return { system };
}
