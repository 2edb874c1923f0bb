// The Anthropic key's store in the state database: a damaged store row is refused untouched (the
// concurrent-writer case is tests/integration/onboard_store_lock_test.ts).
import assert from "node:assert/strict";
import { preflightCredentialStore, storeAnthropicCredential } from "../../../src/cli/commands/onboard_auth.ts";
import { OnboardRefusal } from "../../../src/cli/commands/onboard_local_config.ts";
import { putAuthProfileStore, readAuthProfileStore } from "../../support/auth_profile_store.ts";

Deno.test("onboard auth: a store row that is not a JSON object is refused and left as it was", async () => {
  for (const damaged of ["{not json", "[1,2]", '"text"']) {
    const stateDir = await Deno.makeTempDir();
    try {
      putAuthProfileStore(stateDir, damaged);
      assert.throws(() => storeAnthropicCredential(stateDir, { key: "sk-ant-x" }), OnboardRefusal);
      assert.equal(readAuthProfileStore(stateDir), damaged);
    } finally {
      await Deno.remove(stateDir, { recursive: true });
    }
  }
});

Deno.test("onboard auth: a different key over a stored anthropic:default is refused, the stored key kept", async () => {
  const stateDir = await Deno.makeTempDir();
  try {
    const stored = JSON.stringify({
      version: 1,
      profiles: { "anthropic:default": { type: "api_key", provider: "anthropic", key: "sk-ant-first" } },
    });
    putAuthProfileStore(stateDir, stored);
    assert.throws(() => preflightCredentialStore(stateDir, { key: "sk-ant-second" }), OnboardRefusal);
    assert.throws(() => storeAnthropicCredential(stateDir, { key: "sk-ant-second" }), OnboardRefusal);
    assert.equal(readAuthProfileStore(stateDir), stored);
    // The same key again is a re-run, as the reference takes it.
    preflightCredentialStore(stateDir, { key: "sk-ant-first" });
    storeAnthropicCredential(stateDir, { key: "sk-ant-first" });
    assert.equal(JSON.parse(readAuthProfileStore(stateDir)!).profiles["anthropic:default"].key, "sk-ant-first");
  } finally {
    await Deno.remove(stateDir, { recursive: true });
  }
});
