// The one model credential local onboarding serves: Anthropic by API key (`--auth-choice apiKey`,
// or `--anthropic-api-key` alone), stored where the reference (OpenClaw 2026.9.6) stores it so its
// gateway and CLI read it from a shared state dir: the `authProfiles.store` row of the global state
// database's `config_machine_state` (the key itself, or an env reference with `--secret-input-mode
// ref`), and in the config only the profile's shape and the default model. The key is never printed.
import { materializePolicyMigration } from "../../config/model_policy_migration.ts";
import { isJsonObject } from "../../log/json_object.ts";
import { immediate } from "../../state/immediate.ts";
import { openExistingStateDb, openStateDb } from "../../state/state_db.ts";
import type { StateDbAccess } from "../../state/state_write_fence.ts";
import { envRef, OnboardRefusal } from "./onboard_local_config.ts";

type DatabaseSync = ReturnType<typeof openStateDb>;

/** The state database could not be opened (not a database, damaged, unreadable): nothing was written. */
export class StateDbUnreadable extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StateDbUnreadable";
  }
}

/** The Anthropic credential to store: the key, or a reference to the environment variable holding it. */
export type AnthropicCredential = { key: string } | { keyRef: { source: "env"; provider: "default"; id: string } };

/** The profile id and default model the reference's Anthropic API-key setup writes. */
const PROFILE_ID = "anthropic:default";
const DEFAULT_MODEL = "anthropic/claude-opus-5";
const STORE_KEY = "authProfiles.store";
const OWNER_KEY = "auth.sharedStore";

const MISSING =
  "Missing --anthropic-api-key (or ANTHROPIC_API_KEY in env, or existing anthropic API-key profile). Export ANTHROPIC_API_KEY, pass --anthropic-api-key, or run openclaw onboard for interactive setup.";

/** The auth choice a run makes: the flag, else `apiKey` when an Anthropic key flag was given, else `skip`. */
export function authChoiceOf(options: { authChoice?: string; anthropicApiKey?: string }): string {
  return options.authChoice ?? (options.anthropicApiKey !== undefined ? "apiKey" : "skip");
}

/** The credential `apiKey` stores, or the reference's refusal when there is none to store. */
export function anthropicCredential(
  flag: string | undefined,
  mode: string | undefined,
  env: Record<string, string | undefined>,
): AnthropicCredential {
  const fromEnv = env.ANTHROPIC_API_KEY?.trim();
  if (mode === "ref") {
    if (!fromEnv) throw new OnboardRefusal(MISSING);
    return { keyRef: envRef("ANTHROPIC_API_KEY") };
  }
  const key = flag?.trim() || fromEnv;
  if (!key) throw new OnboardRefusal(MISSING);
  return { key };
}

/**
 * The config side: the profile's shape under `auth.profiles` and the default model with its
 * `agents.defaults.models` entry, the model-policy migration marked as the reference's write marks
 * it, so that entry does not become an allowlist restricting sessions to that one model.
 */
export function withAnthropicProfile(tree: Record<string, unknown>): Record<string, unknown> {
  const section = (value: unknown): Record<string, unknown> => isJsonObject(value) ? value : {};
  const agents = section(tree.agents);
  const defaults = section(agents.defaults);
  const auth = section(tree.auth);
  return materializePolicyMigration(tree, {
    ...tree,
    agents: {
      ...agents,
      defaults: {
        ...defaults,
        model: { ...section(defaults.model), primary: DEFAULT_MODEL },
        models: { ...section(defaults.models), [DEFAULT_MODEL]: section(section(defaults.models)[DEFAULT_MODEL]) },
      },
    },
    auth: {
      ...auth,
      profiles: { ...section(auth.profiles), [PROFILE_ID]: { provider: "anthropic", mode: "api_key" } },
    },
  });
}

/** The value of a `config_machine_state` row, if any. */
function machineState(db: DatabaseSync, key: string): string | undefined {
  const row = db.prepare("SELECT value_json FROM config_machine_state WHERE state_key = ?").get(key) as
    | { value_json: string }
    | undefined;
  return row?.value_json;
}

