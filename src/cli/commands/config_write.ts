// `openclaw config set|unset|patch`: edits of the config as written, as the reference makes them
// (recorded against OpenClaw 2026.9.6; docs/cli.md). Every write validates the whole new config,
// is hash-guarded and atomic with a `.bak`, says whether the gateway must restart, and leaves the
// file byte for byte alone when nothing changes. `OPENCLAW_CONFIG_READONLY=1` refuses them all.
import JSON5 from "json5";
import {
  applyOperations,
  ConfigEditError,
  describePath,
  type EditOperation,
  patchOperations,
  sameJson,
} from "../../config/config_edit.ts";
import {
  arrayIndex,
  ConfigPathError,
  getAtPath,
  parseConfigPath,
  schemaPrefersArray,
} from "../../config/config_path.ts";
import { ConfigError } from "../../config/errors.ts";
import { json5CommentsWarning } from "../../config/json5_comments.ts";
import { type ConfigSnapshot, loadConfig, parseConfigText } from "../../config/load.ts";
import type { EnvSnapshot } from "../../config/paths.ts";
import { ConfigChangedError, writeConfigFile } from "../../config/write.ts";
import { isJsonObject } from "../../log/json_object.ts";
import type { GlobalOptions } from "../main.ts";
import { printError, printJson, printLine } from "../output.ts";
import { configReadOnly, configTarget, issueLines, readOnlyMessage, shortHome } from "./config_common.ts";
import {
  checkRefs,
  type DryRunError,
  dryRunFailureLines,
  type DryRunResult,
  skippedExecNote,
} from "./config_write_report.ts";
import { reloadHint } from "../../config/reload_hint.ts";
import { readInputFile, readPatchStdin } from "./config_inputs.ts";

/** Flags every writer takes. */
export interface ConfigWriteFlags {
  dryRun?: boolean;
  json?: boolean;
  allowExec?: boolean;
  merge?: boolean;
  replace?: boolean;
}

/** Flags of `openclaw config patch`. */
export interface ConfigPatchFlags extends ConfigWriteFlags {
  file?: string;
  stdin?: boolean;
  replacePath?: string[];
}

/** A conditional write: the path must be absent, or hold this JSON value. */
export type Expectation = { kind: "absent" } | { kind: "json"; value: unknown };

/** A refusal the command prints as it is and exits 1 on. */
export class CommandFailure extends Error {}

const CONFLICT = (detail: string) =>
  `The config file changed while this command was writing (${detail}), so nothing was changed. Re-run the same command to pick up the new file and try again.`;

/** The reference's refusal of an invalid config before a command that reads or edits it (text form). */
export function invalidBlock(path: string, env: EnvSnapshot, error: ConfigError): string {
  const fix = configReadOnly(env)
    ? `Fix: ${readOnlyMessage(path, env)}`
    : 'Run "openclaw doctor --fix" to repair the config, then retry.';
  return [
    "OpenClaw config is invalid",
    `File: ${shortHome(path, env)}`,
    "Problem:",
    ...issueLines(error, path, "-").map((line) => `  ${line}`),
    "",
    ...(configReadOnly(env) ? [fix, "Inspect: openclaw config validate"] : ["Inspect: openclaw config validate"]),
    "Audit, status, health, logs, tasks list/audit, and doctor commands still run with invalid config.",
    ...(configReadOnly(env) ? [] : [fix]),
  ].join("\n");
}

