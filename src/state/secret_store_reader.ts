// Reading one team store value for a `{source: "store"}` SecretRef: the state database is opened per read
// and closed again, so a value the CLI wrote a moment ago is what the next resolution sees, and a gateway
// holds no handle on the file between resolutions. A database or table not made yet reads as no entry,
// as the reference treats it.
import { readStoreValue } from "./secret_store.ts";
import { openExistingStateDb } from "./state_db_existing.ts";

/** Reads live team store values from the state database under `stateDir`; undefined for a missing entry. */
export function storeValueReader(stateDir: string): (name: string) => string | undefined {
  return (name) => {
    const db = openExistingStateDb(stateDir, "read");
    if (!db) return undefined;
    try {
      return readStoreValue(db, name);
    } catch (error) {
      if (error instanceof Error && /no such table: secret_store_entries/.test(error.message)) return undefined;
      throw error;
    } finally {
      db.close();
    }
  };
}
