// Safe bins (`tools.exec.safeBins`): stdin-only filters that run in allowlist mode without an
// allowlist entry, when their argv fits the reference's profile for them (no file operands, no
// path-like or expanding tokens, only known flags) and they resolve from a trusted directory.

/** A profile: how many positionals, which flags take a value, which are plain switches, which are refused. */
export interface SafeBinProfile {
  minPositional?: number | undefined;
  maxPositional?: number | undefined;
  allowedValueFlags?: readonly string[] | undefined;
  allowedBooleanFlags?: readonly string[] | undefined;
  deniedFlags?: readonly string[] | undefined;
}

/** The reference's default safe bins. */
export const DEFAULT_SAFE_BINS: readonly string[] = ["cut", "uniq", "head", "tail", "tr", "wc"];
/** The directories safe bins must resolve from unless `tools.exec.safeBinTrustedDirs` adds more. */
export const DEFAULT_SAFE_BIN_TRUSTED_DIRS: readonly string[] = ["/bin", "/usr/bin"];
/** Bins whose semantics cannot be held to stdin-only: never safe, whatever the config says. */
const ALWAYS_UNSAFE = new Set(["jq", "awk", "gawk", "mawk", "nawk", "sed", "gsed"]);

/** The reference's built-in profiles (flags as its docs list them). */
export const SAFE_BIN_PROFILES: Readonly<Record<string, SafeBinProfile>> = {
  grep: {
    maxPositional: 0,
    allowedValueFlags: [
      "--regexp",
      "--max-count",
      "--after-context",
      "--before-context",
      "--context",
      "--devices",
      "--binary-files",
      "--exclude",
      "--include",
      "--label",
      "-e",
      "-m",
      "-A",
      "-B",
      "-C",
      "-D",
    ],
    deniedFlags: [
      "--file",
      "--exclude-from",
      "--dereference-recursive",
      "--directories",
      "--recursive",
      "-f",
      "-d",
      "-r",
      "-R",
    ],
  },
  cut: {
    maxPositional: 0,
    allowedValueFlags: [
      "--bytes",
      "--characters",
      "--fields",
      "--delimiter",
      "--output-delimiter",
      "-b",
      "-c",
      "-f",
      "-d",
    ],
    allowedBooleanFlags: ["--complement", "--only-delimited", "--zero-terminated", "-n", "-s", "-z"],
  },
  sort: {
    maxPositional: 0,
    allowedValueFlags: ["--key", "--field-separator", "--buffer-size", "--parallel", "--batch-size", "-k", "-t", "-S"],
    deniedFlags: [
      "--compress-program",
      "--files0-from",
      "--output",
      "--random-source",
      "--temporary-directory",
      "-T",
      "-o",
    ],
  },
  uniq: {
    maxPositional: 0,
    allowedValueFlags: ["--skip-fields", "--skip-chars", "--check-chars", "--group", "-f", "-s", "-w"],
    allowedBooleanFlags: [
      "--count",
      "--repeated",
      "--unique",
      "--ignore-case",
      "--zero-terminated",
      "-c",
      "-d",
      "-u",
      "-i",
      "-z",
    ],
  },
  head: {
    maxPositional: 0,
    allowedValueFlags: ["--lines", "--bytes", "-n", "-c"],
    allowedBooleanFlags: ["--quiet", "--silent", "--verbose", "--zero-terminated", "-q", "-v", "-z"],
  },
  tail: {
    maxPositional: 0,
    allowedValueFlags: ["--lines", "--bytes", "--sleep-interval", "--max-unchanged-stats", "--pid", "-n", "-c"],
    allowedBooleanFlags: ["--quiet", "--silent", "--verbose", "--zero-terminated", "-q", "-v", "-z"],
    deniedFlags: ["--follow", "--retry", "-F", "-f"],
  },
  tr: {
    minPositional: 1,
    maxPositional: 2,
    allowedBooleanFlags: [
      "--complement",
      "--delete",
      "--squeeze-repeats",
      "--truncate-set1",
      "-C",
      "-c",
      "-d",
      "-s",
      "-t",
    ],
  },
  wc: {
    maxPositional: 0,
    allowedBooleanFlags: [
      "--bytes",
      "--chars",
      "--lines",
      "--max-line-length",
      "--words",
      "-L",
      "-c",
      "-l",
      "-m",
      "-w",
    ],
    deniedFlags: ["--files0-from"],
  },
};

function isPathLike(value: string): boolean {
  return value.startsWith("./") || value.startsWith("../") || value.startsWith("~") || value.startsWith("/");
}

