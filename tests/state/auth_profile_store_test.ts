import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { AuthProfileStoreError, AuthProfileStoreReader } from "../../src/state/auth_profile_store.ts";
import { openStateDb } from "../../src/state/state_db.ts";
import { putAuthProfileStore } from "../support/auth_profile_store.ts";

function putRow(stateDir: string, key: string, value: string): void {
  const db = openStateDb(stateDir);
  try {
    db.prepare(
      "INSERT INTO config_machine_state (state_key, value_json, updated_at_ms) VALUES (?, ?, 0) " +
        "ON CONFLICT (state_key) DO UPDATE SET value_json = excluded.value_json",
    ).run(key, value);
  } finally {
    db.close();
  }
}

/** A state dir with the rows onboard writes: the owner row and `anthropic:default` holding `key`. */
async function onboarded(key: string): Promise<string> {
  const stateDir = await Deno.makeTempDir({ prefix: "oc-authstore-" });
  putRow(stateDir, "auth.sharedStore", JSON.stringify({ location: "state-db" }));
  const profile = { type: "api_key", provider: "anthropic", key };
  putAuthProfileStore(stateDir, JSON.stringify({ version: 1, profiles: { "anthropic:default": profile } }));
  return stateDir;
}

Deno.test("AuthProfileStoreReader reads nothing from a state dir without a database, and creates none", async () => {
  const stateDir = await Deno.makeTempDir({ prefix: "oc-authstore-" });
  try {
    const reader = new AuthProfileStoreReader(stateDir);
    assert.deepEqual(reader.read(), { profiles: {} });
    assert.equal(reader.path, `${stateDir}/state/openclaw.sqlite`);
    assert.equal(await Deno.stat(reader.path).then(() => true, () => false), false);
    reader.close();
  } finally {
    await Deno.remove(stateDir, { recursive: true });
  }
});

/** Records each path `Deno.statSync` is asked about until the returned function puts the original back. */
function spyOnStat(record: (path: string) => void): () => void {
  const original = Deno.statSync;
  Deno.statSync = (path) => {
    record(String(path));
    return original(path);
  };
  return () => {
    Deno.statSync = original;
  };
}

Deno.test("AuthProfileStoreReader vouches for a missing database by its directory, and reads one created since", async () => {
  const stateDir = await Deno.makeTempDir({ prefix: "oc-authstore-" });
  const statted: string[] = [];
  let restore = () => {};
  try {
    // A clock far enough ahead that the state dir just made counts as settled. Its times are set in the past: the
    // file system's clock ticks coarsely (a few ms), and a state/ made within the same tick would not move them.
    await Deno.utime(stateDir, 1_000_000, 1_000_000);
    const reader = new AuthProfileStoreReader(stateDir, () => Date.now() + 60_000);
    restore = spyOnStat((path) => statted.push(path));
    assert.deepEqual(reader.read(), { profiles: {} });
    assert.ok(statted.includes(reader.path));
    statted.length = 0;
    assert.deepEqual(reader.read(), { profiles: {} });
    assert.deepEqual(statted, [stateDir], "the second read stats the state dir, not the missing database");
    restore();
    // Onboard creates state/ (and the database in it): the state dir's stamp moves, so the next read finds it.
    putRow(stateDir, "auth.sharedStore", JSON.stringify({ location: "state-db" }));
    const profile = { type: "api_key", provider: "anthropic", key: "sk-ant-created-later" };
    putAuthProfileStore(stateDir, JSON.stringify({ version: 1, profiles: { "anthropic:default": profile } }));
    assert.equal(reader.read().profiles["anthropic:default"]?.key, "sk-ant-created-later");
    reader.close();
  } finally {
    restore();
    await Deno.remove(stateDir, { recursive: true });
  }
});

Deno.test("AuthProfileStoreReader looks a missing database up on every read while its directory is too recent to vouch", async () => {
  const stateDir = await Deno.makeTempDir({ prefix: "oc-authstore-" });
  let dbStats = 0;
  let restore = () => {};
  try {
    const reader = new AuthProfileStoreReader(stateDir);
    restore = spyOnStat((path) => path === reader.path && dbStats++);
    for (let i = 0; i < 3; i++) assert.deepEqual(reader.read(), { profiles: {} });
    assert.equal(dbStats, 3);
    reader.close();
  } finally {
    restore();
    await Deno.remove(stateDir, { recursive: true });
  }
});

