import { formatConfigPath } from "./config_path.ts";

/** One problem found in a config file, located as precisely as the source allows. */
export interface ConfigIssue {
  /** Dotted key path (`gateway.port`), or "" for the whole file. */
  path: string;
  message: string;
  line?: number | undefined;
  column?: number | undefined;
  /** The path as tokens, array indices as numbers (text lines print `a.b[0]`), when it names a value. */
  segments?: (string | number)[] | undefined;
  /** The values the refused one could have been (the reference's `allowedValues`), at most twelve. */
  allowedValues?: string[] | undefined;
  /** How many allowed values were left out of {@link allowedValues}. */
  allowedValuesHiddenCount?: number | undefined;
  /** The refused value as text renderings append it (`, got: "x"`), when the reference would show it. */
  received?: string | undefined;
}

/** How the CLI edge should treat a config failure: bad flags (1) or bad configuration (78). */
export type ConfigExitKind = "config" | "usage";

/** Options for {@link ConfigError}. */
export interface ConfigErrorOptions {
  file?: string | undefined;
  issues?: ConfigIssue[] | undefined;
  exitKind?: ConfigExitKind | undefined;
  /** The file's `meta.lastTouchedVersion`, for the version-skew advice under its issues. */
  lastTouchedVersion?: string | undefined;
  cause?: unknown;
}

/** A configuration that cannot be used as written: names the file, the keys and the fix. */
export class ConfigError extends Error {
  /** The config file at fault, when one is. */
  readonly file: string | undefined;
  /** Every problem found, in source order. */
  readonly issues: ConfigIssue[];
  /** Whether this is a usage error (flags) or a configuration error. */
  readonly exitKind: ConfigExitKind;
  /** The file's `meta.lastTouchedVersion`, when it names one. */
  readonly lastTouchedVersion: string | undefined;

  constructor(message: string, options: ConfigErrorOptions = {}) {
    super(message, { cause: options.cause });
    this.name = "ConfigError";
    this.file = options.file;
    this.issues = options.issues ?? [];
    this.exitKind = options.exitKind ?? "config";
    this.lastTouchedVersion = options.lastTouchedVersion;
  }
}

/** Formats one issue as `file:line:column — path: message` for operators and log lines. */
export function formatIssue(issue: ConfigIssue, file?: string): string {
  const where = [file, issue.line, issue.column].filter((part) => part !== undefined).join(":");
  const key = issue.path === "" ? "<root>" : issue.path;
  return `${where ? `${where} — ` : ""}${key}: ${issue.message}`;
}

/**
 * Issues as the reference's gateway logs a refused reload: `path: message` joined by ", ", the
 * path bracketed where it indexes an array, the whole file as an empty path, no location (the
 * file is the one being watched; `health` keeps the located form).
 */
export function reloadIssueSummary(issues: readonly ConfigIssue[]): string {
  return issues.map((issue) => {
    const path = issue.segments?.length ? formatConfigPath(issue.segments) : issue.path;
    return `${path}: ${issue.message}`;
  }).join(", ");
}
