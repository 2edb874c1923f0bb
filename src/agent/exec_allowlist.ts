// Allowlist matching as the reference documents it: each top-level segment of the command must be
// satisfied, by an entry whose pattern globs the resolved binary's real path (or, for a bare-name
// pattern, the name of a binary invoked through PATH) and whose optional `argPattern` matches the
// argv, or as a safe bin, or as a safe shell builtin. "Allow always" saves the binary's real path
// with a hash binding the exact argv to the working directory.
import { createHash } from "node:crypto";
import { posix } from "node:path";
import { type AllowlistEntry } from "./exec_approvals_file.ts";
import { carriedCommandReason, isShellWrapperInvocation } from "./exec_command_carriers.ts";
import { analyzeCommand, unwrapDispatch } from "./exec_command_parse.ts";
import { isSafeBinUse, type SafeBinSettings } from "./exec_safe_bins.ts";

/** Where a segment's executable resolves. */
export interface ExecutableResolution {
  rawExecutable: string;
  resolvedPath?: string | undefined;
  realPath?: string | undefined;
  name: string;
  /** Found through a relative PATH entry (it moves with `cd`). */
  fromRelativePathDir?: boolean | undefined;
}

/** What the evaluation needs from the host: how `~` and PATH resolve. */
export interface ResolveContext {
  cwd: string;
  pathEnv: string;
  home: string;
}

/** The outcome of judging a command line against an allowlist. */
export interface AllowlistEvaluation {
  analysisOk: boolean;
  /** Every segment satisfied (allowlist entry, safe bin or safe builtin). */
  satisfied: boolean;
  /** The entries that matched (their use is recorded on the document). */
  matches: AllowlistEntry[];
  segments: { argv: string[]; resolution: ExecutableResolution }[];
  reason?: string | undefined;
}

const SAFE_BUILTINS = new Set([":", "cd", "false", "pwd", "test", "true"]);
const INTERPRETERS =
  /^(?:python[0-9.]*|node|nodejs|deno|bun|ruby|perl|php|lua|luajit|osascript|pwsh|powershell|bash|sh|zsh|dash|ksh|fish|tclsh|Rscript)$/;

function isExecutableFile(path: string): boolean {
  try {
    const info = Deno.statSync(path);
    return info.isFile && ((info.mode ?? 0o111) & 0o111) !== 0;
  } catch {
    return false;
  }
}

function realPathOf(path: string | undefined): string | undefined {
  if (!path) return undefined;
  try {
    return Deno.realPathSync(path);
  } catch {
    return undefined;
  }
}

function expandHome(value: string, home: string): string {
  return value === "~" ? home : value.startsWith("~/") ? posix.join(home, value.slice(2)) : value;
}