Deno.test("AuthProfileStoreReader reads onboard's rows and the state row's order and last use", async () => {
  const stateDir = await onboarded("sk-one");
  const reader = new AuthProfileStoreReader(stateDir);
  try {
    putRow(
      stateDir,
      "authProfiles.state",
      JSON.stringify({
        version: 1,
        order: { Anthropic: ["anthropic:default", 7] },
        usageStats: { "anthropic:default": { lastUsed: 5 } },
      }),
    );
    assert.deepEqual(reader.read(), {
      profiles: { "anthropic:default": { type: "api_key", provider: "anthropic", key: "sk-one" } },
      order: { anthropic: ["anthropic:default"] },
      lastUsed: { "anthropic:default": 5 },
    });
  } finally {
    reader.close();
    await Deno.remove(stateDir, { recursive: true });
  }
});

Deno.test("AuthProfileStoreReader keeps the parsed store until another connection commits, then reads the new key", async () => {
  const stateDir = await onboarded("sk-one");
  const reader = new AuthProfileStoreReader(stateDir);
  try {
    const first = reader.read();
    assert.equal(reader.read(), first, "unchanged database: the same parsed store, not read again");
    const profile = { type: "api_key", provider: "anthropic", key: "sk-two" };
    putAuthProfileStore(stateDir, JSON.stringify({ version: 1, profiles: { "anthropic:default": profile } }));
    assert.equal(reader.read().profiles["anthropic:default"]!.key, "sk-two");
  } finally {
    reader.close();
    await Deno.remove(stateDir, { recursive: true });
  }
});

Deno.test("AuthProfileStoreReader reads a replaced database file (restore, reset) afresh", async () => {
  const stateDir = await onboarded("sk-one");
  const reader = new AuthProfileStoreReader(stateDir);
  try {
    assert.equal(reader.read().profiles["anthropic:default"]!.key, "sk-one");
    const other = await onboarded("sk-restored");
    for (const suffix of ["", "-wal", "-shm"]) {
      await Deno.remove(`${reader.path}${suffix}`).catch(() => {});
    }
    await Deno.rename(`${other}/state/openclaw.sqlite`, reader.path);
    for (const suffix of ["-wal", "-shm"]) {
      await Deno.rename(`${other}/state/openclaw.sqlite${suffix}`, `${reader.path}${suffix}`).catch(() => {});
    }
    await Deno.remove(other, { recursive: true });
    assert.equal(reader.read().profiles["anthropic:default"]!.key, "sk-restored");
  } finally {
    reader.close();
    await Deno.remove(stateDir, { recursive: true });
  }
});

Deno.test("AuthProfileStoreReader refuses a damaged store row with the reference's fix, never echoing the row", async () => {
  const stateDir = await onboarded("sk-one");
  const reader = new AuthProfileStoreReader(stateDir);
  try {
    const damaged: [string, string][] = [
      ['{"profiles": {"anthropic:default": {"key": "sk-secret-1"', "not a JSON object"],
      ['["sk-secret-2"]', "not a JSON object"],
      ['{"profiles": ["sk-secret-3"]}', "profiles is not an object"],
      [
        '{"profiles": {"anthropic:default": {"key": "sk-secret-4"}}}',
        'profile "anthropic:default" has no type or provider',
      ],
    ];
    for (const [row, why] of damaged) {
      putAuthProfileStore(stateDir, row);
      assert.throws(() => reader.read(), (error: Error) => {
        assert.ok(error instanceof AuthProfileStoreError);
        assert.equal(
          error.message,
          `Auth profile store ${reader.path} is unreadable (config_machine_state authProfiles.store: ${why}); run openclaw doctor --fix.`,
        );
        assert.ok(!error.message.includes("sk-secret"));
        return true;
      });
    }
    // Fixed by another process: the next read succeeds without a restart.
    putAuthProfileStore(stateDir, JSON.stringify({ version: 1, profiles: {} }));
    assert.deepEqual(reader.read(), { profiles: {} });
  } finally {
    reader.close();
    await Deno.remove(stateDir, { recursive: true });
  }
});

