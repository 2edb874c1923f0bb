// `openclaw secrets apply --from <plan> [--dry-run] [--allow-exec] [--json]`: reads the plan file as the
// reference reads it (a regular file of at most 16 MiB, JSON, a valid plan), applies it
// (secrets_apply_run.ts) and prints the reference's lines; every refusal is
// `Secrets apply failed: <why>. Re-run …` on stderr (or the CLI error envelope with --json), exit 1.
import { pathExists, resolvePaths } from "../../config/paths.ts";
import { parseSecretsPlan, type SecretsPlan } from "../../config/secrets_plan.ts";
import { messageOf } from "../../log/error_text.ts";
import type { GlobalOptions } from "../main.ts";
import { printError, printJson, printLine } from "../output.ts";
import { runSecretsApply } from "./secrets_apply_run.ts";
import { execProviderRunner } from "../../config/secret_exec_runner.ts";
import { fileModeOf } from "../../config/runtime_secret_refs.ts";
import { readLiveStoreEntries } from "./secrets_state_reads.ts";

/** Options of `openclaw secrets apply`. */
export interface SecretsApplyOptions extends GlobalOptions {
  from: string;
  dryRun?: boolean;
  allowExec?: boolean;
  json?: boolean;
}

/** The reference's input limit for a plan file, in bytes. */
export const SECRETS_PLAN_MAX_BYTES = 16_777_216;

/** Reads and validates the plan at `path`; throws with the reference's message. */
async function readPlanFile(path: string): Promise<SecretsPlan> {
  let info: Deno.FileInfo;
  try {
    info = await Deno.stat(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) throw new Error(`Secrets plan file not found: ${path}`);
    throw error;
  }
  if (!info.isFile) throw new Error(`Secrets plan path is not a regular file: ${path}`);
  if (info.size > SECRETS_PLAN_MAX_BYTES) {
    throw new Error(`Secrets plan file exceeds ${SECRETS_PLAN_MAX_BYTES} bytes: ${path}`);
  }
  const raw = await Deno.readTextFile(path);
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (error) {
    throw new Error(`Malformed JSON in secrets plan file: ${path}`, { cause: error });
  }
  const plan = parseSecretsPlan(parsed);
  if (!plan) {
    throw new Error(
      `Invalid secrets plan file: ${path}. Generate a fresh plan with openclaw secrets configure --plan-out <path>.`,
    );
  }
  return plan;
}

/** A failure with its cause's words appended (` | <cause>`), as the reference prints it for humans. */
function withCause(error: unknown): string {
  const cause = error instanceof Error && error.cause !== undefined ? ` | ${messageOf(error.cause)}` : "";
  return `${messageOf(error)}${cause}`;
}

/** Runs `openclaw secrets apply`; returns the exit code. */
export async function secretsApply(options: SecretsApplyOptions): Promise<number> {
  const env = Deno.env.toObject();
  const paths = resolvePaths({ env, profile: options.profile, dev: options.dev, exists: pathExists });
  const dryRun = options.dryRun ?? false;
  let result;
  try {
    const plan = await readPlanFile(options.from);
    let entries: Map<string, string> | undefined;
    result = await runSecretsApply(plan, {
      configPath: paths.configPath,
      stateDir: paths.stateDir,
      env,
      readStore: (name) => (entries ??= readLiveStoreEntries(paths.stateDir)).get(name),
      runExec: execProviderRunner(env),
      fileMode: fileModeOf,
    }, { write: !dryRun, allowExec: options.allowExec ?? false });
  } catch (error) {
    if (options.json) printJson({ ok: false, error: { type: "cli_error", message: messageOf(error) } });
    else {
      printError(
        `Secrets apply failed: ${
          withCause(error)
        }. Re-run openclaw secrets apply --from <path> --dry-run to inspect the plan without writing.`,
      );
    }
    return 1;
  }
  if (options.json) {
    printJson(result);
    return 0;
  }
  if (dryRun) {
    printLine(
      result.changed
        ? `Secrets apply dry run: ${result.changedFiles.length} file(s) would change.`
        : "Secrets apply dry run: no changes.",
    );
    if (!result.checks.resolvabilityComplete && result.skippedExecRefs > 0) {
      printLine(
        `Secrets apply dry-run note: skipped ${result.skippedExecRefs} exec SecretRef resolvability check(s). Re-run with --allow-exec to execute exec providers during dry-run.`,
      );
    }
    return 0;
  }
  printLine(
    result.changed ? `Secrets applied. Updated ${result.changedFiles.length} file(s).` : "Secrets apply: no changes.",
  );
  return 0;
}
