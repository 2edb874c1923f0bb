// Where `models status` says the auth profiles live: the state database once its owner row says so.
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { AuthProfileStoreError } from "../../src/state/auth_profile_store.ts";
import { authStoreLocation } from "../../src/state/auth_store_location.ts";

Deno.test("authStoreLocation: no database, no table or no owner row is legacy-main; the state-db row is state-db", async () => {
  const stateDir = await Deno.makeTempDir({ prefix: "oc-store-loc-" });
  try {
    assert.equal(authStoreLocation(stateDir), "legacy-main");
    await Deno.mkdir(`${stateDir}/state`);
    const db = new DatabaseSync(`${stateDir}/state/openclaw.sqlite`);
    db.exec("CREATE TABLE other (x)");
    assert.equal(authStoreLocation(stateDir), "legacy-main");
    db.exec("CREATE TABLE config_machine_state (state_key TEXT PRIMARY KEY, value_json TEXT NOT NULL)");
    assert.equal(authStoreLocation(stateDir), "legacy-main");
    db.prepare("INSERT INTO config_machine_state VALUES ('auth.sharedStore', ?)").run('{"location":"state-db"}');
    assert.equal(authStoreLocation(stateDir), "state-db");
    db.close();
  } finally {
    await Deno.remove(stateDir, { recursive: true });
  }
});

Deno.test("authStoreLocation: a file that is not a database is a typed error naming it", async () => {
  const stateDir = await Deno.makeTempDir({ prefix: "oc-store-loc-" });
  try {
    await Deno.mkdir(`${stateDir}/state`);
    await Deno.writeTextFile(`${stateDir}/state/openclaw.sqlite`, "not a database at all, just text ".repeat(20));
    assert.throws(() => authStoreLocation(stateDir), (error: unknown) => {
      assert.ok(error instanceof AuthProfileStoreError);
      assert.match(error.message, /openclaw\.sqlite could not be read \(.*\); run openclaw doctor/);
      return true;
    });
  } finally {
    await Deno.remove(stateDir, { recursive: true });
  }
});
