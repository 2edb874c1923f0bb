// A run opens its turn in one commit (the session created with its route, or a changed route, and the user's
// message) instead of up to three: the rows are those the separate steps write, so the reference reads the same.
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
      chatType: "direct",
    });
    // An existing session is not touched by ensure's route: recordRoute still moves it.
    await store.ensure("agent:main:telegram:direct:42", "main", { ...origin, to: "telegram:99" });
    assert.equal((await store.lastRoute("agent:main:telegram:direct:42", "main"))?.to, "telegram:42");
  } finally {
    await store.close();
    await Deno.remove(stateDir, { recursive: true });
  }
});

/** Every row a turn wrote for a session, with its ids and times left out (they differ between two sessions). */
function rowsOf(db: DatabaseSync, key: string): unknown {
  const node = db.prepare("SELECT entry_json, entry_valid, current_session_id FROM session_nodes WHERE session_key = ?")
    .get(key) as { entry_json: string; entry_valid: number; current_session_id: string };
  const entry = JSON.parse(node.entry_json);
  const sessionId = node.current_session_id;
  const windows = db.prepare(
    "SELECT previous_session_id, reason, model_provider, model, transcript_updated_at IS NOT NULL AS touched FROM session_windows WHERE session_id = ?",
  ).all(sessionId);
  const events = (db.prepare("SELECT seq, event_json FROM transcript_events WHERE session_id = ? ORDER BY seq").all(
    sessionId,
  ) as { seq: number; event_json: string }[]).map((e) => {
    const event = JSON.parse(e.event_json);
    return { seq: e.seq, type: event.type, role: event.message?.role, text: event.message?.content?.[0]?.text };
  });
  const identities = db.prepare(
    "SELECT seq, event_type, parent_id IS NULL AS root FROM transcript_event_identities WHERE session_id = ? ORDER BY seq",
  ).all(sessionId);
  const pending = db.prepare("SELECT count(*) AS n FROM session_canonical_validation_pending WHERE session_key = ?")
    .get(key);
  return {
    keys: Object.keys(entry),
    delivery: entry.delivery,
    valid: node.entry_valid,
    windows: JSON.stringify(windows),
    events,
    identities: JSON.stringify(identities),
    pending: JSON.stringify(pending),
  };
}

Deno.test("a turn opened in one commit writes the rows ensure + recordRoute + append write in three", async () => {
  const stateDir = await Deno.makeTempDir();
  const count = { begins: 0 };
  let handle: DatabaseSync | undefined;
  const store = new SessionStore(stateDir, {
    openDb: (dir, agentId) => handle = counted(openAgentDb(dir, agentId), count),
  });
  const user = (text: string) => ({ role: "user" as const, content: [{ type: "text" as const, text }], timestamp: 1 });
  const origin = (to: string) => ({ channel: "telegram", to, accountId: "default", chatType: "direct" as const });
  try {
    await store.ensure("agent:main:warmup", "main");
    // New session: one commit.
    let before = count.begins;
    const opened = await store.openTurn("agent:main:a", "main", { route: origin("telegram:1"), user: user("hello") });
    assert.equal(count.begins - before, 1);
    assert.deepEqual(opened.history, []);
    assert.equal(opened.row.messageCount, 1);
    // The same, the earlier way.
    await store.ensure("agent:main:b", "main");
    await store.recordRoute("agent:main:b", "main", origin("telegram:1"));
    await store.append("agent:main:b", "main", [user("hello")]);
    assert.deepEqual(rowsOf(handle!, "agent:main:a"), rowsOf(handle!, "agent:main:b"));
    // An existing session on the same chat: the message alone; on a new chat: route and message in one commit.
    before = count.begins;
    const again = await store.openTurn("agent:main:a", "main", { route: origin("telegram:1"), user: user("again") });
    assert.equal(count.begins - before, 1);
    assert.deepEqual(again.history.map((m) => m.content[0]), [{ type: "text", text: "hello" }]);
    before = count.begins;
    await store.openTurn("agent:main:a", "main", { route: origin("telegram:2"), user: user("moved") });
    assert.equal(count.begins - before, 1);
    await store.append("agent:main:b", "main", [user("again")]);
    await store.recordRoute("agent:main:b", "main", origin("telegram:2"));
    await store.append("agent:main:b", "main", [user("moved")]);
    assert.deepEqual(rowsOf(handle!, "agent:main:a"), rowsOf(handle!, "agent:main:b"));
    assert.equal((await store.lastRoute("agent:main:a", "main"))?.to, "telegram:2");
    assert.equal((await store.history("agent:main:a", "main")).total, 3);
  } finally {
    await store.close();
    await Deno.remove(stateDir, { recursive: true });
  }
});
