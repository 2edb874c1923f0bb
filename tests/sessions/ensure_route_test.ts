// A session created by a channel run gets its route in its creating commit (one transaction, not two):
// the rows are those the separate create and recordRoute write, so the reference reads the same entry.
import assert from "node:assert/strict";
import type { DatabaseSync } from "node:sqlite";
import { openAgentDb } from "../../src/state/agent_db.ts";
import { SessionStore } from "../../src/sessions/store.ts";

/** An agent database whose `BEGIN IMMEDIATE`s are counted. */
function counted(db: DatabaseSync, count: { begins: number }): DatabaseSync {
  const exec = db.exec.bind(db);
  db.exec = (sql: string) => {
    if (sql === "BEGIN IMMEDIATE") count.begins += 1;
    return exec(sql);
  };
  return db;
}

Deno.test("a session created with a route writes it in the same commit, with the rows create + recordRoute write", async () => {
  const stateDir = await Deno.makeTempDir();
  const count = { begins: 0 };
  let handle: DatabaseSync | undefined;
  const store = new SessionStore(stateDir, {
    openDb: (dir, agentId) => handle = counted(openAgentDb(dir, agentId), count),
  });
  try {
    const origin = {
      channel: "telegram",
      to: "telegram:42",
      accountId: "default",
      from: "telegram:42",
      chatType: "direct" as const,
    };
    await store.ensure("agent:main:warmup", "main");
    const before = count.begins;
    await store.ensure("agent:main:telegram:direct:42", "main", origin);
    assert.equal(count.begins - before, 1, "created and routed in one transaction");
    await store.recordRoute("agent:main:telegram:direct:42", "main", origin);
    assert.equal(count.begins - before, 1, "the route found already written: no second write");
    // The same session made the earlier way: ensure, then recordRoute.
    await store.ensure("agent:main:telegram:direct:43", "main");
    await store.recordRoute("agent:main:telegram:direct:43", "main", origin);
    const rows = handle!.prepare(
      "SELECT session_key, entry_json, entry_valid FROM session_nodes WHERE session_key LIKE 'agent:main:telegram:%' ORDER BY session_key",
    ).all() as { session_key: string; entry_json: string; entry_valid: number }[];
    const shape = (json: string) => {
      const entry = JSON.parse(json);
      return { keys: Object.keys(entry), delivery: entry.delivery };
    };
    assert.equal(rows.length, 2);
    assert.deepEqual(shape(rows[0]!.entry_json), shape(rows[1]!.entry_json));
    assert.deepEqual(rows.map((r) => r.entry_valid), [1, 1]);
    const pending = handle!.prepare(
      "SELECT count(*) AS n FROM session_canonical_validation_pending WHERE session_key LIKE 'agent:main:telegram:%'",
    ).get() as { n: number };
    assert.equal(pending.n, 0, "both certified as the reference's writer leaves them");
    assert.deepEqual(await store.lastRoute("agent:main:telegram:direct:42", "main"), {
      channel: "telegram",
      to: "telegram:42",
      accountId: "default",
    });
    // An existing session is not touched by ensure's route: recordRoute still moves it.
    await store.ensure("agent:main:telegram:direct:42", "main", { ...origin, to: "telegram:99" });
    assert.equal((await store.lastRoute("agent:main:telegram:direct:42", "main"))?.to, "telegram:42");
  } finally {
    await store.close();
    await Deno.remove(stateDir, { recursive: true });
  }
});
