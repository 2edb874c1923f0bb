import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { DeviceStore } from "../../src/auth/device_store.ts";
import type { Logger } from "../../src/log/logger.ts";
import { openStateDb } from "../../src/state/state_db.ts";

const META = { deviceId: "d1", publicKey: "pk", clientId: "openclaw-control-ui", clientMode: "ui", platform: "web" };

Deno.test("verifyToken under another process's write lock: answers at once, skips the last-used stamp, says so once", async () => {
  const dir = await Deno.makeTempDir({ prefix: "oc-device-busy-" });
  const db = openStateDb(dir);
  const reference = new DatabaseSync(`${dir}/state/openclaw.sqlite`);
  const told: string[] = [];
  const log = new Proxy({}, { get: () => (message: string) => void told.push(message) }) as Logger;
  let now = 1_000;
  const store = new DeviceStore(() => Promise.resolve(db), { now: () => now, log });
  try {
    const { token } = await store.pair(META, { role: "operator", scopes: ["operator.read"] });
    reference.exec("BEGIN IMMEDIATE");
    now = 2_000;
    const started = performance.now();
    assert.deepEqual(await store.verifyToken("d1", token), ["operator.read"]);
    assert.deepEqual(await store.verifyToken("d1", token), ["operator.read"]);
    assert.ok(performance.now() - started < 1_000, "two connects did not wait out the 5 s busy timeout");
    assert.equal(told.length, 1, "logged once");
    assert.match(told[0]!, /not recorded while another process .* holds the state database's write lock/);
    reference.exec("ROLLBACK");
    assert.equal((await store.get("d1"))?.tokens.operator?.lastUsedAtMs, undefined, "nothing written while locked");

    now = 3_000;
    assert.deepEqual(await store.verifyToken("d1", token), ["operator.read"]);
    assert.equal((await store.get("d1"))?.tokens.operator?.lastUsedAtMs, 3_000, "recorded once the lock is gone");
  } finally {
    if (reference.isTransaction) reference.exec("ROLLBACK");
    reference.close();
    db.close();
    await Deno.remove(dir, { recursive: true });
  }
});