/** The profile store as stored; a row that is not a JSON object is refused, never replaced. */
function currentStore(db: DatabaseSync): Record<string, unknown> {
  const raw = machineState(db, STORE_KEY);
  if (raw === undefined) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    parsed = undefined;
  }
  if (!isJsonObject(parsed) || (parsed.profiles !== undefined && !isJsonObject(parsed.profiles))) {
    throw new OnboardRefusal(
      `The auth profile store in ${
        db.location() ?? "the state database"
      } (config_machine_state ${STORE_KEY}) is not readable; it was left as it is. Run openclaw doctor, or onboard with --auth-choice skip.`,
    );
  }
  return parsed;
}

/**
 * Refuses to replace a stored `anthropic:default` with a different key: the reference keeps the
 * stored one too (it saves the new key as an inactive replacement profile and exits 1).
 */
function checkReplacement(store: Record<string, unknown>, credential: AnthropicCredential): void {
  const profiles = isJsonObject(store.profiles) ? store.profiles : {};
  const existing = profiles[PROFILE_ID];
  if (existing === undefined) return;
  const held = isJsonObject(existing) ? { key: existing.key, keyRef: existing.keyRef } : {};
  const given = { key: undefined, keyRef: undefined, ...credential };
  if (JSON.stringify(held) === JSON.stringify(given)) return;
  throw new OnboardRefusal(
    `An Anthropic credential is already stored as ${PROFILE_ID}; it was left unchanged and nothing was written. Remove it first (openclaw models auth), or rerun onboarding with the stored key or --auth-choice skip.`,
  );
}

/** Refuses a state dir whose auth profiles live outside its state database (nothing written). */
function checkOwner(db: DatabaseSync): boolean {
  const owner = machineState(db, OWNER_KEY);
  // The reference reads the shared store only when this row says the state database owns it.
  if (owner !== undefined && !owner.includes('"state-db"')) {
    throw new OnboardRefusal(
      `This state dir keeps auth profiles outside its state database (${owner}); storing an API key there is not served. Run openclaw onboard --auth-choice skip, or the reference's onboarding.`,
    );
  }
  return owner !== undefined;
}

/**
 * Writes the credential into the state database's profile store, keeping every other profile. The read
 * and the write are one `BEGIN IMMEDIATE` transaction, so a profile the reference's gateway commits
 * meanwhile (same database, WAL) is read, not overwritten.
 */
export function storeAnthropicCredential(
  stateDir: string,
  credential: AnthropicCredential,
  options: { access?: StateDbAccess } = {},
): void {
  const db = openStateDb(stateDir, options.access ?? "write");
  try {
    immediate(db, () => {
      const owned = checkOwner(db);
      const store = currentStore(db);
      checkReplacement(store, credential);
      if (!owned) {
        db.prepare("INSERT INTO config_machine_state (state_key, value_json, updated_at_ms) VALUES (?, ?, ?)")
          .run(OWNER_KEY, JSON.stringify({ location: "state-db" }), Date.now());
      }
      const profiles = isJsonObject(store.profiles) ? store.profiles : {};
      const next = {
        version: 1,
        ...store,
        profiles: { ...profiles, [PROFILE_ID]: { type: "api_key", provider: "anthropic", ...credential } },
      };
      db.prepare(
        "INSERT INTO config_machine_state (state_key, value_json, updated_at_ms) VALUES (?, ?, ?) " +
          "ON CONFLICT (state_key) DO UPDATE SET value_json = excluded.value_json, updated_at_ms = excluded.updated_at_ms",
      ).run(STORE_KEY, JSON.stringify(next), Date.now());
    });
  } finally {
    db.close();
  }
}

/**
 * Checks, before onboarding writes anything, that the state database opens and that the credential
 * could be stored (owner row, readable store); throws the open error or an {@link OnboardRefusal}.
 */
export function preflightCredentialStore(
  stateDir: string,
  credential?: AnthropicCredential,
  options: { access?: StateDbAccess } = {},
): void {
  let db: DatabaseSync | undefined;
  try {
    db = openExistingStateDb(stateDir, options.access ?? "write");
  } catch (error) {
    throw new StateDbUnreadable(error instanceof Error ? error.message : String(error));
  }
  if (!db) return;
  try {
    checkOwner(db);
    const store = currentStore(db);
    if (credential) checkReplacement(store, credential);
  } finally {
    db.close();
  }
}
