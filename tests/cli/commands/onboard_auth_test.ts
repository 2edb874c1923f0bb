// The Anthropic key's store in the state database: a damaged store row is refused untouched (the
// concurrent-writer case is tests/integration/onboard_store_lock_test.ts).
import assert from "node:assert/strict";
import { openStateDb } from "../../../src/state/state_db.ts";
import { storeAnthropicCredential } from "../../../src/cli/commands/onboard_auth.ts";
import { OnboardRefusal } from "../../../src/cli/commands/onboard_local_config.ts";

const STORE = "authProfiles.store";

function readStore(stateDir: string): string | undefined {
  const db = openStateDb(stateDir);
  try {
    const row = db.prepare("SELECT value_json FROM config_machine_state WHERE state_key = ?").get(STORE) as
      | { value_json: string }
      | undefined;
    return row?.value_json;
  } finally {
    db.close();
  }
}

function putStore(stateDir: string, value: string): void {
  const db = openStateDb(stateDir);
  try {
    db.prepare("INSERT INTO config_machine_state (state_key, value_json, updated_at_ms) VALUES (?, ?, 0)")
      .run(STORE, value);
  } finally {
    db.close();
  }
}

Deno.test("onboard auth: a store row that is not a JSON object is refused and left as it was", async () => {
  for (const damaged of ["{not json", "[1,2]", '"text"']) {
    const stateDir = await Deno.makeTempDir();
    try {
      putStore(stateDir, damaged);
      assert.throws(() => storeAnthropicCredential(stateDir, { key: "sk-ant-x" }), OnboardRefusal);
      assert.equal(readStore(stateDir), damaged);
    } finally {
      await Deno.remove(stateDir, { recursive: true });
    }
  }
});
