// `openclaw secrets audit`'s scan, as the reference runs it: credential places of openclaw.json
// (plaintext or refs), the shared auth-profile store, generated agents/*/agent/models.json, refs that do
// not resolve, store values duplicated as plaintext, `.env` files of the state and config dirs, and store
// entries holding a redaction placeholder. Findings keep the reference's order, codes and words.
import { dirname } from "node:path";
import { discoverSecretTargets, type SecretTarget } from "../../config/secret_targets.ts";
import {
  ENV_ASSIGNMENT_RE,
  isNonSecretApiKeyMarker,
  isSecretRefHeaderMarker,
  isSensitiveHeaderName,
  KNOWN_SECRET_ENV_NAMES,
  parseEnvAssignmentValue,
} from "../../config/secret_markers.ts";
import {
  coerceSecretRef,
  errorWithCauses,
  isUsableSecretString,
  resolveSecretRefs,
  type SecretRefContext,
  type SecretRefKey,
  secretRefLabel,
  SecretRefResolutionError,
} from "../../config/secret_ref_resolver.ts";
import { isJsonObject } from "../../log/json_object.ts";
import { messageOf } from "../../log/error_text.ts";
import { isRedactionPlaceholder } from "../../config/redaction_marker.ts";

/** One audit finding, with the reference's keys in its order. */
export interface AuditFinding {
  code:
    | "PLAINTEXT_FOUND"
    | "REF_UNRESOLVED"
    | "REF_SHADOWED"
    | "STORE_PLAINTEXT_RESIDUE"
    | "LEGACY_RESIDUE"
    | "PLACEHOLDER_VALUE";
  severity: "info" | "warn" | "error";
  file: string;
  jsonPath: string;
  message: string;
  provider?: string | undefined;
  profileId?: string | undefined;
}

/** The audit report, as `--json` prints it. */
export interface AuditReport {
  version: 1;
  status: "clean" | "findings" | "unresolved";
  resolution: { refsChecked: number; skippedExecRefs: number; resolvabilityComplete: boolean };
  filesScanned: string[];
  summary: {
    plaintextCount: number;
    unresolvedRefCount: number;
    shadowedRefCount: number;
    storeResidueCount: number;
    legacyResidueCount: number;
  };
  findings: AuditFinding[];
}

/** What the scan reads; the edges (files, store, auth profiles) are injected. */
export interface AuditInputs {
  configPath: string;
  stateDir: string;
  /** The validated config, or undefined when it is invalid. */
  config: Readonly<Record<string, unknown>> | undefined;
  env: SecretRefContext["env"];
  readFile: (path: string) => Promise<string>;
  /** A file's permission bits (file providers' files open to others are refused). */
  fileMode?: SecretRefContext["fileMode"];
  /** Team store entries as name → value (live rows only). */
  storeEntries: () => Map<string, string>;
  /** The shared auth-profile store and its file, when it exists. */
  authStore: () => { path: string; profiles: Record<string, unknown> } | undefined;
  runExec?: SecretRefContext["runExec"];
  allowExec: boolean;
}

interface RefAssignment {
  file: string;
  path: string;
  ref: SecretRefKey;
  provider: string | undefined;
}

interface Collector {
  findings: AuditFinding[];
  refs: RefAssignment[];
  providerRefPaths: Map<string, string[]>;
  authModes: Map<string, Set<string>>;
  plaintext: { file: string; path: string; value: string }[];
  files: Set<string>;
}

function isPlaintext(value: unknown): value is string {
  return typeof value === "string" && value.trim().length > 0;
}

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

function trackAuthMode(c: Collector, provider: string, mode: string): void {
  const key = provider.trim().toLowerCase();
  c.authModes.set(key, (c.authModes.get(key) ?? new Set()).add(mode));
}

function collectAuthStore(
  store: { path: string; profiles: Record<string, unknown> },
  config: Readonly<Record<string, unknown>>,
  c: Collector,
): void {
  c.files.add(store.path);
  for (const [profileId, profile] of Object.entries(store.profiles)) {
    if (!isJsonObject(profile) || !isPlaintext(profile.provider)) continue;
    const provider = profile.provider;
    if (profile.type === "api_key" || profile.type === "token") {
      const field = profile.type === "api_key" ? "key" : "token";
      const value = profile[field];
      const authoredRef = coerceSecretRef(value, config);
      const ref = authoredRef ?? coerceSecretRef(profile[`${field}Ref`], config);
      if (ref) {
        c.refs.push({ file: store.path, path: `profiles.${profileId}.${field}`, ref, provider });
        trackAuthMode(c, provider, profile.type);
      }
      if (authoredRef) continue;
      if (isPlaintext(value)) {
        c.findings.push({
          code: "PLAINTEXT_FOUND",
          severity: "warn",
          file: store.path,
          jsonPath: `profiles.${profileId}.${field}`,
          message: profile.type === "api_key"
            ? "Auth profile API key is stored as plaintext."
            : "Auth profile token is stored as plaintext.",
          provider,
          profileId,
        });
        trackAuthMode(c, provider, profile.type);
      }
    } else if (profile.type === "oauth" && (isPlaintext(profile.access) || isPlaintext(profile.refresh))) {
      c.findings.push({
        code: "LEGACY_RESIDUE",
        severity: "info",
        file: store.path,
        jsonPath: `profiles.${profileId}`,
        message: "OAuth credentials are present (out of scope for static SecretRef migration).",
        provider,
        profileId,
      });
      trackAuthMode(c, provider, "oauth");
    }
  }
}

