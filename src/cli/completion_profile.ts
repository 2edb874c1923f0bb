// Where each shell's completion is cached and sourced, and the pure edit `completion --install`
// makes to a shell profile: one `# OpenClaw Completion` block sourcing the cached script, which
// replaces OpenClaw's earlier blocks and slow `source <(openclaw completion ...)` lines and leaves a
// user-managed `$HOME`-relative hook for the same cache alone (recorded from the reference 2026.9.6).

import type { EnvSnapshot } from "../config/paths.ts";

/** The shells `openclaw completion` generates for, in the reference's order. */
export const COMPLETION_SHELLS = ["zsh", "bash", "powershell", "fish"] as const;
/** One of {@link COMPLETION_SHELLS}. */
export type CompletionShell = typeof COMPLETION_SHELLS[number];

/** The header line of the profile block the installer owns. */
export const PROFILE_HEADER = "# OpenClaw Completion";

/** True for a shell name `openclaw completion` supports. */
export function isCompletionShell(value: string): value is CompletionShell {
  return (COMPLETION_SHELLS as readonly string[]).includes(value);
}

/** The shell named by `$SHELL` (`pwsh` is PowerShell); zsh when unset or unknown, as the reference on Linux. */
export function shellFromEnv(env: EnvSnapshot): CompletionShell {
  const path = env.SHELL?.trim() ?? "";
  const base = path.slice(path.lastIndexOf("/") + 1).replace(/\.(?:exe|cmd|bat)$/i, "").toLowerCase();
  if (isCompletionShell(base)) return base;
  return base === "pwsh" ? "powershell" : "zsh";
}

/** The cached script's path: `<stateDir>/completions/openclaw.<zsh|bash|ps1|fish>`. */
export function completionCachePath(stateDir: string, shell: CompletionShell, binName = "openclaw"): string {
  return `${stateDir}/completions/${binName}.${shell === "powershell" ? "ps1" : shell}`;
}

/** The startup profile the block goes into (bash needs to know whether `~/.bashrc` exists). */
export function completionProfilePath(
  shell: CompletionShell,
  env: EnvSnapshot,
  options: { home: string; exists: (path: string) => boolean },
): string {
  const home = env.HOME || options.home;
  const join = (dir: string, ...rest: string[]) => `${dir}${dir.endsWith("/") ? "" : "/"}${rest.join("/")}`;
  // An empty ZDOTDIR is still set: zsh then reads `/.zshrc`.
  if (shell === "zsh") return join(env.ZDOTDIR === undefined ? home : env.ZDOTDIR || "/", ".zshrc");
  if (shell === "bash") {
    const bashrc = join(home, ".bashrc");
    return options.exists(bashrc) ? bashrc : join(home, ".bash_profile");
  }
  if (shell === "fish") {
    const config = env.XDG_CONFIG_HOME?.startsWith("/") ? env.XDG_CONFIG_HOME : join(home, ".config");
    return join(config, "fish", "config.fish");
  }
  return join(home, ".config", "powershell", "Microsoft.PowerShell_profile.ps1");
}

/** `path` quoted literally for `shell` (spaces, quotes, `$` and backslashes stay as they are). */
export function quoteProfilePath(shell: CompletionShell, path: string): string {
  if (shell === "powershell") return `'${path.replace(/['‘’‚‛]/g, "$&$&")}'`;
  if (shell === "fish") return `'${path.replace(/[\\']/g, "\\$&")}'`;
  return `'${path.replaceAll("'", "'\\''")}'`;
}

/** The line that sources the cached script, guarded so a missing cache does not break the shell. */
export function sourceLine(shell: CompletionShell, cachePath: string): string {
  const quoted = quoteProfilePath(shell, cachePath);
  if (shell === "powershell") return `. ${quoted}`;
  if (shell === "fish") return `test -f ${quoted}; and source ${quoted}`;
  return `[ -f ${quoted} ] && source ${quoted}`;
}

/** The command that loads `path` into the current session, as the reference prints it in hints. */
export function reloadCommand(shell: CompletionShell, path: string): string {
  if (shell === "powershell") return `. ${quoteProfilePath(shell, path)}`;
  if (/^[a-zA-Z0-9_./~+-]+$/.test(path)) return `source ${path}`;
  const tilde = path.startsWith("~/") ? "~/" : "";
  return `source ${tilde}${quoteProfilePath(shell, path.slice(tilde.length))}`;
}

