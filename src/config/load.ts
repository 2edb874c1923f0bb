import JSON5 from "json5";
import type { z } from "zod";
import { ConfigError, type ConfigIssue, formatIssue } from "./errors.ts";
import { locateJson5Path, locateJson5Value } from "./json5_locate.ts";
import type { EnvSnapshot } from "./paths.ts";
import type { RawConfig } from "./schema.ts";
import { checkRawConfig } from "./raw_config_check_gen.ts";
import { substituteEnv } from "./substitute.ts";
import { deeperThan, MAX_CONFIG_DEPTH } from "./config_depth.ts";
import { sha256Hex } from "./config_hash.ts";
import { readConfigText } from "./read_config_text.ts";
import { messageOf } from "../log/error_text.ts";
import { isJsonObject } from "../log/json_object.ts";

export { sha256Hex } from "./config_hash.ts";

/** A config file as read: its text, what it says, and that content's hash. */
export interface ConfigSnapshot {
  path: string;
  /** False when no file exists at `path`; `config` is then empty. */
  exists: boolean;
  /** The file's text ("" when missing). */
  source: string;
  /** The parsed file before `${VAR}` substitution: what writes must preserve. */
  authored: Record<string, unknown>;
  /** The validated config after substitution. */
  config: RawConfig;
  /** SHA-256 of `source`, hex: the guard for hash-checked writes. */
  hash: string;
}

/** Reads, parses and validates the config at `path`. A missing file is an empty config. */
export async function loadConfig(path: string, env: EnvSnapshot): Promise<ConfigSnapshot> {
  const source = await readConfigText(path);
  if (source === undefined) {
    return { path, exists: false, source: "", authored: {}, config: {}, hash: await sha256Hex("") };
  }
  return { ...(await parseConfigText(source, { path, env })), hash: await sha256Hex(source) };
}

/** Loads the zod schema: only for a config the generated check does not vouch for. */
export type SchemaLoader = () => Promise<Pick<typeof import("./schema.ts"), "RawConfigSchema">>;

const loadSchema: SchemaLoader = () => import("./schema.ts");

/**
 * Parses and validates config text; throws a {@link ConfigError} listing every problem. `parsed`,
 * when given, is `source` as JSON5 already parsed it (so a caller that parsed it does not pay twice).
 * A config the generated check (src/config/raw_config_check_gen.ts) accepts is its value, exactly
 * zod's; any other is judged by the zod schema, loaded then (`schema`, a seam for tests), so errors
 * keep their words and positions. zod's chunk is ~6 MB of idle RSS and ~60 ms of a CLI command.
 */
export async function parseConfigText(
  source: string,
  options: { path: string; env: EnvSnapshot; parsed?: { value: unknown } | undefined; schema?: SchemaLoader },
): Promise<Omit<ConfigSnapshot, "hash">> {
  const { path, env } = options;
  let parsed: unknown;
  try {
    parsed = options.parsed ? options.parsed.value : source.trim() === "" ? {} : JSON5.parse(source);
  } catch (error) {
    throw invalidConfig(path, [json5SyntaxIssue(source, error)], "syntax");
  }
  if (!isJsonObject(parsed)) {
    throw invalidConfig(path, [{ path: "", message: "the config must be an object ({ ... })", line: 1, column: 1 }]);
  }
  const authored = parsed;
  const deep = deeperThan(authored, MAX_CONFIG_DEPTH);
  if (deep) {
    // The walks below recurse; a runaway file must get this error, not a stack overflow.
    throw invalidConfig(path, [{
      path: deep.join("."),
      message:
        `nested deeper than ${MAX_CONFIG_DEPTH} levels; no config is this deep: look for a runaway structure here`,
    }]);
  }
  const include = findInclude(authored);
  if (include) {
    // Ignoring it would silently drop the included settings; refusing says what to do.
    const at = locateJson5Path(source, include);
    throw invalidConfig(path, [{
      path: include.join("."),
      message: "`$include` is not supported by this gateway yet; inline the included file's content",
      line: at?.line,
      column: at?.column,
    }]);
  }
  const substituted = substituteEnv(authored, env);
  const issues: ConfigIssue[] = substituted.issues.map((issue) => locate(source, issue));
  const checked = substituted.issues.length === 0 ? checkRawConfig(substituted.value) : undefined;
  if (checked) return { path, exists: true, source, authored, config: checked.value };
  const { RawConfigSchema } = await (options.schema ?? loadSchema)();
  const result = RawConfigSchema.safeParse(substituted.value);
  if (!result.success) {
    // The wording modules load with zod, only for a refused config: a valid one's start pays for neither.
    const words = { ...(await import("./zod_issue_words.ts")), ...(await import("./received_value.ts")) };
    issues.push(...zodIssues(source, result.error.issues, { authored, effective: substituted.value }, words));
  }
  if (issues.length > 0) throw invalidConfig(path, issues, "schema", lastTouchedVersion(substituted.value));
  return { path, exists: true, source, authored, config: result.data! };
}

