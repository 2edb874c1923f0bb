// The key each model call sends, resolved at the call as the reference resolves it
// (config/provider_credentials.ts) from the auth-profile store `openclaw onboard` writes
// (state/auth_profile_store.ts), the environment and the provider's entry. Loaded with the run
// engine, never at start; the store is opened on the first call that reads it.
import type { ProviderSpec } from "./agents_config.ts";
import { RunError } from "./run_error.ts";
import {
  type CredentialConfig,
  type CredentialSource,
  resolveProviderCredential,
} from "../config/provider_credentials.ts";
import { AuthProfileStoreError, AuthProfileStoreReader } from "../state/auth_profile_store.ts";

/** What resolving a key reads besides the provider: the state dir, the environment and the config's `auth` section. */
export interface CredentialContext {
  stateDir: string;
  env(name: string): string | undefined;
  /** `auth.order` and `auth.profiles` of the config in force. */
  auth(): Pick<CredentialConfig, "order" | "profiles">;
}

/** The reference's words when a provider has no key, with the profiles seen but not sendable. */
export function missingKeyMessage(
  input: { provider: string; storePath: string; agentDir: string; skipped: { profileId: string; reason: string }[] },
): string {
  const { provider } = input;
  const words = [
    `No API key found for provider "${provider}".`,
    `Auth store: ${input.storePath} (agentDir: ${input.agentDir}).`,
    `Configure an API key (openclaw models auth paste-api-key --provider ${provider}; add --agent <id> for a non-default agent) or copy only portable static auth profiles from the main agentDir.`,
  ];
  // Ours alone: which stored profiles were passed over, so an OAuth or token login is not a mystery.
  const skipped = input.skipped.map((s) => `${s.profileId} (${s.reason})`);
  if (skipped.length > 0) words.push(`Profiles not used: ${skipped.join("; ")}.`);
  return words.join(" ");
}

// What an HTTP header value cannot hold (control characters but tab, anything past Latin-1): Deno's
// fetch refuses such a key with `Invalid header value: "<the key>"`, which the provider's failure line would log.
function unsendableInHeader(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if ((code < 32 && code !== 9) || code === 127 || code > 255) return true;
  }
  return false;
}

/** Where a resolved key came from, in words (never the key). */
function sourceWords(source: CredentialSource["source"]): string {
  if (source.startsWith("profile:")) return `auth profile ${source.slice("profile:".length)}`;
  if (source.startsWith("env: ")) return `environment variable ${source.slice("env: ".length)}`;
  return "models.providers.<id>.apiKey";
}

/**
 * Keys for model calls: each call's provider spec with the key resolved now, the same spec object
 * while the key is unchanged (provider models are built once per spec), the store kept open
 * between calls and read again only when it changed.
 */
export class RunCredentials {
  readonly #context: CredentialContext;
  readonly #store: AuthProfileStoreReader;
  #keyed = new WeakMap<ProviderSpec, ProviderSpec>();

  constructor(context: CredentialContext) {
    this.#context = context;
    this.#store = new AuthProfileStoreReader(context.stateDir);
  }

  /**
   * `spec` with the key its call sends. A built-in provider without one is refused with the
   * reference's words; a declared provider without one is called without a key, as before
   * (a local server needs none).
   */
  withKey(spec: ProviderSpec, agentId: string): ProviderSpec {
    let result;
    try {
      result = resolveProviderCredential({
        provider: spec.id,
        config: { provider: { apiKey: spec.apiKey, auth: spec.auth }, ...this.#context.auth() },
        store: () => this.#store.read(),
        env: (name) => this.#context.env(name),
        now: Date.now(),
      });
    } catch (error) {
      if (error instanceof AuthProfileStoreError) throw new RunError("no_credentials", error.message, { cause: error });
      throw error;
    }
    if ("apiKey" in result) {
      if (unsendableInHeader(result.apiKey)) {
        const where = sourceWords(result.source).replace("<id>", spec.id);
        throw new RunError(
          "no_credentials",
          `The API key of ${where} for provider "${spec.id}" holds a line break or another character an HTTP header cannot carry, so it was not sent; store the key again (openclaw models auth paste-api-key --provider ${spec.id}).`,
        );
      }
      if (result.apiKey === spec.apiKey) return spec;
      const kept = this.#keyed.get(spec);
      if (kept?.apiKey === result.apiKey) return kept;
      const keyed = { ...spec, apiKey: result.apiKey };
      this.#keyed.set(spec, keyed);
      return keyed;
    }
    if (!spec.builtIn) return spec;
    throw new RunError(
      "no_credentials",
      missingKeyMessage({
        provider: spec.id,
        storePath: this.#store.path,
        agentDir: `${this.#context.stateDir}/agents/${agentId}/agent`,
        skipped: result.skipped,
      }),
    );
  }

  /** Closes the store's connection (gateway stop). */
  close(): void {
    this.#store.close();
  }
}

/** Where the run engine keeps its credentials between runs: made by the first run that calls a model. */
export interface CredentialSlot {
  context: CredentialContext;
  current?: RunCredentials | undefined;
}

/** The slot's credentials, made on first use. */
export function credentialsIn(slot: CredentialSlot): RunCredentials {
  slot.current ??= new RunCredentials(slot.context);
  return slot.current;
}

/**
 * `spec` with its key for a call that may go without one (compaction's summary): as it is when no key
 * resolves, so the run's own call is the one that fails, with the missing key's words.
 */
export function keyedOrAsIs(slot: CredentialSlot | undefined, spec: ProviderSpec, agentId: string): ProviderSpec {
  if (!slot) return spec;
  try {
    return credentialsIn(slot).withKey(spec, agentId);
  } catch {
    return spec;
  }
}
