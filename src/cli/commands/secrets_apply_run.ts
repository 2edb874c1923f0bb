// Applying a validated `secrets apply` plan as the reference does: provider deletes and upserts under
// `secrets.providers`, each target's place set to its SecretRef, migrated plaintext values scrubbed
// from the `.env` files of the state and config dirs (known secret names only), every target ref
// resolved against the projected config before anything is written. Dry run reports what would change;
// a write restores the files it touched when a later write fails.
import { loadConfig } from "../../config/load.ts";
import { ConfigError } from "../../config/errors.ts";
import { isUsableSecretString, resolveSecretRefs, type SecretRefContext } from "../../config/secret_ref_resolver.ts";
import { secretRefLabel } from "../../config/secret_ref_key.ts";
import { ENV_ASSIGNMENT_RE, KNOWN_SECRET_ENV_NAMES, parseEnvAssignmentValue } from "../../config/secret_markers.ts";
import { planRunsExec, type SecretsPlan } from "../../config/secrets_plan.ts";
import { readTextIfExists, writeConfigFile, writeTextAtomic } from "../../config/write.ts";
import { isJsonObject } from "../../log/json_object.ts";
import { dotEnvPaths } from "./secrets_audit_files.ts";

/** The reference's apply result, as `--json` prints it. */
export interface ApplyResult {
  mode: "dry-run" | "write";
  changed: boolean;
  changedFiles: string[];
  checks: { resolvability: true; resolvabilityComplete: boolean };
  refsChecked: number;
  skippedExecRefs: number;
  warningCount: number;
  warnings: string[];
}

/** Where the apply reads and writes, and what resolution may use. */
export interface ApplyInputs {
  configPath: string;
  stateDir: string;
  env: SecretRefContext["env"];
  readStore: SecretRefContext["readStore"];
  runExec: SecretRefContext["runExec"];
  fileMode?: SecretRefContext["fileMode"];
}

/** An apply refusal: the message the reference prints after `Secrets apply failed: `. */
export class SecretsApplyError extends Error {}

function setPath(config: Record<string, unknown>, segments: string[], value: unknown): boolean {
  let node = config;
  for (const key of segments.slice(0, -1)) {
    const next = node[key];
    if (next === undefined) node[key] = {};
    else if (!isJsonObject(next)) {
      throw new SecretsApplyError(`Cannot set ${segments.join(".")}: ${key} is not an object.`);
    }
    node = node[key] as Record<string, unknown>;
  }
  const last = segments.at(-1)!;
  if (JSON.stringify(node[last]) === JSON.stringify(value)) return false;
  node[last] = structuredClone(value);
  return true;
}

function applyProviders(config: Record<string, unknown>, plan: SecretsPlan): boolean {
  const secrets = isJsonObject(config.secrets) ? config.secrets : {};
  const providers: Record<string, unknown> = isJsonObject(secrets.providers) ? structuredClone(secrets.providers) : {};
  let changed = false;
  for (const alias of plan.providerDeletes) {
    if (!Object.hasOwn(providers, alias)) continue;
    delete providers[alias];
    changed = true;
  }
  for (const [alias, provider] of Object.entries(plan.providerUpserts)) {
    if (JSON.stringify(providers[alias]) === JSON.stringify(provider)) continue;
    providers[alias] = structuredClone(provider);
    changed = true;
  }
  if (!changed) return false;
  config.secrets = secrets;
  if (Object.keys(providers).length === 0) delete secrets.providers;
  else secrets.providers = providers;
  return true;
}

function scrubEnvText(raw: string, migrated: Set<string>): { text: string; removed: number } {
  const kept: string[] = [];
  let removed = 0;
  for (const line of raw.split(/\r?\n/)) {
    const match = line.match(ENV_ASSIGNMENT_RE);
    if (match && KNOWN_SECRET_ENV_NAMES.has(match[1] ?? "") && migrated.has(parseEnvAssignmentValue(match[2] ?? ""))) {
      removed += 1;
      continue;
    }
    kept.push(line);
  }
  const joined = kept.join("\n");
  const text = raw.endsWith("\n") || joined.length === 0 ? `${joined}${joined.endsWith("\n") ? "" : "\n"}` : joined;
  return { text, removed };
}