/** Whether `words` is an `openclaw completion [--shell S]` invocation (what the old profile lines ran). */
function isCompletionInvocation(text: string, binName: string): boolean {
  const [command, action, ...args] = text.trim().split(/\s+/);
  if (command !== binName || action !== "completion") return false;
  if (args.length === 2 && (args[0] === "--shell" || args[0] === "-s")) return isCompletionShell(args[1]!);
  return args.length === 0 || (args.length === 1 && isCompletionShell(args[0]!.replace(/^(?:--shell=|-s=?)/, "")));
}

/** A line that regenerates the script at every shell start (`source <(openclaw completion)` and kin). */
export function isSlowCompletionLine(line: string, binName = "openclaw"): boolean {
  const text = line.trim();
  const substitution = text.indexOf(`<(${binName} completion`);
  if (substitution >= 0) {
    const lead = text.slice(0, substitution).trimEnd();
    const expression = text.slice(substitution);
    return /^(?:\[\s+-f\s+[^\]]+\]\s*&&\s*)?(?:source|\.)$/.test(lead) && expression.endsWith(")") &&
      isCompletionInvocation(expression.slice(2, -1), binName);
  }
  const at = text.indexOf(`${binName} completion`);
  if (at < 0) return false;
  const evalLead = /^eval\s+(["']?)\$\($/.exec(text.slice(0, at).trimEnd());
  if (evalLead) {
    const closing = `)${evalLead[1]}`;
    const rest = text.slice(at);
    return rest.endsWith(closing) && isCompletionInvocation(rest.slice(0, -closing.length), binName);
  }
  if (at !== 0 || /[;&]/.test(text)) return false;
  const stages = text.split("|").map((stage) => stage.trim());
  const last = stages.at(-1) ?? "";
  return isCompletionInvocation(stages[0]!, binName) && /^(?:source|Invoke-Expression|iex)$/i.test(last) &&
    (stages.length === 2 || (stages.length === 3 && /^Out-String$/i.test(stages[1]!)));
}

/** A source line the installer wrote (in any shell's form or the older double-quoted one) for `cachePath`. */
function isOwnedSourceLine(line: string, cachePath: string, binName: string): boolean {
  if (isSlowCompletionLine(line, binName)) return true;
  const text = line.trim();
  const legacy = [
    `source "${cachePath}"`,
    `[ -f "${cachePath}" ] && source "${cachePath}"`,
    `test -f "${cachePath}"; and source "${cachePath}"`,
  ];
  return legacy.includes(text) || COMPLETION_SHELLS.some((shell) => text === sourceLine(shell, cachePath));
}

function unquoteProfilePath(quoted: string, shell: CompletionShell): string | undefined {
  if (!/^'.*'$/s.test(quoted)) return undefined;
  const inner = quoted.slice(1, -1);
  const path = shell === "powershell"
    ? inner.replace(/(['‘’‚‛])\1/g, "$1")
    : shell === "fish"
    ? inner.replace(/\\([\\'])/g, "$1")
    : inner.replaceAll("'\\''", "'");
  return quoteProfilePath(shell, path) === quoted ? path : undefined;
}

/** A line of an earlier install that sourced the same script name from another state dir. */
function isPreviousSourceLine(line: string, cachePath: string, shell: CompletionShell): boolean {
  const text = line.trim();
  const guarded = /^(?:\[\s+-f|test\s+-f)\s+(.+?)\s*(?:\]\s*&&|;\s*and)\s+source\s+\1$/.exec(text);
  const direct = /^(source|\.)\s+(.+)$/.exec(text);
  const quoted = guarded?.[1] ?? direct?.[2];
  if (!quoted) return false;
  const legacy = /^"(.+)"$/.exec(quoted)?.[1];
  const path = legacy ?? unquoteProfilePath(quoted, direct?.[1] === "." ? "powershell" : shell);
  if (path === undefined || !path.startsWith("/")) return false;
  const parts = path.split("/");
  return parts.at(-2) === "completions" && parts.at(-1) === cachePath.slice(cachePath.lastIndexOf("/") + 1);
}

const UNSAFE_IN_PATH = /[\s"'`$\\|&;<>()*?[\]{}]/;

/** The path a `$HOME`/`${HOME}`-rooted operand names, or undefined when it is not such a plain path. */
function expandHomeOperand(operand: string, home: string, shell: CompletionShell): string | undefined {
  const doubleQuoted = operand.length >= 2 && operand.startsWith('"') && operand.endsWith('"');
  const inner = doubleQuoted ? operand.slice(1, -1) : operand;
  if (doubleQuoted ? inner.includes('"') : /["'`]/.test(inner)) return undefined;
  if (!doubleQuoted && UNSAFE_IN_PATH.test(home)) return undefined;
  const token = shell === "fish" ? "$HOME" : inner.startsWith("${HOME}") ? "${HOME}" : "$HOME";
  if (!inner.startsWith(token)) return undefined;
  const rest = inner.slice(token.length);
  return !UNSAFE_IN_PATH.test(rest) && rest.startsWith("/") ? `${home}${rest}` : undefined;
}

/** A dotfile manager's guarded hook for the current cache (`[[ -f "${HOME}/..." ]] && source "${HOME}/..."`). */
function isPortableHook(line: string, shell: CompletionShell, cachePath: string, home: string): boolean {
  if (shell === "powershell") return false;
  const prefix = home.endsWith("/") ? home : `${home}/`;
  const rest = cachePath.startsWith(prefix) ? cachePath.slice(prefix.length) : "";
  if (rest === "" || UNSAFE_IN_PATH.test(rest)) return false;
  const text = line.replace(/^[ \t]+|[ \t]+$/g, "");
  const hook = shell === "fish"
    ? /^test[ \t]+-f[ \t]+(.+?)[ \t]*;[ \t]*and[ \t]+source[ \t]+(.+)$/.exec(text)
    : /^\[[ \t]+-f[ \t]+(.+?)[ \t]+\][ \t]*&&[ \t]+source[ \t]+(.+)$/.exec(text) ??
      /^\[\[[ \t]+-f[ \t]+(.+?)[ \t]+\]\][ \t]*&&[ \t]+source[ \t]+(.+)$/.exec(text);
  return hook !== null && expandHomeOperand(hook[1]!, home, shell) === cachePath &&
    expandHomeOperand(hook[2]!, home, shell) === cachePath;
}

/** What installing into a profile does: the new text, whether it differs, whether completion was there. */
export interface ProfileUpdate {
  next: string;
  changed: boolean;
  hadExisting: boolean;
}

/** Where the profile edit applies and what it sources. */
export interface ProfileTarget {
  shell: CompletionShell;
  cachePath: string;
  home: string;
  binName?: string;
}

/** The profile text after installing the block for `target` (pure; the reference's rules). */
export function updateProfile(content: string, target: ProfileTarget): ProfileUpdate {
  const { shell, cachePath, home } = target;
  const binName = target.binName ?? "openclaw";
  const lines = content.split("\n");
  const kept: string[] = [];
  let hadExisting = false;
  let portable = false;
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!;
    if (line.trim() === PROFILE_HEADER) {
      const next = lines[index + 1] ?? "";
      // A header over a user-managed hook is theirs; keep both as written.
      if (isPortableHook(next, shell, cachePath, home)) {
        kept.push(line);
        continue;
      }
      hadExisting = true;
      if (isOwnedSourceLine(next, cachePath, binName) || isPreviousSourceLine(next, cachePath, shell)) index++;
      continue;
    }
    if (isOwnedSourceLine(line, cachePath, binName)) {
      hadExisting = true;
      continue;
    }
    if (isPortableHook(line, shell, cachePath, home)) {
      hadExisting = true;
      portable = true;
    }
    kept.push(line);
  }
  if (portable) {
    const next = kept.join("\n");
    return { next, changed: next !== content, hadExisting };
  }
  const body = kept.join("\n").trimEnd();
  const block = `${PROFILE_HEADER}\n${sourceLine(shell, cachePath)}`;
  const next = body ? `${body}\n\n${block}\n` : `${block}\n`;
  return { next, changed: next !== content, hadExisting };
}

/** Whether the profile text already loads completion for `target` (a block, an owned line or a hook). */
export function profileHasCompletion(content: string, target: ProfileTarget): boolean {
  const binName = target.binName ?? "openclaw";
  return content.split("\n").some((line) =>
    isOwnedSourceLine(line, target.cachePath, binName) ||
    isPortableHook(line, target.shell, target.cachePath, target.home)
  );
}

/** Whether the profile still regenerates the script at every start (doctor's "slow dynamic completion"). */
export function profileUsesSlowCompletion(content: string, target: ProfileTarget): boolean {
  const binName = target.binName ?? "openclaw";
  return content.split("\n").some((line) => isSlowCompletionLine(line, binName) && !line.includes(target.cachePath));
}