/** Resolves an argv[0] as the shell would: a path relative to cwd, or the first match on PATH. */
export function resolveExecutable(raw: string, ctx: ResolveContext): ExecutableResolution {
  let resolvedPath: string | undefined;
  let fromRelativePathDir = false;
  if (raw.includes("/") || raw.startsWith("~")) {
    const candidate = posix.resolve(ctx.cwd, expandHome(raw, ctx.home));
    if (isExecutableFile(candidate)) resolvedPath = candidate;
  } else {
    for (const dir of ctx.pathEnv.split(":").filter(Boolean)) {
      const candidate = posix.join(posix.resolve(ctx.cwd, dir), raw);
      if (isExecutableFile(candidate)) {
        resolvedPath = candidate;
        fromRelativePathDir = !dir.startsWith("/");
        break;
      }
    }
  }
  return {
    rawExecutable: raw,
    resolvedPath,
    realPath: realPathOf(resolvedPath),
    name: resolvedPath ? posix.basename(resolvedPath) : raw,
    fromRelativePathDir,
  };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** The reference's glob: `**` any characters, `*` any but `/`, `?` one but `/`; `~` is the home dir. */
export function matchesPattern(pattern: string, target: string, home: string): boolean {
  const trimmed = pattern.trim();
  if (!trimmed) return false;
  const expanded = trimmed.startsWith("~") ? expandHome(trimmed, home) : trimmed;
  const normalizedTarget = /[*?]/.test(expanded) && target.split("/").some((s) => s === "." || s === "..")
    ? posix.normalize(target)
    : target;
  let regex = "^";
  for (let i = 0; i < expanded.length; i += 1) {
    const ch = expanded[i]!;
    if (ch === "*" && expanded[i + 1] === "*") {
      regex += ".*";
      i += 1;
    } else if (ch === "*") regex += "[^/]*";
    else if (ch === "?") regex += "[^/]";
    else regex += escapeRegExp(ch);
  }
  return new RegExp(`${regex}$`).test(normalizedTarget);
}

const CWD_ARGV_PREFIX = "sha256:cwd-argv:v1:";
const LEGACY_ARGV_PREFIX = "sha256:argv:";

function utf8Length(text: string): number {
  return new TextEncoder().encode(text).length;
}

/** The generated `argPattern` of an "allow always": a hash of the working directory and the exact arguments. */
export function cwdBoundArgPattern(argv: readonly string[], cwd: string): string {
  const dir = posix.normalize(cwd);
  const args = argv.slice(1);
  const subject = `${utf8Length(dir)}\0${dir}\0${args.length}\0${args.map((a) => `${utf8Length(a)}\0${a}\0`).join("")}`;
  return CWD_ARGV_PREFIX + createHash("sha256").update(subject, "utf8").digest("hex");
}

function matchesArgPattern(argPattern: string, argv: readonly string[]): boolean {
  if (argPattern.startsWith(LEGACY_ARGV_PREFIX)) return false;
  const args = argv.slice(1);
  const subject = argPattern.includes("\0") ? (args.length === 0 ? "\0\0" : `${args.join("\0")}\0`) : args.join(" ");
  try {
    return new RegExp(argPattern).test(subject);
  } catch {
    return false;
  }
}

function hasPathSelector(value: string): boolean {
  return value.includes("/") || value.includes("\\") || value.includes("~");
}

/** The entry satisfying one segment, preferring an argv-specific one over a path-only one (the reference's order). */
export function matchAllowlist(
  entries: readonly AllowlistEntry[],
  resolution: ExecutableResolution,
  argv: readonly string[],
  cwd: string,
  home: string,
): AllowlistEntry | null {
  const bareWild = entries.find((e) => e.pattern.trim() === "*" && !e.argPattern && e.source !== "allow-always");
  if (bareWild) return bareWild;
  const trustPath = resolution.realPath ?? resolution.resolvedPath;
  if (!trustPath) return null;
  let pathOnly: AllowlistEntry | null = null;
  let cwdHash: string | undefined;
  for (const entry of entries) {
    const pattern = entry.pattern.trim();
    if (!pattern) continue;
    const hit = hasPathSelector(pattern)
      ? matchesPattern(pattern, trustPath, home)
      : pattern !== "*" && !hasPathSelector(resolution.rawExecutable) &&
        [resolution.name, posix.basename(resolution.resolvedPath ?? "")].some((n) =>
          n && matchesPattern(pattern, n, home)
        );
    if (!hit) continue;
    if (!entry.argPattern) {
      if (entry.source !== "allow-always") pathOnly ??= entry;
      continue;
    }
    if (entry.argPattern.startsWith(CWD_ARGV_PREFIX)) {
      cwdHash ??= cwdBoundArgPattern(argv, cwd);
      if (entry.argPattern === cwdHash) return entry;
    } else if (entry.source !== "allow-always" && matchesArgPattern(entry.argPattern, argv)) return entry;
  }
  return pathOnly;
}

function trustedDirs(dirs: readonly string[]): string[] {
  return [...new Set(dirs.flatMap((d) => [posix.resolve(d), realPathOf(d)].filter((x): x is string => Boolean(x))))];
}

/** Judges a whole command line against an agent's allowlist and the safe bins. */
export function evaluateAllowlist(params: {
  command: string;
  allowlist: readonly AllowlistEntry[];
  safeBins: SafeBinSettings;
  ctx: ResolveContext;
}): AllowlistEvaluation {
  const analysis = analyzeCommand(params.command);
  if (!analysis.ok) return { analysisOk: false, satisfied: false, matches: [], segments: [], reason: analysis.reason };
  const safeBins = { ...params.safeBins, trustedDirs: trustedDirs(params.safeBins.trustedDirs) };
  const matches: AllowlistEntry[] = [];
  const segments: AllowlistEvaluation["segments"] = [];
  let satisfied = true;
  let changedDir = false;
  const refuse = (reason: string): AllowlistEvaluation => ({
    analysisOk: false,
    satisfied: false,
    matches: [],
    segments,
    reason,
  });
  for (const segment of analysis.segments) {
    const argv = unwrapDispatch(segment.argv);
    if (!argv) return refuse("dispatch wrapper");
    const carried = carriedCommandReason(argv);
    if (carried) return refuse(carried);
    const raw = argv[0]!;
    // After `cd`, a relative or `~` executable (or a relative PATH entry) resolves against a directory
    // this evaluation cannot know: fail closed (stricter than the reference).
    if (changedDir && (raw.startsWith("~") || (raw.includes("/") && !raw.startsWith("/")))) {
      return refuse("relative executable after cd");
    }
    const resolution = resolveExecutable(raw, params.ctx);
    if (changedDir && !raw.includes("/") && resolution.fromRelativePathDir) return refuse("relative PATH after cd");
    segments.push({ argv, resolution });
    if (raw === "cd") changedDir = true;
    // Bash runs its own builtin for these names whatever binary the allowlist names: judge the builtin.
    if (BASH_BUILTINS.has(raw)) {
      const entry = matchAllowlist(params.allowlist, resolution, argv, params.ctx.cwd, params.ctx.home);
      if (!builtinOperandsSafe(argv) || (!entry && !isSafeBuiltin(argv))) satisfied = false;
      else if (entry) matches.push(entry);
      continue;
    }
    // A shell with arguments runs text the shell's path-only entry cannot vouch for (the reference's rule).
    const allowlist = isShellWrapperInvocation(argv)
      ? params.allowlist.filter((e) => e.argPattern || e.pattern.trim() === "*")
      : params.allowlist;
    const entry = matchAllowlist(allowlist, resolution, argv, params.ctx.cwd, params.ctx.home);
    if (entry) {
      matches.push(entry);
      continue;
    }
    if (isSafeBinUse(resolution.realPath, argv, safeBins)) continue;
    satisfied = false;
  }
  return { analysisOk: true, satisfied, matches, segments };
}

function isSafeBuiltin(argv: readonly string[]): boolean {
  const head = argv[0]!;
  return head === "[" ? argv.at(-1) === "]" : SAFE_BUILTINS.has(head);
}

/** Names bash answers with a builtin even when a binary of that name is on PATH. */
const BASH_BUILTINS = new Set([":", "[", "cd", "echo", "false", "kill", "printf", "pwd", "test", "true"]);

/**
 * Bash evaluates array subscripts in builtin operands (`test -v 'a[$(id)]'`, `printf -v 'a[$(id)]'`)
 * and runs the command substitution inside: a builtin's operands may hold no `[`/`]` (bar the closing
 * `]` of `[ … ]`) and no `-v` option.
 */
function builtinOperandsSafe(argv: readonly string[]): boolean {
  const operands = argv[0] === "[" && argv.at(-1) === "]" ? argv.slice(1, -1) : argv.slice(1);
  return operands.every((t) => !t.includes("[") && !t.includes("]") && !/^-[A-Za-z]*v/.test(t));
}
/**
 * The entries an "allow always" adds: per segment, the binary's real path bound to its exact argv
 * and the working directory. Interpreters and shells are not saved (an inline script would ride on
 * them), as the reference does without strict inline eval.
 */
export function allowAlwaysEntries(evaluation: AllowlistEvaluation, cwd: string): AllowlistEntry[] {
  if (!evaluation.analysisOk) return [];
  const entries: AllowlistEntry[] = [];
  for (const { argv, resolution } of evaluation.segments) {
    const path = resolution.realPath ?? resolution.resolvedPath;
    if (!path || INTERPRETERS.test(posix.basename(path)) || SAFE_BUILTINS.has(argv[0]!)) continue;
    const argPattern = cwdBoundArgPattern(argv, cwd);
    if (entries.some((e) => e.pattern === path && e.argPattern === argPattern)) continue;
    entries.push({ pattern: path, argPattern, source: "allow-always" });
  }
  return entries;
}
