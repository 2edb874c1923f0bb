// The reference's auth-profile store, read only: the `authProfiles.store` row (credentials) and the
// `authProfiles.state` row (order, usage) of the global state database's `config_machine_state`,
// which `openclaw onboard` (ours or the reference's) writes. Kept parsed between runs and read again
// only when the database changed (`PRAGMA data_version`, which moves when another connection
// commits) or was replaced (its file identity), so a key rotated by another process applies to the
// next run without a restart, and an unchanged store costs one pragma per run.
import { DatabaseSync, type StatementSync } from "node:sqlite";
import { isJsonObject } from "../log/json_object.ts";
import { type AbsentPaths, knownAbsent, recordAbsent } from "./absent_paths.ts";
import { SQLITE_BUSY_TIMEOUT_MS } from "./sqlite_busy.ts";
import { stateDbPath } from "./state_db_existing.ts";

/** One stored credential (its secret fields as stored; never logged or echoed). */
export interface AuthProfileCredential {
  type: string;
  provider: string;
  [field: string]: unknown;
}

/** The store as the run's credential resolution reads it. */
export interface AuthProfileStoreData {
  profiles: Record<string, AuthProfileCredential>;
  order?: Record<string, string[]> | undefined;
  lastUsed?: Record<string, number> | undefined;
}

/** The store could not be read as the reference keeps it; the message names the row, never its content. */
export class AuthProfileStoreError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "AuthProfileStoreError";
  }
}

const STORE_KEY = "authProfiles.store";
const STATE_KEY = "authProfiles.state";
const OWNER_KEY = "auth.sharedStore";
const EMPTY: AuthProfileStoreData = { profiles: {} };

/** The reference's words for a store row it cannot parse, with which row and why (never the row itself). */
function unreadable(path: string, why: string): AuthProfileStoreError {
  return new AuthProfileStoreError(
    `Auth profile store ${path} is unreadable (config_machine_state ${STORE_KEY}: ${why}); run openclaw doctor --fix.`,
  );
}

const ROW_SQL = "SELECT value_json FROM config_machine_state WHERE state_key = ?";

/** The texts of the three rows the store is read from (owner, credentials, runtime state), undefined where missing. */
type StoreTexts = readonly [owner: string | undefined, store: string | undefined, state: string | undefined];

function storeTexts(select: StatementSync): StoreTexts {
  const text = (key: string) => (select.get(key) as { value_json: string } | undefined)?.value_json;
  return [text(OWNER_KEY), text(STORE_KEY), text(STATE_KEY)];
}