/** The models.json files the reference looks at: the main agent's, every agent dir's, configured agents'. */
function modelsJsonPaths(
  config: Readonly<Record<string, unknown>>,
  stateDir: string,
  env: AuditInputs["env"],
): string[] {
  const paths = new Set([`${stateDir}/agents/main/agent/models.json`]);
  const override = env.OPENCLAW_AGENT_DIR?.trim() || env.PI_CODING_AGENT_DIR?.trim();
  if (override) paths.add(`${override}/models.json`);
  try {
    for (const entry of Deno.readDirSync(`${stateDir}/agents`)) {
      if (entry.isDirectory) paths.add(`${stateDir}/agents/${entry.name}/agent/models.json`);
    }
  } catch {
    // no agents dir yet
  }
  const agents = isJsonObject(config.agents) ? config.agents : {};
  const listed = Array.isArray(agents.list) ? agents.list : [];
  for (const agent of listed) {
    if (isJsonObject(agent) && typeof agent.id === "string") {
      paths.add(`${stateDir}/agents/${agent.id.trim().toLowerCase()}/agent/models.json`);
    }
  }
  return [...paths];
}

async function collectModelsJson(path: string, read: AuditInputs["readFile"], c: Collector): Promise<void> {
  let text: string;
  try {
    text = await read(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return;
    throw error;
  }
  c.files.add(path);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    c.findings.push({
      code: "REF_UNRESOLVED",
      severity: "error",
      file: path,
      jsonPath: "<root>",
      message: `Invalid JSON in models.json: ${messageOf(error)}`,
    });
    return;
  }
  if (!isJsonObject(parsed) || !isJsonObject(parsed.providers)) return;
  const isRefObject = (value: unknown) =>
    isJsonObject(value) && typeof value.source === "string" && typeof value.id === "string";
  for (const [provider, entry] of Object.entries(parsed.providers)) {
    if (!isJsonObject(entry)) continue;
    const at = (jsonPath: string, code: AuditFinding["code"], message: string) =>
      c.findings.push({
        code,
        severity: code === "REF_UNRESOLVED" ? "error" : "warn",
        file: path,
        jsonPath,
        message,
        provider,
      });
    if (isRefObject(entry.apiKey)) {
      at(
        `providers.${provider}.apiKey`,
        "REF_UNRESOLVED",
        "models.json contains an unresolved SecretRef object; regenerate models.json.",
      );
    } else if (isPlaintext(entry.apiKey) && !isNonSecretApiKeyMarker(entry.apiKey)) {
      at(`providers.${provider}.apiKey`, "PLAINTEXT_FOUND", "models.json provider apiKey is stored as plaintext.");
    }
    if (!isJsonObject(entry.headers)) continue;
    for (const [name, value] of Object.entries(entry.headers)) {
      const jsonPath = `providers.${provider}.headers.${name}`;
      if (isRefObject(value)) {
        at(
          jsonPath,
          "REF_UNRESOLVED",
          "models.json contains an unresolved SecretRef object for provider headers; regenerate models.json.",
        );
      } else if (isPlaintext(value) && !isSecretRefHeaderMarker(value) && isSensitiveHeaderName(name)) {
        at(jsonPath, "PLAINTEXT_FOUND", "models.json provider header value is stored as plaintext.");
      }
    }
  }
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

/** The `.env` files the audit and the apply scrub read: the state dir's and the config dir's, once each. */
export function dotEnvPaths(stateDir: string, configPath: string): string[] {
  return [...new Set([`${stateDir}/.env`, `${dirname(configPath)}/.env`])];
}

async function collectDotEnv(path: string, read: AuditInputs["readFile"], c: Collector): Promise<void> {
  let text: string;
  try {
    text = await read(path);
  } catch {
    return;
  }
  c.files.add(path);
  for (const line of text.split(/\r?\n/)) {
    const match = line.match(ENV_ASSIGNMENT_RE);
    if (!match) continue;
    const key = match[1] ?? "";
    if (!KNOWN_SECRET_ENV_NAMES.has(key) || !parseEnvAssignmentValue(match[2] ?? "")) continue;
    c.findings.push({
      code: "PLAINTEXT_FOUND",
      severity: "warn",
      file: path,
      jsonPath: `$env.${key}`,
      message: `Potential secret found in .env (${key}).`,
    });
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
