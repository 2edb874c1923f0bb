import assert from "node:assert/strict";
import type { DatabaseSync } from "node:sqlite";
import { AgentSessions } from "../../src/sessions/agent_sessions.ts";
import type { TranscriptMessage } from "../../src/sessions/transcript.ts";
import { openAgentDb } from "../../src/state/agent_db.ts";

const message: TranscriptMessage = {
  role: "assistant",
  content: [{ type: "text", text: "never stored" }],
  timestamp: 1,
  usage: { input: 5, output: 2 },
};

/** The database with a COMMIT that fails once when armed (as a full disk fails it). */
function failingCommit(db: DatabaseSync): { db: DatabaseSync; arm(): void } {
  let armed = false;
  const exec = db.exec.bind(db);
  const wrapped = Object.create(db, {
    exec: {
      value: (sql: string) => {
        if (armed && sql === "COMMIT") {
          armed = false;
          throw new Error("database or disk is full");
        }
        return exec(sql);
      },
    },
    prepare: { value: db.prepare.bind(db) },
    isTransaction: { get: () => db.isTransaction },
    close: { value: db.close.bind(db) },
  }) as DatabaseSync;
  return { db: wrapped, arm: () => armed = true };
}

Deno.test("AgentSessions.append: a failed COMMIT leaves the cached row as the disk has it", async () => {
  const dir = await Deno.makeTempDir({ prefix: "oc-agent-sessions-" });
  const real = openAgentDb(dir, "main");
  try {
    const { db, arm } = failingCommit(real);
    const sessions = new AgentSessions(db, "main");
    sessions.start("agent:main:main");
    sessions.all(); // the index is cached: append changes the cached row
    const row = sessions.get("agent:main:main")!;
    const before = { ...row, lastPreview: row.lastPreview };
    arm();
    assert.throws(() => sessions.append(row, [message]), /disk is full/);
    const cached = sessions.get("agent:main:main")!;
    assert.equal(cached.messageCount, 0);
    assert.equal(cached.lastPreview, null);
    assert.equal(cached.updatedAt, before.updatedAt);
    assert.equal(cached.inputTokens, undefined);
    assert.equal(sessions.messages(cached.sessionId).length, 0);

    // The same append, committed, changes the row.
    sessions.append(row, [message]);
    assert.equal(sessions.get("agent:main:main")!.messageCount, 1);
    assert.equal(sessions.get("agent:main:main")!.lastPreview, "never stored");
    assert.equal(sessions.get("agent:main:main")!.inputTokens, 5);
  } finally {
    real.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("AgentSessions.append: the first entry has no parent, as the reference chains it; later ones chain on", async () => {
  const dir = await Deno.makeTempDir({ prefix: "oc-agent-sessions-" });
  const db = openAgentDb(dir, "main");
  try {
    const sessions = new AgentSessions(db, "main");
    const row = sessions.start("agent:main:main");
    assert.equal(sessions.leafEntryId(row.sessionId), null, "only the header: no leaf yet");
    sessions.append(row, [{ ...message, role: "user" }, message]);
    const events = (db.prepare("SELECT event_json FROM transcript_events WHERE session_id = ? ORDER BY seq")
      .all(row.sessionId) as { event_json: string }[]).map((r) => JSON.parse(r.event_json));
    assert.deepEqual(events.map((e) => e.type), ["session", "message", "message"]);
    assert.equal(events[1].parentId, null);
    assert.equal(events[2].parentId, events[1].id);
    assert.equal(sessions.leafEntryId(row.sessionId), events[2].id);
  } finally {
    db.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("AgentSessions.start: a reset keeps the cached row's entry fields as the database keeps them", async () => {
  const dir = await Deno.makeTempDir({ prefix: "oc-agent-sessions-" });
  const db = openAgentDb(dir, "main");
  try {
    const key = "agent:main:main";
    const sessions = new AgentSessions(db, "main");
    sessions.start(key, { at: 1000 });
    sessions.update(key, { label: "Groceries", providerOverride: "openai", modelOverride: "gpt-5" });
    sessions.setReadState(key, { pinned: true, unread: false }, 2000);
    sessions.all(); // the index is cached: the reset's row replaces the cached one
    const reset = sessions.start(key, { reason: "reset", at: 3000 });
    sessions.append(
      reset,
      [{ role: "user", content: [{ type: "text", text: "hello" }], timestamp: 3001, runId: "r1" }],
      {
        interaction: true,
      },
    );

    const cached = sessions.all().get(key)!;
    assert.equal(cached.label, "Groceries");
    assert.equal(cached.pinnedAt, 2000);
    assert.equal(cached.lastReadAt, 2000);
    assert.equal(cached.modelOverride, "gpt-5");
    // Every field the cached row says is what a fresh read of the database says.
    const disk = new AgentSessions(db, "main").get(key)!;
    assert.deepEqual(
      JSON.parse(JSON.stringify(cached)),
      JSON.parse(JSON.stringify(disk)),
    );
  } finally {
    db.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("AgentSessions.get keeps a row read alone, in step with this connection's writes, until another connection writes", async () => {
  const dir = await Deno.makeTempDir({ prefix: "oc-agent-sessions-" });
  const db = openAgentDb(dir, "main");
  const other = openAgentDb(dir, "main");
  try {
    const writer = new AgentSessions(other, "main");
    writer.start("agent:main:a");
    const sessions = new AgentSessions(db, "main");
    const row = sessions.get("agent:main:a")!;
    assert.equal(sessions.get("agent:main:a"), row, "read once, then kept");
    assert.equal(sessions.get("agent:main:none"), undefined);
    sessions.append(row, [{ ...message, content: [{ type: "text", text: "kept" }] }]);
    const kept = sessions.get("agent:main:a")!;
    assert.equal(kept.messageCount, 1);
    assert.equal(kept.lastPreview, "kept");
    writer.update("agent:main:a", { label: "from elsewhere" });
    const fresh = sessions.get("agent:main:a")!;
    assert.notEqual(fresh, row, "another connection's commit drops the kept row");
    assert.equal(fresh.label, "from elsewhere");
    assert.equal(fresh.messageCount, 1);
    assert.equal(sessions.all().get("agent:main:a")?.label, "from elsewhere");
  } finally {
    db.close();
    other.close();
    await Deno.remove(dir, { recursive: true });
  }
});
