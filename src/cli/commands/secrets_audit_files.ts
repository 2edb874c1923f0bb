// The files beside openclaw.json that `openclaw secrets audit` scans as the reference does: the shared
// auth-profile store, each agent's generated models.json, and the `.env` files of the state and config dirs.
import { dirname } from "node:path";
import { agentDir, agentIds } from "../../config/agent_roster.ts";
import {
  ENV_ASSIGNMENT_RE,
  isNonSecretApiKeyMarker,
  isSecretRefHeaderMarker,
  isSensitiveHeaderName,
  KNOWN_SECRET_ENV_NAMES,
  parseEnvAssignmentValue,
} from "../../config/secret_markers.ts";
import { coerceSecretRef } from "../../config/secret_ref_key.ts";
import { isJsonObject } from "../../log/json_object.ts";
import { messageOf } from "../../log/error_text.ts";
import {
  type AuditFinding,
  type AuditInputs,
  type Collector,
  isPlaintext,
  trackAuthMode,
} from "./secrets_audit_findings.ts";

/** Plaintext keys and tokens, and OAuth residue, in the shared auth-profile store. */
export function collectAuthStore(
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
export function modelsJsonPaths(
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
  // Every configured agent's own dir (`agentDir` overrides included), `agents.entries` or the legacy `agents.list`.
  const roster = { stateDir, home: env.HOME ?? "" };
  for (const agentId of agentIds(config)) paths.add(`${agentDir(config, agentId, roster)}/models.json`);
  return [...paths];
}

/** Plaintext or unresolved provider keys and headers in a generated models.json. */
export async function collectModelsJson(path: string, read: AuditInputs["readFile"], c: Collector): Promise<void> {
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

/** The `.env` files the audit and the apply scrub read: the state dir's and the config dir's, once each. */
export function dotEnvPaths(stateDir: string, configPath: string): string[] {
  return [...new Set([`${stateDir}/.env`, `${dirname(configPath)}/.env`])];
}

/** Known credential variables assigned in a `.env` file. */
export async function collectDotEnv(path: string, read: AuditInputs["readFile"], c: Collector): Promise<void> {
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
