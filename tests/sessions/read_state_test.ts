// A session's read and pin state: whether it is unread (the reference's deriveSessionUnread, as recorded in
// tests/fixtures/session_read_state/), what a patch sets, and what the store keeps where the reference does.
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { isPinnable, isPinned, isUnread, readStateUpdate } from "../../src/sessions/read_state.ts";
import { SessionStore } from "../../src/sessions/store.ts";

Deno.test("isUnread: marked unread, or a person's turn after the last read (never read: after creation)", () => {
  assert.equal(isUnread(undefined), false, "a session not yet stored");
  assert.equal(isUnread({ createdAt: 100, lastInteractionAt: 100 }), false, "the turn that created it");
  assert.equal(isUnread({ createdAt: 100, lastInteractionAt: 101 }), true, "a turn after creation, never read");
  assert.equal(isUnread({ createdAt: 100, lastInteractionAt: 150, lastReadAt: 150 }), false, "read since");
  assert.equal(isUnread({ createdAt: 100, lastInteractionAt: 151, lastReadAt: 150 }), true, "a turn after the read");
  assert.equal(isUnread({ createdAt: 100, lastReadAt: 150, markedUnreadAt: 120 }), true, "marked, whatever the times");
  assert.equal(isUnread({ createdAt: 100 }), false, "no interaction recorded");
});

Deno.test("readStateUpdate: a pin keeps its first time, a mark moves past the last one, a read drops the mark", () => {
  assert.deepEqual(readStateUpdate({}, { pinned: true }, 500), { pinnedAt: 500 });
  assert.deepEqual(readStateUpdate({ pinnedAt: 400 }, { pinned: true }, 500), {}, "already pinned: kept");
  assert.deepEqual(readStateUpdate({ pinnedAt: 400 }, { pinned: false }, 500), { pinnedAt: null });
  assert.deepEqual(readStateUpdate({}, { unread: true }, 500), { markedUnreadAt: 500 });
  assert.deepEqual(readStateUpdate({ markedUnreadAt: 500 }, { unread: true }, 500), { markedUnreadAt: 501 });
  assert.deepEqual(readStateUpdate({ markedUnreadAt: 500 }, { unread: false }, 600), {
    lastReadAt: 600,
    markedUnreadAt: null,
  });
});

Deno.test("isPinnable/isPinned: a sub-agent's session holds no pin", () => {
  assert.equal(isPinnable("agent:main:dashboard:x"), true);
  assert.equal(isPinnable("agent:main:subagent:s1"), false);
  assert.equal(isPinned({ key: "agent:main:subagent:s1", pinnedAt: 5 }), false);
  assert.equal(isPinned({ key: "agent:main:x", pinnedAt: 5 }), true);
  assert.equal(isPinned({ key: "agent:main:x" }), false);
});

Deno.test("SessionStore.setReadState keeps the entry fields and the reference's columns; a fresh store reads them", async () => {
  const stateDir = await Deno.makeTempDir();
  try {
    const store = new SessionStore(stateDir);
    const key = "agent:main:rail";
    assert.equal(await store.setReadState(key, "main", { unread: false }), undefined, "no session, nothing kept");
    await store.ensure(key, "main");
    await store.setReadState(key, "main", { pinned: true, unread: true });
    const marked = await new SessionStore(stateDir).get(key, "main");
    assert.equal(typeof marked?.pinnedAt, "number");
    assert.equal(typeof marked?.markedUnreadAt, "number");
    assert.equal(isUnread(marked), true);
    const read = await store.setReadState(key, "main", { pinned: false, unread: false });
    assert.equal(read?.pinnedAt, undefined);
    assert.equal(read?.markedUnreadAt, undefined);
    const db = new DatabaseSync(`${stateDir}/agents/main/agent/openclaw-agent.sqlite`, { readOnly: true });
    try {
      const row = db.prepare("SELECT entry_json, pinned_at, last_read_at FROM session_nodes WHERE session_key = ?")
        .get(key) as { entry_json: string; pinned_at: number | null; last_read_at: number | null };
      const entry = JSON.parse(row.entry_json);
      assert.equal(row.pinned_at, null);
      assert.equal(row.last_read_at, entry.lastReadAt, "the column the reference indexes holds the entry's time");
      assert.equal("markedUnreadAt" in entry || "pinnedAt" in entry, false);
      assert.equal(read?.lastReadAt, entry.lastReadAt);
    } finally {
      db.close();
    }
    const archived = await store.archive(key, "main", true);
    assert.equal(archived?.pinnedAt, undefined, "an archived session holds no pin");
  } finally {
    await Deno.remove(stateDir, { recursive: true });
  }
});
