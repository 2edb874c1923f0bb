// What the `openclaw models` config commands share: the config as written (an invalid one refused
// as the reference refuses it), the write through `config set`'s hash-guarded writer with the
// reference's "Updated config" lines, and its failure output (the words on stderr, exit 1).
import { ConfigEditError } from "../../config/config_edit.ts";
import { ConfigError } from "../../config/errors.ts";
import { type ConfigSnapshot, loadConfig } from "../../config/load.ts";
import { ModelSelectionError } from "../../config/model_selection.ts";
import { materializePolicyMigration } from "../../config/model_policy_migration.ts";
import { referenceAliases } from "../../config/model_status_defaults.ts";
import { builtInModel, normalizeBuiltInModelId } from "../../config/built_in_catalog.ts";
import { type EnvSnapshot, pathExists, resolvePaths } from "../../config/paths.ts";
import type { GlobalOptions } from "../main.ts";
import { printError, printFailureBlock, printJson, printLine } from "../output.ts";
import { invalidConfigMachineForm, jsonFailure, shortHome } from "./config_common.ts";
import { CommandFailure, commitTree, invalidBlock } from "./config_write.ts";

/** An invalid config, refused in the reference's text block, or with `--json` its envelope and stderr block. */
class InvalidModelsConfig extends CommandFailure {
  constructor(message: string, readonly envelope: Record<string, unknown>, readonly stderr: string) {
    super(message);
  }
}

function invalidConfig(path: string, env: EnvSnapshot, error: ConfigError): InvalidModelsConfig {
  const { envelope, stderr } = invalidConfigMachineForm(path, env, error);
  return new InvalidModelsConfig(invalidBlock(path, env, error), envelope, stderr);
}

/** The config a models command works on. */
export interface ModelsContext {
  env: EnvSnapshot;
  path: string;
  snapshot: ConfigSnapshot;
  /** The config as written (no `${VAR}` substituted, no defaults added). */
  tree: Record<string, unknown>;
}

/** Loads the active config; an invalid one is refused in the reference's words (as its CLI preflight words it). */
export async function loadModelsContext(options: GlobalOptions): Promise<ModelsContext> {
  const env: EnvSnapshot = Deno.env.toObject();
  const { configPath } = resolvePaths({ env, profile: options.profile, dev: options.dev, exists: pathExists });
  try {
    const snapshot = await loadConfig(configPath, env);
    return { env, path: configPath, snapshot, tree: snapshot.authored };
  } catch (error) {
    if (!(error instanceof ConfigError) || error.issues.length === 0) throw error;
    throw invalidConfig(configPath, env, error);
  }
}

/**
 * How a model input resolves, as the reference resolves it: the configured aliases and the built-in
 * ones its defaults give the model map (`sonnet` after an Anthropic API-key onboard), and a built-in
 * provider's own id aliases (`anthropic/fable`).
 */
export function selectionOptions(context: ModelsContext) {
  return {
    aliases: referenceAliases(context.snapshot.config, (name) => context.env[name]),
    normalizeId: normalizeBuiltInModelId,
  };
}

/** What `inspectSelection` knows of the built-in providers' static catalog. */
export const BUILT_IN_SELECTION = {
  builtInHas: (provider: string, id: string) => builtInModel(provider, id) !== undefined,
};

/** Writes the new tree (read-only refusal, validation, hash guard, `.bak`) and prints the reference's lines. */
export async function commitModels(context: ModelsContext, tree: Record<string, unknown>): Promise<void> {
  // As the reference's writes: a legacy model-map restriction becomes modelPolicy.allow and the
  // migration is marked, so the entry `models set` adds does not narrow what sessions may choose.
  await commitTree(context.path, context.env, context.snapshot, materializePolicyMigration(context.tree, tree));
  printLine(`Updated config: ${shortHome(context.path, context.env)}`);
  const backup = `${context.path}.bak`;
  if (pathExists(backup)) printLine(`  Backup: ${shortHome(backup, context.env)}`);
}

/** The reference's refusal of `--json` together with `--plain`. */
export function checkOutputFlags(flags: { json?: boolean; plain?: boolean }): void {
  if (flags.json && flags.plain) throw new ModelSelectionError("Choose either --json or --plain, not both.");
}

/**
 * Runs a models command: a refusal goes to stderr as the reference words it, exit 1; with
 * `--json` the reference prints the failure envelope on stdout and its generic block on stderr.
 */
export async function runModels(task: () => Promise<number>, json?: boolean): Promise<number> {
  try {
    return await task();
  } catch (error) {
    const known = error instanceof ModelSelectionError || error instanceof CommandFailure ||
      error instanceof ConfigEditError;
    if (!known) throw error;
    if (!json) {
      printError(error.message);
      return 1;
    }
    if (error instanceof InvalidModelsConfig) {
      printJson(error.envelope);
      printError(error.stderr);
      return 1;
    }
    return failGenerically(error.message, true);
  }
}

/** The reference's generic failure: with `--json` the envelope on stdout; its `[openclaw]` block on stderr; exit 1. */
export function failGenerically(message: string, json?: boolean): number {
  if (json) printJson(jsonFailure(message));
  printFailureBlock(message);
  return 1;
}
