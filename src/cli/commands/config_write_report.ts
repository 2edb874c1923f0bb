// What `openclaw config set|unset|patch` report on a dry run: the result in the reference's shape,
// its failure lines, and SecretRef checks for changed env refs.
import type { EditOperation, InputMode } from "../../config/config_edit.ts";
import type { EnvSnapshot } from "../../config/paths.ts";
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

function refsIn(value: unknown, out: { source: string; provider: string; id: string }[]): void {
  if (Array.isArray(value)) value.forEach((item) => refsIn(item, out));
  if (!isJsonObject(value)) return;
  const { source, provider, id } = value;
  if (typeof source === "string" && typeof provider === "string" && typeof id === "string") {
    out.push({ source, provider, id });
    return;
  }
  Object.values(value).forEach((item) => refsIn(item, out));
}

/**
 * Resolvability of the SecretRefs the operations set: an env ref needs its variable set and
 * non-empty; exec refs are never run (counted as skipped); file and store refs are not checked here.
 */
export function checkRefs(
  operations: readonly EditOperation[],
  env: EnvSnapshot,
): { refsChecked: number; skippedExecRefs: number; errors: DryRunError[] } {
  const refs: { source: string; provider: string; id: string }[] = [];
  for (const operation of operations) if (operation.mutation !== "delete") refsIn(operation.value, refs);
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