function findInclude(node: unknown, path: string[] = []): string[] | undefined {
  if (node === null || typeof node !== "object") return undefined;
  if (Array.isArray(node)) {
    for (const [i, item] of node.entries()) {
      const found = findInclude(item, [...path, String(i)]);
      if (found) return found;
    }
    return undefined;
  }
  for (const [key, child] of Object.entries(node)) {
    if (key === "$include") return [...path, key];
    const found = findInclude(child, [...path, key]);
    if (found) return found;
  }
  return undefined;
}

/**
 * zod's issues in the reference's words (src/config/zod_issue_words.ts), each located in `source` and
 * carrying the refused value as text renderings show it (src/config/received_value.ts).
 */
function zodIssues(
  source: string,
  issues: readonly z.core.$ZodIssue[],
  trees: { authored: unknown; effective: unknown },
  words:
    & Pick<typeof import("./zod_issue_words.ts"), "zodIssueWords">
    & Pick<typeof import("./received_value.ts"), "receivedValueHint">,
): ConfigIssue[] {
  const { zodIssueWords, receivedValueHint } = words;
  const out: ConfigIssue[] = [];
  for (const issue of issues) {
    const segments = issue.path.filter((part): part is string | number => typeof part !== "symbol");
    const path = segments.map(String);
    // Located at the value, as the reference does (an unknown key at its object): none when not written.
    const at = locateJson5Value(source, segments);
    const worded = zodIssueWords(issue);
    const received = receivedValueHint(segments, worded.message, { ...trees, located: at !== undefined });
    out.push({
      path: path.join("."),
      message: worded.message,
      line: at?.line,
      column: at?.column,
      segments,
      ...(worded.allowedValues ? { allowedValues: worded.allowedValues } : {}),
      ...(worded.allowedValuesHiddenCount ? { allowedValuesHiddenCount: worded.allowedValuesHiddenCount } : {}),
      ...(received === undefined ? {} : { received }),
    });
  }
  return out;
}

function locate(source: string, issue: ConfigIssue): ConfigIssue {
  const at = locateJson5Path(source, issue.path === "" ? [] : issue.path.split("."));
  return { ...issue, line: at?.line, column: at?.column };
}

/**
 * Turns a json5 SyntaxError into an issue located where the fault is. json5 reports a bad
 * newline (an unterminated string, a truncated value) after counting it: line + 1, column 0,
 * one line below the fault. Such a position is moved to the end of the line it ends.
 */
export function json5SyntaxIssue(source: string, error: unknown): ConfigIssue {
  // json5 adds the position to its SyntaxError as `lineNumber`/`columnNumber`.
  let line = numberField(error, "lineNumber");
  let column = numberField(error, "columnNumber");
  let detail = messageOf(error);
  if (line !== undefined && column !== undefined) {
    if (column === 0 && line > 1) {
      line -= 1;
      column = (source.split("\n")[line - 1] ?? "").replace(/\r$/, "").length + 1;
      detail = detail.replace(/invalid character '\\n'/, "unexpected end of line");
    }
    detail = detail.replace(/ at \d+:\d+$/, ` at ${line}:${column}`);
  }
  // The reference's words (`JSON5 parse failed: SyntaxError: JSON5: …`): operators search for them.
  return { path: "", message: `JSON5 parse failed: SyntaxError: ${detail}`, line, column };
}

function numberField(value: unknown, key: string): number | undefined {
  const field = isJsonObject(value) ? value[key] : undefined;
  return typeof field === "number" ? field : undefined;
}

/** `meta.lastTouchedVersion` as the file says it (after substitution), when it is a string. */
function lastTouchedVersion(config: unknown): string | undefined {
  const meta = isJsonObject(config) ? config.meta : undefined;
  const version = isJsonObject(meta) ? meta.lastTouchedVersion : undefined;
  return typeof version === "string" ? version : undefined;
}

function invalidConfig(
  path: string,
  issues: ConfigIssue[],
  kind: "syntax" | "schema" = "schema",
  touched?: string,
): ConfigError {
  const lines = issues.map((issue) => formatIssue(issue, path));
  // "Fix the keys" only helps when keys are at fault; a syntax error needs the text fixed.
  const fix = kind === "syntax" ? "Fix the syntax at the position above" : "Fix the keys above";
  return new ConfigError(
    `Invalid config at ${path}:\n${lines.join("\n")}\n${fix} and retry; the running file was not changed`,
    { file: path, issues, lastTouchedVersion: touched },
  );
}
