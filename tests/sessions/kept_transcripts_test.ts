import assert from "node:assert/strict";
import type { DatabaseSync } from "node:sqlite";
import { AgentSessions } from "../../src/sessions/agent_sessions.ts";
import { type KeptTranscript, KeptTranscripts } from "../../src/sessions/kept_transcripts.ts";
import type { TranscriptMessage } from "../../src/sessions/transcript.ts";
import { openAgentDb } from "../../src/state/agent_db.ts";

const KEY = "agent:main:main";

function said(role: "user" | "assistant", text: string): TranscriptMessage {
  return { role, content: [{ type: "text", text }], timestamp: 1_700_000_000_000, usage: { input: 3, output: 1 } };
}

async function withTwoConnections(
  test: (ours: AgentSessions, theirs: AgentSessions, ourDb: DatabaseSync) => void,
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "oc-kept-transcripts-" });
  const ourDb = openAgentDb(dir, "main");
  const theirDb = openAgentDb(dir, "main");
  try {
    test(new AgentSessions(ourDb, "main"), new AgentSessions(theirDb, "main"), ourDb);
  } finally {
    ourDb.close();
    theirDb.close();
    await Deno.remove(dir, { recursive: true });
  }
}

/** A small deterministic generator, so a failing sequence can be replayed. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => (state = (state * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
}

Deno.test("turnHistory: the same messages as a fresh read after every kind of write, by either connection", async () => {
  await withTwoConnections((ours, theirs) => {
    const random = seeded(23);
    ours.start(KEY);
    for (let step = 0; step < 400; step++) {
      const writer = random() < 0.5 ? ours : theirs;
      const roll = random();
      const row = writer.get(KEY)!;
      if (roll < 0.8) {
        const n = 1 + Math.floor(random() * 3);
        writer.append(row, Array.from({ length: n }, (_, i) => said(i % 2 ? "assistant" : "user", `${step}.${i} ü ✓`)));
      } else if (roll < 0.9) {
        // Not a message: the kept transcript reads past it.
        writer.appendEntry(row, "compaction", (id, parentId) => JSON.stringify({ type: "compaction", id, parentId }));
      } else if (roll < 0.94) {
        writer.start(KEY, { reason: "reset" });
      }
      // else: a turn reads without any write since its last read
      const sessionId = ours.get(KEY)!.sessionId;
      assert.deepEqual(ours.turnHistory(sessionId), ours.messages(sessionId), `step ${step}`);
    }
  });
});

Deno.test("turnHistory: a kept transcript's messages are shared with later turns, frozen; the array is the caller's", async () => {
  await withTwoConnections((ours, theirs) => {
    const row = ours.start(KEY);
    ours.append(row, [said("user", "one"), said("assistant", "two")]);
    const first = ours.turnHistory(row.sessionId);
    assert.throws(() => (first[0]!.content[0] as { text: string }).text = "changed", TypeError);
    assert.throws(() => first[1]!.usage!.input = 99, TypeError);
    assert.throws(() => first[0]!.content.push({ type: "text", text: "more" }), TypeError);
    first.push(said("user", "the caller's own"));

    ours.append(ours.get(KEY)!, [said("user", "three")]);
    const second = ours.turnHistory(row.sessionId);
    assert.equal(second.length, 3);
    assert.equal(second[0], first[0], "the kept message, not parsed again");
    assert.equal(second[1], first[1]);
    assert.equal(second[2]!.content[0]!.type === "text" && second[2]!.content[0]!.text, "three");

    // Another connection's commit: everything is read again.
    theirs.append(theirs.get(KEY)!, [said("assistant", "four")]);
    const third = ours.turnHistory(row.sessionId);
    assert.notEqual(third[0], first[0]);
    assert.deepEqual(third, ours.messages(row.sessionId));
  });
});

Deno.test("turnHistory: a transcript deleted and written again under the same id on this connection is read afresh", async () => {
  await withTwoConnections((ours, _theirs, ourDb) => {
    const row = ours.start(KEY);
    ours.append(row, [said("user", "old one"), said("assistant", "old two")]);
    assert.equal(ours.turnHistory(row.sessionId).length, 2);
    // Behind AgentSessions' back, on its own connection: no data_version change, no maintenance write.
    ourDb.prepare("DELETE FROM session_nodes WHERE session_key = ?").run(KEY);
    ourDb.prepare("DELETE FROM session_windows WHERE session_id = ?").run(row.sessionId);
    const again = ours.importSession(
      { key: KEY, sessionId: row.sessionId, createdAt: 1, updatedAt: 2 },
      [said("user", "new one"), said("assistant", "new two"), said("user", "new three")],
    );
    assert.equal(again.sessionId, row.sessionId);
    const history = ours.turnHistory(row.sessionId);
    assert.deepEqual(history.map((m) => m.content[0]!.type === "text" && m.content[0]!.text), [
      "new one",
      "new two",
      "new three",
    ]);
  });
});

function kept(chars: number, seq = 1): KeptTranscript {
  return { seq, eventId: `e${seq}`, messages: [], chars };
}

Deno.test("KeptTranscripts: bounded by event text, the least recently read going first; an oversized one is not kept", () => {
  const transcripts = new KeptTranscripts(100);
  transcripts.keep("a", kept(40));
  transcripts.keep("b", kept(40));
  assert.ok(transcripts.take("a")); // read: "a" becomes the most recent once kept again
  transcripts.keep("a", kept(45, 2));
  transcripts.keep("c", kept(30));
  assert.deepEqual(transcripts.size, { transcripts: 2, chars: 75 });
  assert.equal(transcripts.take("b"), undefined, "the least recently read went");
  assert.equal(transcripts.take("a")?.seq, 2);
  transcripts.keep("big", kept(101));
  assert.equal(transcripts.take("big"), undefined);
  assert.deepEqual(transcripts.size, { transcripts: 1, chars: 30 });
  transcripts.clear();
  assert.deepEqual(transcripts.size, { transcripts: 0, chars: 0 });
});