function parsed(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The credentials row: an object whose `profiles` maps ids to credentials with a type and provider. */
function parseStore(text: string, path: string): AuthProfileStoreData["profiles"] {
  const value = parsed(text);
  if (!isJsonObject(value)) throw unreadable(path, "not a JSON object");
  if (value.profiles === undefined) return {};
  if (!isJsonObject(value.profiles)) throw unreadable(path, "profiles is not an object");
  const profiles: AuthProfileStoreData["profiles"] = {};
  for (const [id, credential] of Object.entries(value.profiles)) {
    if (!isJsonObject(credential) || typeof credential.type !== "string" || typeof credential.provider !== "string") {
      throw unreadable(path, `profile ${JSON.stringify(id)} has no type or provider`);
    }
    profiles[id] = { ...credential, type: credential.type, provider: credential.provider };
  }
  return profiles;
}

/** The runtime-state row, read leniently as the reference coerces it: what is malformed is left out. */
function parseState(text: string | undefined): Pick<AuthProfileStoreData, "order" | "lastUsed"> {
  const value = text === undefined ? undefined : parsed(text);
  if (!isJsonObject(value)) return {};
  const order: Record<string, string[]> = {};
  for (const [provider, ids] of Object.entries(isJsonObject(value.order) ? value.order : {})) {
    if (!Array.isArray(ids)) continue;
    const list = ids.filter((id): id is string => typeof id === "string" && id.trim() !== "").map((id) => id.trim());
    if (list.length > 0) order[provider.trim().toLowerCase()] = list;
  }
  const lastUsed: Record<string, number> = {};
  for (const [id, stats] of Object.entries(isJsonObject(value.usageStats) ? value.usageStats : {})) {
    if (isJsonObject(stats) && typeof stats.lastUsed === "number") lastUsed[id] = stats.lastUsed;
  }
  return {
    ...(Object.keys(order).length > 0 ? { order } : {}),
    ...(Object.keys(lastUsed).length > 0 ? { lastUsed } : {}),
  };
}

/** Reads the rows of an open state database into the store (empty when onboarding never wrote one). */
export function readAuthProfileStore(db: DatabaseSync, path: string): AuthProfileStoreData {
  return storeOf(storeTexts(db.prepare(ROW_SQL)), path);
}

/** The store its rows' texts make. */
function storeOf([ownerText, store, state]: StoreTexts, path: string): AuthProfileStoreData {
  const owner = ownerText === undefined ? undefined : parsed(ownerText);
  if (ownerText !== undefined && !(isJsonObject(owner) && owner.location === "state-db")) {
    // The reference keeps such a state dir's profiles in the main agent's own database until its
    // doctor moves them; this gateway reads only the shared store.
    throw new AuthProfileStoreError(
      `Auth profiles of this state dir are kept outside ${path} (config_machine_state ${OWNER_KEY} is not "state-db"), which this gateway does not read; run openclaw doctor --fix with the reference to move them, or set the key in models.providers.<provider>.apiKey.`,
    );
  }
  if (store === undefined) return EMPTY;
  return { profiles: parseStore(store, path), ...parseState(state) };
}

/** Which file a path is now: a replaced database (restore, reset) is a different one. */
function identityOf(path: string): string | undefined {
  try {
    const info = Deno.statSync(path);
    return `${info.dev}:${info.ino}`;
  } catch {
    return undefined;
  }
}

/**
 * The store of one state dir, kept open between runs and read again only when it changed. Opened
 * on the first read, never at start; `close()` with the gateway.
 */
export class AuthProfileStoreReader {
  readonly #path: string;
  #db: DatabaseSync | undefined;
  #identity: string | undefined;
  #version: number | undefined;
  #store: AuthProfileStoreData | undefined;
  /** The rows {@link #store} was made from: another write to the database (the ingress queue's) leaves them as they were. */
  #texts: StoreTexts | undefined;
  /** The connection's statements, prepared once: each run asks, and compiling them was most of an unchanged read. */
  #statements: { version: StatementSync; select?: StatementSync } | undefined;
  /** The database, while known absent (absent_paths.ts). */
  #absent: AbsentPaths = new Map();

  readonly #now: () => number;

  /** `now` says when a directory's stamp has settled enough to vouch for the database's absence (tests move it). */
  constructor(stateDir: string, now: () => number = Date.now) {
    this.#path = stateDbPath(stateDir);
    this.#now = now;
  }

  /** Where the store lives (the reference names it in its missing-key message). */
  get path(): string {
    return this.#path;
  }

  /** The store as it is now; throws {@link AuthProfileStoreError} for a row it cannot read. */
  read(): AuthProfileStoreData {
    // A state dir without the database (keys in config or env): each run's failed stat cost 0.12 ms in the
    // gateway, most of it the NotFound error; the directory above it vouches for its absence instead.
    if (knownAbsent(this.#absent, this.#path)) return EMPTY;
    const identity = identityOf(this.#path);
    if (identity === undefined) {
      this.close();
      recordAbsent(this.#absent, this.#path, this.#now());
      return EMPTY;
    }
    if (identity !== this.#identity) {
      this.close();
      // Read-only and without the schema check the writers make: this reader only selects two rows,
      // and a state database a newer reference upgraded must not fail runs that need no profile.
      try {
        this.#db = new DatabaseSync(this.#path, { readOnly: true });
        this.#db.exec(`PRAGMA busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
      } catch (error) {
        this.close();
        throw new AuthProfileStoreError(
          `Auth profile store ${this.#path} could not be opened (${
            error instanceof Error ? error.message : String(error)
          }); run openclaw doctor.`,
          { cause: error },
        );
      }
      this.#identity = identity;
    }
    const db = this.#db!;
    let version: number | undefined;
    try {
      const statements = this.#statements ??= { version: db.prepare("PRAGMA data_version") };
      version = (statements.version.get() as { data_version: number }).data_version;
      if (version === this.#version && this.#store) return this.#store;
      const texts = storeTexts(statements.select ??= db.prepare(ROW_SQL));
      if (this.#store && this.#texts && texts.every((text, i) => text === this.#texts![i])) {
        this.#version = version;
        return this.#store;
      }
      // A failed read is not kept: the next run reads again (a fixed row applies at once).
      this.#store = undefined;
      this.#texts = undefined;
      const store = storeOf(texts, this.#path);
      this.#store = store;
      this.#texts = texts;
      this.#version = version;
      return store;
    } catch (error) {
      if (error instanceof AuthProfileStoreError) throw error;
      // No config_machine_state table yet (a database the reference is still creating, or one
      // without onboarding). Kept as empty until the database changes, so an unchanged database
      // costs one pragma per run rather than a failing statement.
      if (/no such table/.test(String(error))) {
        this.#store = EMPTY;
        this.#texts = undefined;
        this.#version = version;
        return EMPTY;
      }
      // Not a database, or SQLite refused the read: opened afresh next time.
      this.close();
      throw new AuthProfileStoreError(
        `Auth profile store ${this.#path} could not be read (${
          error instanceof Error ? error.message : String(error)
        }); run openclaw doctor.`,
        { cause: error },
      );
    }
  }

  /** Closes the connection; the next read opens it again. */
  close(): void {
    this.#db?.close();
    this.#db = undefined;
    this.#identity = undefined;
    this.#version = undefined;
    this.#store = undefined;
    this.#texts = undefined;
    this.#statements = undefined;
  }
}
