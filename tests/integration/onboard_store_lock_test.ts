// The Anthropic key's store in the state database is read and written under the write lock, so a
// profile another process (the reference's gateway, same database) commits meanwhile is not lost.
import assert from "node:assert/strict";
import { openStateDb } from "../../src/state/state_db.ts";
import { storeAnthropicCredential } from "../../src/cli/commands/onboard_auth.ts";
import { AUTH_PROFILE_STORE_KEY, putAuthProfileStore, readAuthProfileStore } from "../support/auth_profile_store.ts";

Deno.test("onboard auth: a profile another process commits while we wait for the lock is kept", async () => {
  const stateDir = await Deno.makeTempDir();
  try {
    putAuthProfileStore(stateDir, JSON.stringify({ version: 1, profiles: {} }));
    const db = openStateDb(stateDir);
    db.prepare("INSERT INTO config_machine_state (state_key, value_json, updated_at_ms) VALUES (?, ?, 0)")
      .run("auth.sharedStore", JSON.stringify({ location: "state-db" }));
    db.close();
    const path = `${stateDir}/state/openclaw.sqlite`;
    // Another connection takes the write lock, then adds its profile and commits 1.5 s later.
    const holder = new Deno.Command(Deno.execPath(), {
      args: [
        "eval",
        `import { DatabaseSync } from "node:sqlite";
         const db = new DatabaseSync(${JSON.stringify(path)});
         db.exec("PRAGMA busy_timeout = 5000"); db.exec("BEGIN IMMEDIATE");
         console.log("locked");
         const v = JSON.parse(db.prepare("SELECT value_json FROM config_machine_state WHERE state_key = ?").get(${
          JSON.stringify(AUTH_PROFILE_STORE_KEY)
        }).value_json);
         v.profiles["openai:other"] = { type: "api_key", provider: "openai", key: "k" };
         db.prepare("UPDATE config_machine_state SET value_json = ? WHERE state_key = ?").run(JSON.stringify(v), ${
          JSON.stringify(AUTH_PROFILE_STORE_KEY)
        });
         await new Promise((r) => setTimeout(r, 1500)); db.exec("COMMIT"); db.close();`,
      ],
      stdout: "piped",
    }).spawn();
    const reader = holder.stdout.getReader();
    const first = await reader.read();
    assert.match(new TextDecoder().decode(first.value), /locked/);
    storeAnthropicCredential(stateDir, { key: "sk-ant-x" });
    reader.releaseLock();
    await holder.stdout.cancel();
    assert.equal((await holder.status).code, 0);
    const profiles = JSON.parse(readAuthProfileStore(stateDir)!).profiles;
    assert.deepEqual(Object.keys(profiles).sort(), ["anthropic:default", "openai:other"]);
  } finally {
    await Deno.remove(stateDir, { recursive: true });
  }
});
