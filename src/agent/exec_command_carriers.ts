// Commands that carry another command (run it, change who or where it runs, or evaluate text as
// code): the allowlist cannot judge what they run from their own path, so a line using one fails
// closed, as the reference's dispatch-wrapper, command-carrier and package-manager tables make it.
// Where the reference unwraps a few of them and judges the inner command, this gateway refuses
// (stricter): nothing that starts another program is matched by the carrier's own allowlist entry.

/** The reference's dispatch wrappers it cannot unwrap (or only for display), plus the command carriers. */
const BLOCKED_WRAPPERS = new Set([
  "arch",
  "builtin",
  "bwrap",
  "caffeinate",
  "catchsegv",
  "chrt",
  "chroot",
  "command",
  "cpulimit",
  "doas",
  "eatmydata",
  "eval",
  "exec",
  "firejail",
  "flock",
  "gosu",
  "ionice",
  "linux32",
  "linux64",
  "nsenter",
  "numactl",
  "pkexec",
  "proot",
  "proxychains",
  "proxychains4",
  "runuser",
  "sandbox-exec",
  "script",
  "setarch",
  "setpriv",
  "setsid",
  "source",
  ".",
  "su",
  "sudo",
  "systemd-run",
  "taskset",
  "time",
  "torify",
  "torsocks",
  "unbuffer",
  "unshare",
  "watch",
  "xcrun",
  "xvfb-run",
  // Positional carriers: their operands become the command they run.
  "xargs",
  "parallel",
  // Package runners: they fetch or run a package's binary (the reference's "unsafe-exec").
  "npx",
  "bunx",
  "pnpx",
]);

/** The reference's shell wrappers: with arguments they run a script or inline command. */
export const SHELL_WRAPPERS = new Set([
  "ash",
  "bash",
  "csh",
  "dash",
  "elvish",
  "fish",
  "ksh",
  "mksh",
  "nu",
  "osh",
  "sh",
  "tcsh",
  "xonsh",
  "yash",
  "zsh",
  "pwsh",
  "powershell",
  "cmd",
  "busybox",
  "toybox",
]);

const FIND_EXEC_ACTIONS = new Set(["-exec", "-execdir", "-ok", "-okdir"]);
const PACKAGE_EXEC_SUBCOMMANDS = new Set(["exec", "x", "dlx", "create", "init"]);
/** Interpreter flags that evaluate their operand as code. */
const NODE_EVAL_FLAGS = new Set(["-e", "--eval", "-p", "--print", "-pe", "-i", "--interactive"]);

function baseName(token: string): string {
  return (token.split("/").pop() ?? token).toLowerCase().replace(/\.exe$/, "");
}

/** Why a segment's argv carries another command (the allowlist cannot judge it), or null when it does not. */
export function carriedCommandReason(argv: readonly string[]): string | null {
  const name = baseName(argv[0] ?? "");
  if (BLOCKED_WRAPPERS.has(name)) return `command carrier: ${name}`;
  if (name === "find" && argv.some((t) => FIND_EXEC_ACTIONS.has(t))) return "command carrier: find -exec";
  if (["npm", "pnpm", "yarn", "bun"].includes(name)) {
    const sub = argv.slice(1).find((t) => !t.startsWith("-"));
    if (sub && PACKAGE_EXEC_SUBCOMMANDS.has(sub)) return `command carrier: ${name} ${sub}`;
  }
  if (["node", "nodejs", "deno", "bun"].includes(name) && argv.some((t) => NODE_EVAL_FLAGS.has(t))) {
    return `inline eval: ${name}`;
  }
  return null;
}

/** Whether the argv runs a shell with arguments (a script or `-c` text the allowlist entry for the shell cannot cover). */
export function isShellWrapperInvocation(argv: readonly string[]): boolean {
  return SHELL_WRAPPERS.has(baseName(argv[0] ?? "")) && argv.length > 1;
}
