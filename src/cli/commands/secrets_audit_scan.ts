// `openclaw secrets audit`'s scan, as the reference runs it: credential places of openclaw.json
// (plaintext or refs), the files beside it (secrets_audit_files.ts), refs that do not resolve, refs that
// auth profiles shadow, store values duplicated as plaintext, and store entries holding a redaction
// placeholder. Findings keep the reference's order, codes and words.
import { discoverSecretTargets, type SecretTarget } from "../../config/secret_targets.ts";
import { isNonSecretApiKeyMarker, isSensitiveHeaderName } from "../../config/secret_markers.ts";
import {
  errorWithCauses,
  isUsableSecretString,
  resolveSecretRefs,
  SecretRefResolutionError,
} from "../../config/secret_ref_resolver.ts";
import { coerceSecretRef, type SecretRefKey, secretRefLabel } from "../../config/secret_ref_key.ts";
import { isJsonObject } from "../../log/json_object.ts";
import { isRedactionPlaceholder } from "../../config/redaction_marker.ts";
import {
  type AuditFinding,
  type AuditInputs,
  type AuditReport,
  type Collector,
  isPlaintext,
} from "./secrets_audit_findings.ts";
import {
  collectAuthStore,
  collectDotEnv,
  collectModelsJson,
  dotEnvPaths,
  modelsJsonPaths,
} from "./secrets_audit_files.ts";

function collectConfig(config: Readonly<Record<string, unknown>>, configPath: string, c: Collector): void {
  for (const target of discoverSecretTargets(config)) {
    const ref = coerceSecretRef(target.value, config);
    const nonSecretHeader = target.entry.id === "models.providers.*.headers.*" &&
      !isSensitiveHeaderName(target.segments.at(-1) ?? "");
    const modelMarker = target.entry.id === "models.providers.*.apiKey" && typeof target.value === "string" &&
      isNonSecretApiKeyMarker(target.value);
    const plaintext = !ref && isPlaintext(target.value);
    if (plaintext && !nonSecretHeader && !modelMarker) {
      c.plaintext.push({ file: configPath, path: target.path, value: target.value as string });
    }
    if (ref) {
      c.refs.push({ file: configPath, path: target.path, ref, provider: target.providerId });
      if (target.entry.trackShadowing && target.providerId) trackRefPath(c, target);
      continue;
    }
    if (nonSecretHeader || modelMarker || !plaintext) continue;
    c.findings.push({
      code: "PLAINTEXT_FOUND",
      severity: "warn",
      file: configPath,
      jsonPath: target.path,
      message: `${target.path} is stored as plaintext.`,
      provider: target.providerId,
    });
  }
}

function trackRefPath(c: Collector, target: SecretTarget): void {
  const key = (target.providerId ?? "").trim().toLowerCase();
  c.providerRefPaths.set(key, [...(c.providerRefPaths.get(key) ?? []), target.path]);
}

async function collectUnresolved(
  inputs: AuditInputs,
  config: Readonly<Record<string, unknown>>,
  c: Collector,
): Promise<AuditReport["resolution"]> {
  const unique = new Map<string, SecretRefKey>();
  for (const assignment of c.refs) unique.set(secretRefLabel(assignment.ref), assignment.ref);
  const toResolve = [...unique.values()].filter((ref) => ref.source !== "exec" || inputs.allowExec);
  const skipped = [...unique.values()].filter((ref) => ref.source === "exec" && !inputs.allowExec);
  const errors = new Map<string, Error>();
  for (const ref of skipped) {
    const error = skippedExecStaticError(ref, config);
    if (error) errors.set(secretRefLabel(ref), new Error(error));
  }
  const outcomes = await resolveSecretRefs(toResolve, {
    config,
    env: inputs.env,
    readFile: inputs.readFile,
    fileMode: inputs.fileMode,
    readStore: (name) => inputs.storeEntries().get(name),
    runExec: inputs.runExec,
  });
  for (const assignment of c.refs) {
    const label = secretRefLabel(assignment.ref);
    const outcome = outcomes.get(label);
    const error = errors.get(label) ?? (outcome && !outcome.ok ? outcome.error : undefined);
    if (!outcome && !error) continue;
    const fail = (detail: string, placeholder = false) =>
      c.findings.push({
        code: placeholder ? "PLACEHOLDER_VALUE" : "REF_UNRESOLVED",
        severity: "error",
        file: assignment.file,
        jsonPath: assignment.path,
        message: `Failed to resolve ${label} (${detail}).`,
        provider: assignment.provider,
      });
    if (error) fail(errorWithCauses(error), error instanceof SecretRefResolutionError && error.placeholder);
    else if (outcome?.ok && !isUsableSecretString(outcome.value)) fail("resolved value is not a non-empty string");
  }
  return {
    refsChecked: toResolve.length,
    skippedExecRefs: skipped.length,
    resolvabilityComplete: skipped.length === 0,
  };
}

