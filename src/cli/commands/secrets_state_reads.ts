// What `secrets audit` and `secrets apply` read from the state database: the live team store values
// (to resolve store refs and spot plaintext copies) and the shared auth-profile store. A database or
// table not made yet reads as empty, as the reference treats it.
import { listStoreEntries, readStoreValue } from "../../state/secret_store.ts";
import { openExistingStateDb, stateDbPath } from "../../state/state_db_existing.ts";
import { AuthProfileStoreReader } from "../../state/auth_profile_store.ts";
import { authStoreLocation } from "../../state/auth_store_location.ts";

/** Live team store entries as name → value. */
export function readLiveStoreEntries(stateDir: string): Map<string, string> {
  const db = openExistingStateDb(stateDir, "read");
  if (!db) return new Map();
  try {
    const entries = new Map<string, string>();
    for (const entry of listStoreEntries(db)) {
      const value = readStoreValue(db, entry.name);
      if (value !== undefined) entries.set(entry.name, value);
    }
    return entries;
  } catch (error) {
    if (error instanceof Error && /no such table: secret_store_entries/.test(error.message)) return new Map();
    throw error;
  } finally {
    db.close();
  }
}

/** The shared auth-profile store and its file, when the state database holds one. */
export function readSharedAuthProfiles(
  stateDir: string,
): { path: string; profiles: Record<string, unknown> } | undefined {
  if (authStoreLocation(stateDir) !== "state-db") return undefined;
  const reader = new AuthProfileStoreReader(stateDir);
  try {
    return { path: stateDbPath(stateDir), profiles: reader.read().profiles };
  } finally {
    reader.close();
  }
}
