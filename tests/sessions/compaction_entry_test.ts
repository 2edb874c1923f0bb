import assert from "node:assert/strict";
import { contextMessages, sessionContext } from "../../src/agent/compaction_run.ts";
import { withCompactionMarkers } from "../../src/rpc/methods/compaction_markers.ts";
import { compactionEvent, fromCompactionEvent } from "../../src/sessions/compaction_entry.ts";
import { messageText, SessionStore, type TranscriptMessage } from "../../src/sessions/store.ts";
import { fromEvent, messageEvent } from "../../src/sessions/transcript_event.ts";

const KEY = "agent:main:main";
const msg = (role: "user" | "assistant", text: string, at: number): TranscriptMessage => ({
  role,
  content: [{ type: "text", text }],
  timestamp: at,
  ...(role === "assistant" ? { usage: { input: 900, output: 10 } } : {}),
});

Deno.test("a compaction entry is written as the reference's and read back", () => {
  const json = compactionEvent({
    id: "c1",
    summary: "S",
    firstKeptEntryId: "m3",
    tokensBefore: 900,
    tokensAfter: 120,
    timestamp: Date.UTC(2026, 0, 1),
    runId: "r1",
  }, "m4");
  assert.deepEqual(JSON.parse(json), {
    type: "compaction",
    id: "c1",
    parentId: "m4",
    timestamp: "2026-01-01T00:00:00.000Z",
    summary: "S",
    firstKeptEntryId: "m3",
    tokensBefore: 900,
    tokensAfter: 120,
    fromHook: false,
    __openclaw: { runId: "r1" },
  });
  assert.equal(fromCompactionEvent(json)?.firstKeptEntryId, "m3");
  assert.equal(fromCompactionEvent('{"type":"message"}'), undefined);
});

Deno.test("after a compaction the model sees the summary and the kept messages (stale usage dropped); history keeps all, with a marker", async () => {
  const stateDir = await Deno.makeTempDir({ prefix: "oc-compaction-" });
  const sessions = new SessionStore(stateDir);
  try {
    await sessions.ensure(KEY, "main");
    const written = [msg("user", "one", 1), msg("assistant", "two", 2), msg("user", "three", 3)];
    await sessions.append(KEY, "main", written);
    const { messages } = await sessions.history(KEY, "main");
    assert.deepEqual(await sessionContext(sessions, { sessionKey: KEY, agentId: "main" }, messages), { messages });

    const kept = messages[1]!;
    const id = await sessions.appendEntry(
      KEY,
      "main",
      "compaction",
      (id, parentId) =>
        compactionEvent({
          id,
          summary: "FACT",
          firstKeptEntryId: kept.id!,
          tokensBefore: 9,
          tokensAfter: 3,
          timestamp: Date.now(),
        }, parentId),
    );
    await sessions.append(KEY, "main", [msg("assistant", "four", Date.now() + 1000)]);
    const after = (await sessions.history(KEY, "main")).messages;
    assert.equal(after.length, 4, "the transcript keeps every message");
    const context = await sessionContext(sessions, { sessionKey: KEY, agentId: "main" }, after);
    assert.equal(context.compaction?.id, id);
    assert.deepEqual(context.messages.map((m) => messageText(m)), ["two", "three", "four"]);
    const sent = contextMessages(context);
    assert.match(messageText(sent[0]!), /compacted into the following summary:\n\n<summary>\nFACT\n<\/summary>$/);
    assert.equal(sent[1]!.usage, undefined, "a kept answer's usage counted the old context");
    assert.deepEqual(sent[3]!.usage, { input: 900, output: 10 });
    assert.equal((await sessions.get(KEY, "main"))!.messageCount, 4);

    const views = after.map((m) => ({ role: m.role, text: messageText(m) }) as Record<string, unknown>);
    const shown = await withCompactionMarkers(sessions, { sessionKey: KEY, agentId: "main" }, views, 0);
    assert.deepEqual(shown.map((v) => v.role), ["user", "assistant", "user", "system", "assistant"]);
    assert.deepEqual((shown[3]!.__openclaw as Record<string, unknown>).kind, "compaction");
    // A page that ends before the compaction shows no marker.
    assert.equal(
      (await withCompactionMarkers(sessions, { sessionKey: KEY, agentId: "main" }, views.slice(0, 2), 0)).length,
      2,
    );
  } finally {
    await sessions.close();
    await Deno.remove(stateDir, { recursive: true });
  }
});

Deno.test("thinking blocks are stored ahead of the answer's text and read back", () => {
  const message: TranscriptMessage = {
    role: "assistant",
    content: [{ type: "text", text: "Answer." }],
    timestamp: 5,
    thinking: [{ type: "thinking", thinking: "Hmm.", thinkingSignature: "sig" }],
  };
  const json = messageEvent(message, { id: "m1", parentId: null });
  assert.deepEqual(JSON.parse(json).message.content, [
    { type: "thinking", thinking: "Hmm.", thinkingSignature: "sig" },
    { type: "text", text: "Answer." },
  ]);
  const read = fromEvent(json)!;
  assert.deepEqual(read.content, [{ type: "text", text: "Answer." }]);
  assert.deepEqual(read.thinking, message.thinking);
});
