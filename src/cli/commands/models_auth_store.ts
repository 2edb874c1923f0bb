// The auth-profile store the models commands read (`models status`, `models list`), and where the
// reference shows it.
import type { ProfileStore } from "../../config/provider_credentials.ts";
import { AuthProfileStoreReader } from "../../state/auth_profile_store.ts";
import { authStoreLocation } from "../../state/auth_store_location.ts";
import { stateDbPath } from "../../state/state_db_existing.ts";

/**
 * The auth-profile store and where the reference shows it: the state database once onboard moved
 * the store there, else the main agent's legacy file (which this gateway does not read: empty).
 * Throws the store's own error (AuthProfileStoreError) for a row it cannot read.
 */
export function readAuthStore(stateDir: string): { store: ProfileStore; storePath: string } {
  if (authStoreLocation(stateDir) !== "state-db") {
    return { store: { profiles: {} }, storePath: `${stateDir}/agents/main/agent/openclaw-agent.sqlite` };
  }
  const reader = new AuthProfileStoreReader(stateDir);
  try {
    return { store: reader.read(), storePath: stateDbPath(stateDir) };
  } finally {
    reader.close();
  }
}