/** The reference's static check of an exec ref it does not run. */
function skippedExecStaticError(ref: SecretRefKey, config: Readonly<Record<string, unknown>>): string | undefined {
  const id = ref.id.trim();
  const label = `${ref.source}:${ref.provider}:${id}`;
  const secrets = isJsonObject(config.secrets) ? config.secrets : {};
  const providers = isJsonObject(secrets.providers) ? secrets.providers : {};
  const provider = providers[ref.provider];
  if (!isJsonObject(provider)) return `Error: Secret provider "${ref.provider}" is not configured (ref: ${label}).`;
  if (provider.source !== ref.source) {
    return `Error: Secret provider "${ref.provider}" has source "${
      String(provider.source)
    }" but ref requests "${ref.source}".`;
  }
  return undefined;
}

function collectShadowing(c: Collector): void {
  for (const [provider, paths] of c.providerRefPaths) {
    const modes = c.authModes.get(provider);
    if (!modes) continue;
    for (const path of paths) {
      c.findings.push({
        code: "REF_SHADOWED",
        severity: "warn",
        file: "openclaw.json",
        jsonPath: path,
        message: `Auth profile credentials (${
          [...modes].join("/")
        }) take precedence for provider "${provider}", so this config ref may never be used.`,
        provider,
      });
    }
  }
}

function collectStoreResidue(entries: Map<string, string>, c: Collector): void {
  if (entries.size === 0 || c.plaintext.length === 0) return;
  const namesByValue = new Map<string, string[]>();
  for (const [name, value] of entries) namesByValue.set(value, [...(namesByValue.get(value) ?? []), name]);
  for (const assignment of c.plaintext) {
    for (const name of namesByValue.get(assignment.value) ?? []) {
      c.findings.push({
        code: "STORE_PLAINTEXT_RESIDUE",
        severity: "warn",
        file: assignment.file,
        jsonPath: assignment.path,
        message:
          `${assignment.path} duplicates team secret store entry "${name}"; replace the plaintext with a store SecretRef.`,
      });
    }
  }
}

/** Runs the audit over `inputs` and returns the reference's report. */
export async function runSecretsAudit(inputs: AuditInputs, storeFile: string): Promise<AuditReport> {
  const c: Collector = {
    findings: [],
    refs: [],
    providerRefPaths: new Map(),
    authModes: new Map(),
    plaintext: [],
    files: new Set([inputs.configPath]),
  };
  let resolution: AuditReport["resolution"] = { refsChecked: 0, skippedExecRefs: 0, resolvabilityComplete: true };
  let entries: Map<string, string> | undefined;
  const storeEntries = () => entries ??= inputs.storeEntries();
  const scoped = { ...inputs, storeEntries };
  if (inputs.config) {
    const config = inputs.config;
    collectConfig(config, inputs.configPath, c);
    const authStore = inputs.authStore();
    if (authStore) collectAuthStore(authStore, config, c);
    for (const path of modelsJsonPaths(config, inputs.stateDir, inputs.env)) {
      await collectModelsJson(path, inputs.readFile, c);
    }
    resolution = await collectUnresolved(scoped, config, c);
    collectShadowing(c);
    collectStoreResidue(storeEntries(), c);
  } else {
    c.findings.push({
      code: "REF_UNRESOLVED",
      severity: "error",
      file: inputs.configPath,
      jsonPath: "<root>",
      message: "Config is invalid; cannot validate secret references reliably.",
    });
  }
  for (const path of dotEnvPaths(inputs.stateDir, inputs.configPath)) await collectDotEnv(path, inputs.readFile, c);
  const storeRefNames = new Set(c.refs.filter((a) => a.ref.source === "store").map((a) => a.ref.id));
  for (const [name, value] of storeEntries()) {
    if (!isRedactionPlaceholder(value) || storeRefNames.has(name)) continue;
    c.findings.push({
      code: "PLACEHOLDER_VALUE",
      severity: "error",
      file: storeFile,
      jsonPath: `secret_store_entries.${name}`,
      message:
        `Secret store entry "${name}" contains a redaction placeholder and is unavailable. Run openclaw doctor --fix to repair a store-backed Gateway token; replace other entries with real credentials.`,
    });
  }
  const count = (...codes: AuditFinding["code"][]) => c.findings.filter((f) => codes.includes(f.code)).length;
  const summary = {
    plaintextCount: count("PLAINTEXT_FOUND"),
    unresolvedRefCount: count("REF_UNRESOLVED", "PLACEHOLDER_VALUE"),
    shadowedRefCount: count("REF_SHADOWED"),
    storeResidueCount: count("STORE_PLAINTEXT_RESIDUE"),
    legacyResidueCount: count("LEGACY_RESIDUE"),
  };
  return {
    version: 1,
    status: summary.unresolvedRefCount > 0 ? "unresolved" : c.findings.length > 0 ? "findings" : "clean",
    resolution,
    filesScanned: [...c.files].sort(),
    summary,
    findings: c.findings,
  };
}

/** The reference's exit code: 2 for unresolved refs, 1 for other findings under `--check`, else 0. */
export function auditExitCode(report: AuditReport, check: boolean): number {
  if (report.summary.unresolvedRefCount > 0) return 2;
  return check && report.findings.length > 0 ? 1 : 0;
}
