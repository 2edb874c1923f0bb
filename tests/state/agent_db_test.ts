import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { AGENT_SCHEMA_SQL, AGENT_SCHEMA_VERSION } from "../../src/state/agent_schema.ts";
import {
  AgentDbIdError,
  agentDbPath,
  openAgentDb,
  StateSchemaOwnerError,
  StateSchemaVersionError,
} from "../../src/state/agent_db.ts";
import { openStateDb, stateDbPath } from "../../src/state/state_db.ts";
import { STATE_SCHEMA_VERSION } from "../../src/state/state_schema.ts";

function names(db: DatabaseSync, type: string): number {
  return (db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = ?").get(type) as { n: number }).n;
}

Deno.test("openAgentDb() creates the agent database as the reference does: DDL, schema_meta, WAL, private files, registered", () => {
  const dir = Deno.makeTempDirSync({ prefix: "oc-agentdb-" });
  try {
    const db = openAgentDb(dir, "main");
    try {
      assert.equal((db.prepare("PRAGMA user_version").get() as { user_version: number }).user_version, 23);
      assert.equal((db.prepare("PRAGMA journal_mode").get() as { journal_mode: string }).journal_mode, "wal");
      assert.equal((db.prepare("PRAGMA auto_vacuum").get() as { auto_vacuum: number }).auto_vacuum, 2);
      assert.equal((db.prepare("PRAGMA busy_timeout").get() as { timeout: number }).timeout, 5000);
      assert.equal((db.prepare("PRAGMA foreign_keys").get() as { foreign_keys: number }).foreign_keys, 1);
      const meta = db.prepare("SELECT meta_key, role, schema_version, agent_id, app_version FROM schema_meta").all();
      assert.deepEqual(meta.map((row) => ({ ...row })), [
        { meta_key: "primary", role: "agent", schema_version: 23, agent_id: "main", app_version: "2026.9.6" },
      ]);
      // Every statement landed: 67 tables as sqlite_master counts them (FTS5 shadow tables included).
      assert.equal(names(db, "table"), 67);
      assert.equal(names(db, "trigger"), 29);
      assert.ok(AGENT_SCHEMA_SQL.length > 100);
    } finally {
      db.close();
    }
    const path = agentDbPath(dir, "main");
    assert.equal(Deno.statSync(path).mode! & 0o777, 0o600);
    // The WAL and shared-memory files SQLite makes while a connection writes are private too.
    const writer = openAgentDb(dir, "main");
    try {
      writer.exec("UPDATE memory_index_state SET revision = revision WHERE id = 1");
      for (const file of [`${path}-wal`, `${path}-shm`]) assert.equal(Deno.statSync(file).mode! & 0o777, 0o600, file);
    } finally {
      writer.close();
    }
    assert.equal(Deno.statSync(`${dir}/agents/main/agent`).mode! & 0o777, 0o700);
    const state = openStateDb(dir);
    try {
      assert.equal(names(state, "table"), 105);
      const registered = state.prepare("SELECT agent_id, path, schema_version FROM agent_databases").all();
      assert.deepEqual(registered.map((row) => ({ ...row })), [
        { agent_id: "main", path: "agents/main/agent/openclaw-agent.sqlite", schema_version: 23 },
      ]);
      const meta = state.prepare("SELECT role, schema_version, agent_id FROM schema_meta").all();
      assert.deepEqual(meta.map((row) => ({ ...row })), [{ role: "global", schema_version: 18, agent_id: null }]);
    } finally {
      state.close();
    }
    assert.equal(Deno.statSync(stateDbPath(dir)).mode! & 0o777, 0o600);
    // Opened again: the rows another program wrote stay untouched.
    const again = openAgentDb(dir, "main");
    try {
      again.exec("INSERT INTO cache_entries (scope, key, value_json, updated_at) VALUES ('x', 'y', '{}', 1)");
    } catch {
      // The column set of cache_entries is the reference's; the point is only that reopening keeps rows.
    } finally {
      again.close();
    }
    const third = openAgentDb(dir, "main");
    try {
      assert.equal((third.prepare("SELECT count(*) AS n FROM schema_meta").get() as { n: number }).n, 1);
    } finally {
      third.close();
    }
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("openAgentDb() refuses a newer or older schema version and another agent's database, naming the fix", () => {
  const dir = Deno.makeTempDirSync({ prefix: "oc-agentdb-" });
  try {
    openAgentDb(dir, "main").close();
    const raw = new DatabaseSync(agentDbPath(dir, "main"));
    raw.exec(`PRAGMA user_version = ${AGENT_SCHEMA_VERSION + 1}`);
    raw.close();
    assert.throws(() => openAgentDb(dir, "main"), (error: unknown) => {
      assert.ok(error instanceof StateSchemaVersionError);
      assert.equal(error.found, 24);
      assert.match(error.message, /schema version 24, this gateway reads 23; it was written by a newer OpenClaw/);
      return true;
    });
    const older = new DatabaseSync(agentDbPath(dir, "main"));
    older.exec("PRAGMA user_version = 17");
    older.close();
    assert.throws(() => openAgentDb(dir, "main"), /older OpenClaw: run `openclaw doctor --fix`/);

    openAgentDb(dir, "work").close();
    Deno.mkdirSync(`${dir}/agents/other/agent`, { recursive: true });
    Deno.copyFileSync(agentDbPath(dir, "work"), agentDbPath(dir, "other"));
    assert.throws(() => openAgentDb(dir, "other"), StateSchemaOwnerError);
    assert.throws(() => openAgentDb(dir, "../x"), AgentDbIdError);
    assert.equal(STATE_SCHEMA_VERSION, 18);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
