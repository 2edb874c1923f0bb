// Where a state dir's auth profiles live, as the reference shows it (`Auth store`): the global state
// database once `config_machine_state` row `auth.sharedStore` says `state-db` (what onboard writes),
// else the main agent's own database (the reference's legacy place, which this gateway does not read).
// Read-only: a status command must not create or upgrade anything.
import { DatabaseSync } from "node:sqlite";
import { isJsonObject } from "../log/json_object.ts";
import { AuthProfileStoreError } from "./auth_profile_store.ts";
import { SQLITE_BUSY_TIMEOUT_MS } from "./sqlite_busy.ts";
import { stateDbPath } from "./state_db_existing.ts";

/** The store's location: the shared state database, or the legacy per-agent file. */
export type AuthStoreLocation = "state-db" | "legacy-main";

/** Reads the `auth.sharedStore` owner row; `legacy-main` without a database, table or row. */
export function authStoreLocation(stateDir: string): AuthStoreLocation {
  const path = stateDbPath(stateDir);
  try {
    Deno.statSync(path);
  } catch {
    return "legacy-main";
  }
  let db: DatabaseSync | undefined;
  try {
    db = new DatabaseSync(path, { readOnly: true });
    db.exec(`PRAGMA busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
    const row = db.prepare("SELECT value_json FROM config_machine_state WHERE state_key = 'auth.sharedStore'").get() as
      | { value_json: string }
      | undefined;
    if (!row) return "legacy-main";
    const value = JSON.parse(row.value_json);
    return isJsonObject(value) && value.location === "state-db" ? "state-db" : "legacy-main";
  } catch (error) {
    if (/no such table/.test(String(error))) return "legacy-main";
    throw new AuthProfileStoreError(
      `Auth profile store ${path} could not be read (${
        error instanceof Error ? error.message : String(error)
      }); run openclaw doctor.`,
      { cause: error },
    );
  } finally {
    db?.close();
  }
}
