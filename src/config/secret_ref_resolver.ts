// Resolving SecretRefs by provider, with the reference's messages: the one resolver for `secrets audit`, `secrets
// apply` and the gateway's runtime (config/runtime_secret_refs.ts, at start and reload). env and store refs go through
// their built-in default providers, file refs through `secrets.providers.<alias>` (JSON pointer or singleValue), exec
// refs through the runner the caller hands (config/secret_exec_runner.ts: the gateway's configured providers, the
// commands' `--allow-exec`). Reads are injected.
import { messageOf } from "../log/error_text.ts";
import { isJsonObject } from "../log/json_object.ts";
import type { EnvSnapshot } from "./paths.ts";
import { isRedactionPlaceholder } from "./redaction_marker.ts";
import { defaultProviderAlias, type SecretRefKey, secretRefLabel, secretsSection } from "./secret_ref_key.ts";

/** Why one ref did not resolve; `placeholder` marks a stored redaction placeholder. */
export class SecretRefResolutionError extends Error {
  /** True when the value found is a redaction placeholder, not a credential. */
  readonly placeholder: boolean;
  constructor(message: string, options: { placeholder?: boolean; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.placeholder = options.placeholder ?? false;
  }
}

/** What resolution may read: config, env, and the injected readers. */
export interface SecretRefContext {
  config: Readonly<Record<string, unknown>>;
  env: EnvSnapshot;
  /** Reads one team store value; undefined for a missing entry. */
  readStore?: ((name: string) => string | undefined) | undefined;
  /** Reads a file provider's file as text. */
  readFile: (path: string) => Promise<string>;
  /** A file's permission bits; when given, a file provider's file others may read or write is refused. */
  fileMode?: ((path: string) => Promise<number | undefined>) | undefined;
  /** Runs an exec provider for `ids` and returns its values by id (an Error value refuses that id); absent when exec is not allowed. */
  runExec?:
    | ((provider: Record<string, unknown>, alias: string, ids: string[]) => Promise<Map<string, unknown>>)
    | undefined;
}

/** A ref's resolved value or the error that stopped it, keyed by `source:provider:id`. */
export type SecretRefOutcome = { ok: true; value: unknown } | { ok: false; error: Error };

function providerConfigs(config: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const providers = secretsSection(config).providers;
  return isJsonObject(providers) ? providers : {};
}

function isBuiltInDefault(config: Readonly<Record<string, unknown>>, ref: SecretRefKey): boolean {
  const configured = providerConfigs(config)[ref.provider];
  const configuredSource = isJsonObject(configured) ? configured.source : undefined;
  return configuredSource !== ref.source && (ref.source === "env" || ref.source === "store") &&
    ref.provider === defaultProviderAlias(config, ref.source);
}

/** The provider definition a ref uses, or the reference's refusal when there is none or it mismatches. */
function providerFor(config: Readonly<Record<string, unknown>>, ref: SecretRefKey): Record<string, unknown> {
  if (isBuiltInDefault(config, ref)) return { source: ref.source };
  const configured = providerConfigs(config)[ref.provider];
  if (!isJsonObject(configured)) {
    throw new SecretRefResolutionError(
      `Secret provider "${ref.provider}" is not configured (ref: ${secretRefLabel(ref)}).`,
    );
  }
  if (configured.source !== ref.source) {
    throw new SecretRefResolutionError(
      `Secret provider "${ref.provider}" has source "${String(configured.source)}" but ref requests "${ref.source}".`,
    );
  }
  return configured;
}

/** Resolves every ref, provider by provider; a provider-wide failure is every one of its refs' error. */
export async function resolveSecretRefs(
  refs: readonly SecretRefKey[],
  context: SecretRefContext,
): Promise<Map<string, SecretRefOutcome>> {
  const byProvider = new Map<string, SecretRefKey[]>();
  for (const ref of refs) {
    const key = `${ref.source}:${ref.provider}`;
    const list = byProvider.get(key) ?? [];
    if (!list.some((known) => known.id === ref.id)) list.push(ref);
    byProvider.set(key, list);
  }
  const outcomes = new Map<string, SecretRefOutcome>();
  for (const group of byProvider.values()) {
    try {
      const provider = providerFor(context.config, group[0]!);
      for (const [label, outcome] of await resolveGroup(group, provider, context)) outcomes.set(label, outcome);
    } catch (error) {
      const failure = error instanceof Error ? error : new Error(String(error));
      for (const ref of group) outcomes.set(secretRefLabel(ref), { ok: false, error: failure });
    }
  }
  return outcomes;
}

async function resolveGroup(
  refs: SecretRefKey[],
  provider: Record<string, unknown>,
  context: SecretRefContext,
): Promise<Map<string, SecretRefOutcome>> {
  const out = new Map<string, SecretRefOutcome>();
  const fail = (ref: SecretRefKey, message: string, placeholder = false) =>
    out.set(secretRefLabel(ref), { ok: false, error: new SecretRefResolutionError(message, { placeholder }) });
  const source = refs[0]!.source;
  if (source === "env") {
    const allowlist = Array.isArray(provider.allowlist) ? new Set(provider.allowlist) : undefined;
    for (const ref of refs) {
      const value = context.env[ref.id];
      if (allowlist && !allowlist.has(ref.id)) {
        fail(
          ref,
          `Environment variable "${ref.id}" is not allowlisted in secrets.providers.${ref.provider}.allowlist.`,
        );
      } else if (typeof value !== "string" || !value.trim()) {
        fail(ref, `Environment variable "${ref.id}" is missing or empty.`);
      } else out.set(secretRefLabel(ref), { ok: true, value });
    }
  } else if (source === "store") {
    for (const ref of refs) {
      const value = context.readStore?.(ref.id);
      if (value === undefined) fail(ref, `Secret store entry "${ref.id}" was not found.`);
      else if (isRedactionPlaceholder(value)) {
        fail(ref, `Secret store entry "${ref.id}" contains a redaction placeholder.`, true);
      } else out.set(secretRefLabel(ref), { ok: true, value });
    }
  } else if (source === "file") {
    const payload = await readFilePayload(refs[0]!.provider, provider, context);
    for (const ref of refs) {
      if (provider.mode === "singleValue") {
        if (ref.id !== "value") fail(ref, `singleValue file provider "${ref.provider}" expects ref id "value".`);
        else out.set(secretRefLabel(ref), { ok: true, value: payload });
        continue;
      }
      try {
        out.set(secretRefLabel(ref), { ok: true, value: readJsonPointer(payload, ref.id) });
      } catch (error) {
        fail(ref, messageOf(error));
      }
    }
  } else if (source === "exec") {
    if (!context.runExec) throw new SecretRefResolutionError(`Exec provider "${refs[0]!.provider}" was not run.`);
    const values = await context.runExec(provider, refs[0]!.provider, refs.map((ref) => ref.id));
    for (const ref of refs) {
      const value = values.get(ref.id);
      if (value instanceof Error) out.set(secretRefLabel(ref), { ok: false, error: value });
      else if (values.has(ref.id)) out.set(secretRefLabel(ref), { ok: true, value });
      else fail(ref, `Exec provider "${ref.provider}" response missing id "${ref.id}".`);
    }
  }
  return out;
}

async function readFilePayload(
  alias: string,
  provider: Record<string, unknown>,
  context: SecretRefContext,
): Promise<unknown> {
  const path = typeof provider.path === "string" ? provider.path : "";
  const home = context.env.HOME ?? "";
  const file = path.startsWith("~/") ? `${home}${path.slice(1)}` : path;
  const mode = await context.fileMode?.(file);
  if (mode !== undefined && (mode & 0o077) !== 0) {
    throw new SecretRefResolutionError(`secrets.providers.${alias}.path permissions are too open: ${file}`, {
      cause: new Error("insecure-permissions"),
    });
  }
  const text = (await context.readFile(file)).replace(/^\uFEFF/, "");
  if (provider.mode === "singleValue") return text.replace(/\r?\n$/, "");
  const parsed = JSON.parse(text);
  if (!isJsonObject(parsed)) {
    throw new SecretRefResolutionError(`File provider "${alias}" payload is not a JSON object.`);
  }
  return parsed;
}

function readJsonPointer(root: unknown, pointer: string): unknown {
  if (!pointer.startsWith("/")) {
    throw new SecretRefResolutionError(
      'File-backed secret ids must be absolute JSON pointers (for example: "/providers/openai/apiKey").',
    );
  }
  let current = root;
  for (const raw of pointer.slice(1).split("/")) {
    const token = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (Array.isArray(current)) {
      const index = /^(0|[1-9][0-9]*)$/.test(token) ? Number(token) : undefined;
      if (index === undefined || index >= current.length) {
        throw new SecretRefResolutionError(`JSON pointer segment "${token}" is out of bounds.`);
      }
      current = current[index];
      continue;
    }
    if (!isJsonObject(current) || !Object.hasOwn(current, token)) {
      throw new SecretRefResolutionError(`JSON pointer segment "${token}" does not exist.`);
    }
    current = current[token];
  }
  return current;
}

/** An error's words followed by its causes' (` | <cause>`), as the reference formats resolution failures. */
export function errorWithCauses(error: unknown): string {
  const parts: string[] = [];
  for (let at: unknown = error, depth = 0; at !== undefined && depth < 5; depth++) {
    parts.push(messageOf(at));
    at = at instanceof Error ? at.cause : undefined;
  }
  return parts.join(" | ");
}

/** True when a resolved value fits a credential place: a non-empty string. */
export function isUsableSecretString(value: unknown): boolean {
  return typeof value === "string" && value.trim().length > 0;
}
