// The reference's auth-profile store row (`authProfiles.store` in the state database's
// `config_machine_state`), read and seeded directly by the onboard and credential tests, and the onboard
// command line that writes it.
import { openStateDb } from "../../src/state/state_db.ts";

/** The state key of the store row. */
export const AUTH_PROFILE_STORE_KEY = "authProfiles.store";

/** The store row's JSON text, or undefined when there is none. */
export function readAuthProfileStore(stateDir: string): string | undefined {
  const db = openStateDb(stateDir);
  try {
    const row = db.prepare("SELECT value_json FROM config_machine_state WHERE state_key = ?").get(
      AUTH_PROFILE_STORE_KEY,
    ) as
      | { value_json: string }
      | undefined;
    return row?.value_json;
  } finally {
    db.close();
  }
}

/** Writes `value` (JSON text, or anything else to test a damaged row) as the store row, replacing any. */
export function putAuthProfileStore(stateDir: string, value: string): void {
  const db = openStateDb(stateDir);
  try {
    db.prepare(
      "INSERT INTO config_machine_state (state_key, value_json, updated_at_ms) VALUES (?, ?, 0) " +
        "ON CONFLICT (state_key) DO UPDATE SET value_json = excluded.value_json",
    ).run(AUTH_PROFILE_STORE_KEY, value);
  } finally {
    db.close();
  }
}

/** `openclaw onboard` storing `key` as the Anthropic API key, non-interactively and touching nothing else. */
export function onboardApiKeyArgs(key: string): string[] {
  return [
    "onboard",
    "--non-interactive",
    "--accept-risk",
    "--skip-health",
    "--skip-daemon",
    "--skip-skills",
    "--auth-choice",
    "apiKey",
    "--anthropic-api-key",
    key,
  ];
}