async function startMutation(path: string, env: EnvSnapshot): Promise<ConfigSnapshot> {
  let snapshot: ConfigSnapshot;
  try {
    snapshot = await loadConfig(path, env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    throw new CommandFailure(error.issues.length > 0 ? invalidBlock(path, env, error) : error.message);
  }
  return snapshot;
}

/** The reference's clobber guard: a write may not drop `gateway.mode`; the payload is kept aside. */
async function guardClobber(path: string, before: Record<string, unknown>, after: Record<string, unknown>) {
  const mode = (tree: Record<string, unknown>) => isJsonObject(tree.gateway) ? tree.gateway.mode : undefined;
  if (typeof mode(before) !== "string" || mode(after) !== undefined) return;
  const rejected = `${path}.rejected.${new Date().toISOString().replaceAll(":", "-").replaceAll(".", "-")}`;
  let detail = `Rejected payload saved to ${rejected}.`;
  try {
    await Deno.writeTextFile(rejected, `${JSON.stringify(after, null, 2)}\n`, { createNew: true, mode: 0o600 });
  } catch (error) {
    detail = `Rejected payload could not be saved to ${rejected}: ${error instanceof Error ? error.message : error}.`;
  }
  throw new CommandFailure(`Config write rejected: ${path} (gateway-mode-removed). ${detail}`);
}

/**
 * Writes a validated new tree over the snapshot it was made from: the clobber guard, the comments
 * warning, then the hash-guarded atomic write (with its `.bak`, mode 0600); a file changed since
 * it was read is refused, untouched.
 */
async function writeChecked(path: string, snapshot: ConfigSnapshot, tree: Record<string, unknown>): Promise<void> {
  await guardClobber(path, snapshot.authored, tree);
  const warning = json5CommentsWarning(snapshot.source, path);
  if (warning) printError(warning);
  try {
    await writeConfigFile(path, tree, { expectedHash: snapshot.hash });
  } catch (error) {
    if (error instanceof ConfigChangedError) throw new CommandFailure(CONFLICT("the file changed since it was read"));
    throw error;
  }
}

/**
 * Commits a whole new authored tree as `config set` does (read-only refusal, full validation, then
 * {@link writeChecked}); other commands that edit the config (`agents bind`, …) write through it.
 */
export async function commitTree(
  path: string,
  env: EnvSnapshot,
  snapshot: ConfigSnapshot,
  tree: Record<string, unknown>,
): Promise<void> {
  if (configReadOnly(env)) throw new CommandFailure(readOnlyMessage(path, env));
  try {
    await parseConfigText(`${JSON.stringify(tree, null, 2)}\n`, { path, env, parsed: { value: tree } });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const first = error.issues[0];
    throw new CommandFailure(
      `Config validation failed: ${first ? `${first.path || "<root>"}: ${first.message}` : error.message}`,
    );
  }
  await writeChecked(path, snapshot, tree);
}

/** True when a dotted numeric segment (`allowFrom.0`) may need the schema to tell an array from a map. */
function needsSchema(operations: readonly EditOperation[]): boolean {
  return operations.some((operation) =>
    operation.mutation !== "delete" &&
    operation.path.some((token, i) =>
      i > 0 && typeof token === "string" && arrayIndex(token) !== undefined && !operation.quotedNumeric?.has(i)
    )
  );
}

/** Applies operations to the config as written and reports, writes or refuses as the reference does. */
export async function runOperations(
  options: GlobalOptions,
  flags: ConfigWriteFlags,
  operations: EditOperation[],
  mode: "set" | "patch",
  expectation?: Expectation,
): Promise<number> {
  const { env, path } = configTarget(options);
  const snapshot = await startMutation(path, env);
  const schema = needsSchema(operations) ? (await import("../../config/json_schema.ts")).configJsonSchema() : undefined;
  const applied = applyOperations(snapshot.authored, operations, {
    ...flags,
    numericKeys: mode === "patch",
    prefersArray: schema && ((at) => schemaPrefersArray(schema, at)),
  });
  const strict = operations.some((operation) => operation.inputMode !== "value");
  // As the reference: a dry run checks the whole schema for JSON and unset inputs, not for the
  // SecretRef a builder checked part by part (`checks.schema: false` says so).
  const fullSchema = operations.some((operation) => operation.inputMode === "unset" || operation.inputMode === "json");
  const result: DryRunResult = {
    ok: true,
    operations: operations.length,
    configPath: path,
    inputModes: [...new Set(operations.map((operation) => operation.inputMode))],
    checks: { schema: fullSchema, resolvability: strict, resolvabilityComplete: strict },
    refsChecked: 0,
    skippedExecRefs: 0,
  };
  if (!applied.ok) {
    const shown = describePath(applied.missing, snapshot.authored);
    if (flags.dryRun && flags.json) {
      printJson({
        ...result,
        checks: { schema: false, resolvability: false, resolvabilityComplete: false },
        ok: false,
        errors: [{ kind: "missing-path", message: `Config path not found: ${shown}. Nothing was changed.` }],
      });
      return 1;
    }
    throw new CommandFailure(
      `Config path not found: ${shown}. Nothing was changed. Run openclaw config get <path> first if you are unsure of the path.`,
    );
  }
  const tree = applied.tree;
  const text = `${JSON.stringify(tree, null, 2)}\n`;
  let next: Omit<ConfigSnapshot, "hash"> | undefined;
  // Each issue as `path: message`; a dry run lists them all, a refused write names the first, as the reference does.
  let schemaIssues: string[] = [];
  try {
    next = await parseConfigText(text, { path, env, parsed: { value: tree } });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    schemaIssues = error.issues.map((issue) => `${issue.path || "<root>"}: ${issue.message}`);
    if (schemaIssues.length === 0) schemaIssues = [error.message];
  }
  if (flags.dryRun) {
    const refs = strict ? checkRefs(operations, tree, env) : { refsChecked: 0, skippedExecRefs: 0, errors: [] };
    const errors: DryRunError[] = fullSchema
      ? schemaIssues.map((issue): DryRunError => ({ kind: "schema", message: `- ${issue}` }))
      : [];
    errors.push(...refs.errors);
    const report: DryRunResult = { ...result, refsChecked: refs.refsChecked, skippedExecRefs: refs.skippedExecRefs };
    report.checks.resolvabilityComplete = strict && refs.skippedExecRefs === 0;
    if (errors.length > 0) {
      if (flags.json) printJson({ ...report, ok: false, errors });
      else printError(dryRunFailureLines(errors, refs.skippedExecRefs).join("\n"));
      return 1;
    }
    if (flags.json) {
      printJson(report);
      return 0;
    }
    if (!strict) {
      printLine(
        "Dry run note: value mode does not run schema/resolvability checks. Use --strict-json, builder flags, or batch mode to enable validation checks.",
      );
    }
    if (refs.skippedExecRefs > 0) printLine(skippedExecNote(refs.skippedExecRefs));
    printLine(`Dry run successful: ${operations.length} update(s) validated against ${shortHome(path, env)}.`);
    return 0;
  }
  const expected = () => {
    if (!expectation) return;
    const current = getAtPath(snapshot.config, operations[0]!.path);
    const holds = expectation.kind === "absent"
      ? !current.found
      : current.found && sameJson(current.value, expectation.value);
    if (!holds) {
      throw new CommandFailure(CONFLICT("conditional config set expectation did not match the authored config"));
    }
  };
  // Key order is no change: the file (and its comments) stays as it is.
  if (mode === "set" && sameJson(tree, snapshot.authored)) {
    expected();
    printLine("No change");
    return 0;
  }
  expected();
  // As the reference: dry runs, "No change", a missing path and a failed expectation answer as
  // usual on an immutable config; only a write is refused, before its validation.
  if (configReadOnly(env)) throw new CommandFailure(readOnlyMessage(path, env));
  if (!next) throw new CommandFailure(`Config validation failed: ${schemaIssues[0]}`);
  await writeChecked(path, snapshot, tree);
  const hint = reloadHint(snapshot, next, env);
  if (mode === "patch") printLine(`Applied ${operations.length} config update(s). ${hint}`);
  else if (operations.length === 1) {
    const operation = operations[0]!;
    const action = operation.mutation === "delete" ? "Removed" : "Updated";
    printLine(`${action} ${describePath(operation.path, tree)}. ${hint}`);
  } else printLine(`Updated ${operations.length} config paths. ${hint}`);
  return 0;
}

/** Runs a writer, turning the refusals it names into their message on stderr (and the dry-run JSON shape) and exit 1. */
export async function guarded(
  flags: ConfigWriteFlags,
  options: GlobalOptions,
  task: () => Promise<number>,
): Promise<number> {
  try {
    return await task();
  } catch (error) {
    const known = error instanceof CommandFailure || error instanceof ConfigEditError ||
      error instanceof ConfigPathError;
    if (!known) throw error;
    if (flags.dryRun && flags.json) {
      printJson({
        ok: false,
        operations: 0,
        configPath: configTarget(options).path,
        inputModes: [],
        checks: { schema: false, resolvability: false, resolvabilityComplete: false },
        refsChecked: 0,
        skippedExecRefs: 0,
        errors: [{
          kind: error.message.startsWith("The config file changed") ? "conflict" : "schema",
          message: error.message,
        }],
      });
    }
    printError(error.message);
    return 1;
  }
}

/** `openclaw config unset <path>`: removes one authored value; an absent one exits 1, untouched. */
export async function configUnset(rawPath: string, options: GlobalOptions & ConfigWriteFlags): Promise<number> {
  return await guarded(options, options, async () => {
    if (options.allowExec && !options.dryRun) {
      throw new ConfigEditError("--allow-exec can only be used with --dry-run.");
    }
    if (options.json && !options.dryRun) throw new ConfigEditError("--json can only be used with --dry-run.");
    const operation: EditOperation = { inputMode: "unset", path: parseConfigPath(rawPath), mutation: "delete" };
    return await runOperations(options, options, [operation], "set");
  });
}

/** `openclaw config patch --file <path> | --stdin`: a JSON5 object patch in one validated write. */
export async function configPatch(options: GlobalOptions & ConfigPatchFlags): Promise<number> {
  return await guarded(options, options, async () => {
    const modeError = (message: string) => new ConfigEditError(`config patch mode error: ${message}`);
    if (options.allowExec && !options.dryRun) throw modeError("--allow-exec requires --dry-run.");
    if (options.json && !options.dryRun) throw modeError("--json requires --dry-run.");
    const file = options.file !== undefined && options.file.trim() !== "" ? options.file : undefined;
    if (Boolean(file) === Boolean(options.stdin)) throw modeError("provide exactly one of --file <path> or --stdin.");
    const label = options.stdin ? "--stdin" : "--file";
    const raw = options.stdin ? await readPatchStdin() : await readInputFile(file!, "--file");
    let patch: unknown;
    try {
      patch = JSON5.parse(raw);
    } catch (error) {
      throw new ConfigEditError(`Failed to parse ${label} as JSON5: ${error}`);
    }
    const replacePaths = (options.replacePath ?? []).map((path) => parseConfigPath(path));
    return await runOperations(options, options, patchOperations(patch, replacePaths), "patch");
  });
}