/** A token that stays literal text: no glob, no brace or `$` expansion, not a path. */
export function isSafeLiteral(value: string | undefined): boolean {
  if (value === undefined) return false;
  if (!value || value === "-") return true;
  return !/[*?[\]]/.test(value) && !/\{[^}]*(?:,|\.\.)[^}]*\}/.test(value) &&
    !/\$(?:[A-Za-z0-9_@*?!$#-]|\{|\(|\[)/.test(value) && !isPathLike(value);
}

/** The known long flag a (possibly abbreviated) `--flag` names; null when unknown or ambiguous. */
function canonicalLong(flag: string, known: readonly string[]): string | null {
  if (known.includes(flag)) return flag;
  const hits = known.filter((k) => k.startsWith(flag));
  return hits.length === 1 ? hits[0]! : null;
}

/** Whether `args` (argv without the bin) fits the profile. */
export function validateSafeBinArgs(args: readonly string[], profile: SafeBinProfile): boolean {
  const values = new Set(profile.allowedValueFlags ?? []);
  const switches = new Set(profile.allowedBooleanFlags ?? []);
  const denied = new Set(profile.deniedFlags ?? []);
  const known = [...values, ...switches, ...denied].filter((f) => f.startsWith("--"));
  let positional = 0;
  for (let i = 0; i < args.length; i += 1) {
    const token = args[i]!;
    if (token === "" || token === "-") continue;
    if (token === "--") {
      const rest = args.slice(i + 1).filter((t) => t && t !== "-");
      if (!rest.every(isSafeLiteral)) return false;
      positional += rest.length;
      break;
    }
    if (!token.startsWith("-")) {
      if (!isSafeLiteral(token)) return false;
      positional += 1;
      continue;
    }
    if (token.startsWith("--")) {
      const eq = token.indexOf("=");
      const flag = canonicalLong(eq > 0 ? token.slice(0, eq) : token, known);
      if (!flag || denied.has(flag)) return false;
      if (eq > 0) {
        if (!values.has(flag) || !isSafeLiteral(token.slice(eq + 1))) return false;
      } else if (values.has(flag)) {
        if (!isSafeLiteral(args[i + 1]) || !args[i + 1]) return false;
        i += 1;
      }
      continue;
    }
    const cluster = token.slice(1);
    for (let j = 0; j < cluster.length; j += 1) {
      const flag = `-${cluster[j]}`;
      if (denied.has(flag)) return false;
      if (values.has(flag)) {
        const inline = cluster.slice(j + 1);
        if (inline) {
          if (!isSafeLiteral(inline)) return false;
        } else {
          if (!isSafeLiteral(args[i + 1]) || !args[i + 1]) return false;
          i += 1;
        }
        break;
      }
      if (!switches.has(flag)) return false;
    }
  }
  return positional >= (profile.minPositional ?? 0) &&
    (profile.maxPositional === undefined || positional <= profile.maxPositional);
}

/** The safe-bin settings in force (`tools.exec.safeBins`, `safeBinTrustedDirs`, `safeBinProfiles`). */
export interface SafeBinSettings {
  bins: readonly string[];
  trustedDirs: readonly string[];
  profiles: Readonly<Record<string, SafeBinProfile>>;
}

/** The reference's defaults, with what the config adds (profiles merge over the built-in ones). */
export function safeBinSettings(config?: {
  safeBins?: readonly string[] | undefined;
  safeBinTrustedDirs?: readonly string[] | undefined;
  safeBinProfiles?: Readonly<Record<string, SafeBinProfile>> | undefined;
}): SafeBinSettings {
  return {
    bins: (config?.safeBins ?? DEFAULT_SAFE_BINS).map((b) => b.trim().toLowerCase()).filter(Boolean),
    trustedDirs: [...DEFAULT_SAFE_BIN_TRUSTED_DIRS, ...(config?.safeBinTrustedDirs ?? [])],
    profiles: { ...SAFE_BIN_PROFILES, ...config?.safeBinProfiles },
  };
}

/** Whether one segment (its resolved binary and argv) is a safe-bin use. */
export function isSafeBinUse(
  resolvedRealPath: string | undefined,
  argv: readonly string[],
  s: SafeBinSettings,
): boolean {
  if (!resolvedRealPath) return false;
  const name = resolvedRealPath.split("/").pop()!.toLowerCase();
  if (ALWAYS_UNSAFE.has(name) || !s.bins.includes(name)) return false;
  const dir = resolvedRealPath.slice(0, resolvedRealPath.lastIndexOf("/")) || "/";
  if (!s.trustedDirs.some((trusted) => trusted.replace(/\/+$/, "") === dir)) return false;
  const profile = s.profiles[name];
  return profile !== undefined && validateSafeBinArgs(argv.slice(1), profile);
}