/** Projects the plan onto the current files, checks every target ref, and writes unless `write` is false. */
export async function runSecretsApply(
  plan: SecretsPlan,
  inputs: ApplyInputs,
  options: { write: boolean; allowExec: boolean },
): Promise<ApplyResult> {
  if (options.write && planRunsExec(plan) && !options.allowExec) {
    throw new SecretsApplyError("Plan contains exec SecretRefs/providers. Re-run with --allow-exec.");
  }
  let snapshot;
  try {
    snapshot = await loadConfig(inputs.configPath, inputs.env);
  } catch (error) {
    if (error instanceof ConfigError) throw new SecretsApplyError("Cannot apply secrets plan: config is invalid.");
    throw error;
  }
  const next = structuredClone(snapshot.authored);
  const changedFiles = new Set<string>();
  if (applyProviders(next, plan)) changedFiles.add(inputs.configPath);
  const migrated = new Set<string>();
  let configChanged = false;
  for (const target of plan.targets) {
    let node: unknown = next;
    for (const key of target.segments) node = isJsonObject(node) ? node[key] : undefined;
    if (typeof node === "string" && node.trim()) migrated.add(node.trim());
    if (setPath(next, target.segments, target.ref)) configChanged = true;
  }
  if (configChanged) changedFiles.add(inputs.configPath);
  const envWrites = new Map<string, string>();
  if (plan.scrubEnv && migrated.size > 0) {
    for (const path of dotEnvPaths(inputs.stateDir, inputs.configPath)) {
      const current = await readTextIfExists(path);
      if (current === undefined) continue;
      const scrubbed = scrubEnvText(current, migrated);
      if (scrubbed.removed > 0 && scrubbed.text !== current) {
        envWrites.set(path, scrubbed.text);
        changedFiles.add(path);
      }
    }
  }
  const allowExecNow = options.write || options.allowExec;
  const checked = await checkTargets(plan, next, inputs, allowExecNow);
  const files = [...changedFiles].sort();
  const result = (mode: ApplyResult["mode"], complete: boolean, skipped: number): ApplyResult => ({
    mode,
    changed: files.length > 0,
    changedFiles: mode === "write" && files.length === 0 ? [] : files,
    checks: { resolvability: true, resolvabilityComplete: complete },
    refsChecked: checked.refsChecked,
    skippedExecRefs: skipped,
    warningCount: 0,
    warnings: [],
  });
  if (!options.write) return result("dry-run", allowExecNow || checked.skipped === 0, checked.skipped);
  if (files.length === 0) return result("write", true, 0);
  await writeAll({ path: inputs.configPath, hash: snapshot.hash, next }, envWrites);
  return result("write", true, 0);
}

async function checkTargets(
  plan: SecretsPlan,
  config: Record<string, unknown>,
  inputs: ApplyInputs,
  allowExec: boolean,
): Promise<{ refsChecked: number; skipped: number }> {
  let refsChecked = 0;
  let skipped = 0;
  const context: SecretRefContext = {
    config,
    env: inputs.env,
    readStore: inputs.readStore,
    readFile: (path) => Deno.readTextFile(path),
    fileMode: inputs.fileMode,
    runExec: inputs.runExec,
  };
  for (const target of plan.targets) {
    if (target.ref.source === "exec" && !allowExec) {
      skipped += 1;
      const providers = isJsonObject(config.secrets) && isJsonObject(config.secrets.providers)
        ? config.secrets.providers
        : {};
      const provider = providers[target.ref.provider];
      if (!isJsonObject(provider)) {
        throw new SecretsApplyError(
          `Error: Secret provider "${target.ref.provider}" is not configured (ref: ${secretRefLabel(target.ref)}).`,
        );
      }
      continue;
    }
    const outcome = (await resolveSecretRefs([target.ref], context)).get(secretRefLabel(target.ref));
    refsChecked += 1;
    if (!outcome) continue;
    if (!outcome.ok) throw new SecretsApplyError(outcome.error.message, { cause: outcome.error.cause });
    if (!isUsableSecretString(outcome.value)) {
      throw new SecretsApplyError(`Ref ${secretRefLabel(target.ref)} is not a non-empty string.`);
    }
  }
  return { refsChecked, skipped };
}

/**
 * Writes the config (as every config write does: atomically, the previous file kept as `.bak`, refused if
 * the file changed since it was read) and the scrubbed `.env` files; on a failure puts back what it wrote.
 */
async function writeAll(
  config: { path: string; hash: string; next: Record<string, unknown> },
  envWrites: Map<string, string>,
): Promise<void> {
  const before = new Map<string, string | undefined>();
  for (const path of [config.path, ...envWrites.keys()]) before.set(path, await readTextIfExists(path));
  const done: string[] = [];
  try {
    await writeConfigFile(config.path, config.next, { expectedHash: config.hash });
    done.push(config.path);
    for (const [path, text] of envWrites) {
      await writeTextAtomic(path, text, { mode: 0o600 });
      done.push(path);
    }
  } catch (error) {
    for (const path of done) {
      const old = before.get(path);
      if (old === undefined) await Deno.remove(path).catch(() => {});
      else await writeTextAtomic(path, old, { mode: 0o600 }).catch(() => {});
    }
    throw new SecretsApplyError(`Secrets apply failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}
