import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { DeviceStore } from "../../src/auth/device_store.ts";
import { PAIRING_REQUEST_TTL_MS } from "../../src/auth/pairing_requests.ts";
import { stateDbPath } from "../../src/state/state_db_existing.ts";
import { tempStateDb } from "../support/temp_devices.ts";

const META = { deviceId: "d1", publicKey: "pk", clientId: "openclaw-control-ui", clientMode: "ui", platform: "web" };
const REQUEST = { ...META, role: "operator", scopes: ["operator.read"], remoteIp: "192.0.2.1", isRepair: false };

Deno.test("pending pairing requests are kept in the database: a new store (a restart) sees them until they expire", async () => {
  const { db } = tempStateDb();
  let now = 1_000_000;
  const first = new DeviceStore(() => Promise.resolve(db), { now: () => now });
  const filed = await first.requests.file(REQUEST);
  assert.equal(filed.created, true);
  const again = await first.requests.file(REQUEST);
  assert.equal(again.created, false, "a retry with the same ask keeps its id");
  assert.equal(again.request.requestId, filed.request.requestId);
  const restarted = new DeviceStore(() => Promise.resolve(db), { now: () => now });
  assert.deepEqual((await restarted.requests.list()).map((r) => r.requestId), [filed.request.requestId]);
  const wider = await restarted.requests.file({ ...REQUEST, scopes: ["operator.admin"] });
  assert.deepEqual(wider.superseded.map((r) => r.requestId), [filed.request.requestId]);
  now += PAIRING_REQUEST_TTL_MS + 1;
  assert.deepEqual(await restarted.requests.list(), [], "five minutes after the last retry it is gone");
});

Deno.test("a paired device keeps its live token across connects; tokens are per role", async () => {
  const { db } = tempStateDb();
  const store = new DeviceStore(() => Promise.resolve(db));
  const a = await store.pair(META, { role: "operator", scopes: ["operator.read"] });
  const b = await store.pair(META, { role: "operator", scopes: ["operator.read"] });
  assert.equal(a.token, b.token);
  const node = await store.pair(META, { role: "node", scopes: [] });
  assert.notEqual(node.token, a.token);
  assert.deepEqual(await store.verifyToken("d1", a.token), ["operator.read"]);
  assert.equal(await store.verifyToken("d1", a.token, "node"), undefined, "an operator token is no node token");
  assert.deepEqual(await store.verifyToken("d1", node.token, "node"), []);
  assert.deepEqual((await store.get("d1"))?.roles, ["operator", "node"]);
  const other = await store.pair({ ...META, publicKey: "another-key" }, { role: "operator", scopes: [] });
  assert.notEqual(other.token, a.token, "a new key for the same id starts over");
  assert.equal(await store.verifyToken("d1", a.token), undefined);
});

Deno.test("the earlier devices/paired.json is imported once, without its hashed tokens, and kept as .migrated", async () => {
  const { db, stateDir } = tempStateDb();
  await Deno.mkdir(`${stateDir}/devices`);
  await Deno.writeTextFile(
    `${stateDir}/devices/paired.json`,
    JSON.stringify({
      devices: {
        d1: {
          ...META,
          role: "operator",
          scopes: ["operator.read"],
          approvedVia: "operator",
          createdAtMs: 5,
          approvedAtMs: 6,
          lastSeenAtMs: 7,
          tokens: [{ tokenHash: "ab", role: "operator", scopes: ["operator.read"], createdAtMs: 5 }],
        },
      },
    }),
  );
  const store = new DeviceStore(() => Promise.resolve(db), { legacyDir: stateDir });
  const device = await store.get("d1");
  assert.deepEqual(
    [device?.publicKey, device?.roles, device?.scopes, device?.approvedVia, device?.approvedAtMs, device?.tokens],
    ["pk", ["operator"], ["operator.read"], "operator", 6, {}],
  );
  await Deno.stat(`${stateDir}/devices/paired.json.migrated`);
  await assert.rejects(Deno.stat(`${stateDir}/devices/paired.json`), Deno.errors.NotFound);
});

Deno.test("update: edits a paired row in one step; undefined leaves it; a throw changes nothing; unknown ids give undefined", async () => {
  const { db } = tempStateDb();
  const store = new DeviceStore(() => Promise.resolve(db));
  await store.pair(META, { role: "operator", scopes: ["operator.read"] });
  assert.equal(await store.update("nobody", () => "x"), undefined);
  assert.equal(
    await store.update("d1", (d) => {
      d.operatorLabel = "ignored";
      return undefined;
    }),
    undefined,
  );
  assert.equal((await store.get("d1"))?.operatorLabel, undefined);
  await assert.rejects(
    store.update("d1", (d) => {
      d.operatorLabel = "half";
      throw new Error("refused");
    }),
    /refused/,
  );
  assert.equal((await store.get("d1"))?.operatorLabel, undefined);
  assert.equal(await store.update("d1", (d) => (d.operatorLabel = "Desk")), "Desk");
  assert.equal((await store.get("d1"))?.operatorLabel, "Desk");
});

Deno.test("update holds the database's write lock from its read to its write: another process cannot change the row between", async () => {
  const { db, stateDir } = tempStateDb();
  const store = new DeviceStore(() => Promise.resolve(db));
  await store.pair(META, { role: "operator", scopes: ["operator.read"] });
  const other = new DatabaseSync(stateDbPath(stateDir));
  try {
    other.exec("PRAGMA busy_timeout = 0");
    await store.update("d1", (d) => {
      assert.throws(() => other.exec("UPDATE device_pairing_paired SET display_name = 'other'"), /locked|busy/i);
      d.operatorLabel = "Desk";
      return d;
    });
  } finally {
    other.close();
  }
  assert.equal((await store.get("d1"))?.operatorLabel, "Desk");
});