Deno.test("AuthProfileStoreReader refuses a state dir whose profiles live in a legacy per-agent store", async () => {
  const stateDir = await onboarded("sk-one");
  const reader = new AuthProfileStoreReader(stateDir);
  try {
    putRow(stateDir, "auth.sharedStore", JSON.stringify({ location: "agent-db" }));
    assert.throws(() => reader.read(), (error: Error) => {
      assert.ok(error instanceof AuthProfileStoreError);
      assert.match(error.message, /config_machine_state auth\.sharedStore is not "state-db"/);
      assert.match(error.message, /openclaw doctor --fix/);
      return true;
    });
  } finally {
    reader.close();
    await Deno.remove(stateDir, { recursive: true });
  }
});

Deno.test("AuthProfileStoreReader reads a database of another schema version, and names a file that is no database", async () => {
  const stateDir = await onboarded("sk-one");
  const reader = new AuthProfileStoreReader(stateDir);
  try {
    const db = openStateDb(stateDir);
    db.exec("PRAGMA user_version = 999");
    db.close();
    assert.equal(reader.read().profiles["anthropic:default"]!.key, "sk-one");
    reader.close();
    for (const suffix of ["", "-wal", "-shm"]) await Deno.remove(`${reader.path}${suffix}`).catch(() => {});
    await Deno.writeTextFile(reader.path, "not a database, and long enough to have a header ".repeat(4));
    assert.throws(() => reader.read(), (error: Error) => {
      assert.ok(error instanceof AuthProfileStoreError);
      assert.match(
        error.message,
        /^Auth profile store .*openclaw\.sqlite could not be (read|opened) \(.+\); run openclaw doctor\.$/,
      );
      return true;
    });
  } finally {
    reader.close();
    await Deno.remove(stateDir, { recursive: true });
  }
});

Deno.test("AuthProfileStoreReader reads a database without the store table as empty, then the table another connection creates", async () => {
  const stateDir = await Deno.makeTempDir({ prefix: "oc-authstore-" });
  await Deno.mkdir(`${stateDir}/state`);
  const other = new DatabaseSync(`${stateDir}/state/openclaw.sqlite`);
  other.exec("CREATE TABLE unrelated (id INTEGER)");
  const reader = new AuthProfileStoreReader(stateDir);
  try {
    const first = reader.read();
    assert.deepEqual(first, { profiles: {} });
    assert.deepEqual(reader.read(), first);
    other.exec(
      "CREATE TABLE config_machine_state (state_key TEXT NOT NULL PRIMARY KEY, value_json TEXT NOT NULL, updated_at_ms INTEGER NOT NULL) STRICT",
    );
    const profile = { type: "api_key", provider: "anthropic", key: "sk-late" };
    other.prepare("INSERT INTO config_machine_state VALUES (?, ?, 0)").run(
      "authProfiles.store",
      JSON.stringify({ version: 1, profiles: { "anthropic:default": profile } }),
    );
    assert.equal(reader.read().profiles["anthropic:default"]!.key, "sk-late");
  } finally {
    reader.close();
    other.close();
    await Deno.remove(stateDir, { recursive: true });
  }
});

Deno.test("AuthProfileStoreReader keeps the parsed store when another connection writes other rows (the ingress queue's)", async () => {
  const stateDir = await onboarded("sk-one");
  const reader = new AuthProfileStoreReader(stateDir);
  try {
    const first = reader.read();
    putRow(stateDir, "unrelated.row", JSON.stringify({ at: 1 }));
    assert.equal(reader.read(), first, "the store's rows are unchanged: the same parsed store");
    putRow(stateDir, "authProfiles.state", JSON.stringify({ order: { anthropic: ["anthropic:default"] } }));
    const next = reader.read();
    assert.notEqual(next, first, "a changed row of the store is read");
    assert.deepEqual(next.order, { anthropic: ["anthropic:default"] });
  } finally {
    reader.close();
    await Deno.remove(stateDir, { recursive: true });
  }
});
