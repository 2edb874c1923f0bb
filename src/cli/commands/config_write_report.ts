// What `openclaw config set|unset|patch` report on a dry run: the result in the reference's shape,
// its failure lines, and SecretRef checks for changed env refs.
import type { EditOperation, InputMode } from "../../config/config_edit.ts";
import type { EnvSnapshot } from "../../config/paths.ts";
import { getAtPath, type PathToken } from "../../config/config_path.ts";
import { isJsonObject } from "../../log/json_object.ts";

/** One dry-run failure, in the reference's kinds. */
export interface DryRunError {
  kind: "missing-path" | "schema" | "resolvability" | "model" | "conflict";
  message: string;
  ref?: string;
}

/** The `--dry-run --json` result, field for field as the reference prints it. */
export interface DryRunResult {
  ok: boolean;
  operations: number;
  configPath: string;
  inputModes: InputMode[];
  checks: { schema: boolean; resolvability: boolean; resolvabilityComplete: boolean };
  refsChecked: number;
  skippedExecRefs: number;
  errors?: DryRunError[];
}

type Ref = { source: string; provider: string; id: string };

/** The refs an operation's value sets, each as the written tree holds it (a marker id restored). */
function refsIn(value: unknown, at: PathToken[], tree: unknown, out: Ref[]): void {
  if (Array.isArray(value)) value.forEach((item, i) => refsIn(item, [...at, i], tree, out));
  if (!isJsonObject(value)) return;
  const { source, provider, id } = value;
  if (typeof source === "string" && typeof provider === "string" && typeof id === "string") {
    const written = getAtPath(tree, at).value;
    out.push(
      isJsonObject(written) && typeof written.id === "string"
        ? { source, provider, id: written.id }
        : { source, provider, id },
    );
    return;
  }
  Object.entries(value).forEach(([key, item]) => refsIn(item, [...at, key], tree, out));
}

/**
 * Resolvability of the SecretRefs the operations set, as `tree` (the config to be written) holds
 * them, so a ref copied back with a redacted id counts as the stored one: an env ref needs its variable
 * set and non-empty; exec refs are never run (counted as skipped); file and store refs are not checked here.
 */
export function checkRefs(
  operations: readonly EditOperation[],
  tree: unknown,
  env: EnvSnapshot,
): { refsChecked: number; skippedExecRefs: number; errors: DryRunError[] } {
  const refs: Ref[] = [];
  for (const operation of operations) {
    if (operation.mutation !== "delete") refsIn(operation.value, operation.path, tree, refs);
  }
  const errors: DryRunError[] = [];
  let refsChecked = 0;
  let skippedExecRefs = 0;
  for (const ref of refs) {
    if (ref.source === "exec") {
      skippedExecRefs += 1;
      continue;
    }
    if (ref.source !== "env") continue;
    refsChecked += 1;
    if (!env[ref.id]) {
      errors.push({
        kind: "resolvability",
        message: `Environment variable "${ref.id}" is missing or empty.`,
        ref: `env:${ref.provider}:${ref.id}`,
      });
    }
  }
  return { refsChecked, skippedExecRefs, errors };
}

/** The human lines for a failed dry run, as the reference words them. */
export function dryRunFailureLines(errors: readonly DryRunError[], skippedExecRefs: number): string[] {
  const lines = errors.filter((error) => error.kind === "missing-path").map((error) => error.message);
  const schema = errors.filter((error) => error.kind === "schema");
  if (schema.length > 0) {
    lines.push("Dry run failed: config schema validation failed.", ...schema.map((error) => `- ${error.message}`));
  }
  const refs = errors.filter((error) => error.kind === "resolvability");
  if (refs.length > 0) {
    lines.push(
      `Dry run failed: ${refs.length} SecretRef assignment(s) could not be resolved.`,
      ...refs.slice(0, 5).map((error) => `- ${error.ref ?? "<unknown-ref>"} -> ${error.message}`),
    );
    if (refs.length > 5) lines.push(`- ... ${refs.length - 5} more`);
  }
  if (skippedExecRefs > 0) lines.push(skippedExecNote(skippedExecRefs));
  return lines;
}

/** The note for exec refs a dry run did not run. */
export function skippedExecNote(count: number): string {
  return `Dry run note: skipped ${count} exec SecretRef resolvability check(s). Re-run with --allow-exec to execute exec providers during dry-run.`;
}
