import assert from "node:assert/strict";
import { type EarlierWindows, resetMarker, withResetMarker } from "../../../src/rpc/methods/reset_marker.ts";
import { SessionStore } from "../../../src/sessions/store.ts";
import { messageText } from "../../../src/sessions/transcript.ts";

const KEY = "agent:main:stale";
const page = [{ role: "user", content: "hi" }];
/** Earlier windows shown by their texts. */
const texts = (room: number): EarlierWindows => ({
  room,
  view: (messages) => messages.map((m) => ({ role: m.role, content: messageText(m) })),
});

/** Writes a user turn with `text` on `KEY`. */
async function say(sessions: SessionStore, text: string): Promise<void> {
  await sessions.openTurn(KEY, "main", {
    user: { role: "user", content: [{ type: "text", text }], timestamp: Date.now(), runId: text },
    interaction: true,
  });
}

Deno.test("withResetMarker() heads a window the reset policy started with the reference's reset marker, from its start only", async () => {
  const stateDir = await Deno.makeTempDir();
  const sessions = new SessionStore(stateDir);
  try {
    const first = await sessions.ensure(KEY, "main");
    const at = (sessionId: string, first = 0) =>
      withResetMarker(sessions, { agentId: "main", sessionId }, page, first, texts(200));
    assert.deepEqual(await at(first.sessionId), { views: page, earlierCount: 0 });
    const asked = await sessions.reset(KEY, "main");
    assert.deepEqual(
      await at(asked.sessionId),
      { views: page, earlierCount: 0 },
      "an asked-for reset (sessions.reset, /new) starts an empty chat, as the reference's new session",
    );
    const rolled = await sessions.reset(KEY, "main", { reason: "rollover" });
    const { views: marked } = await at(rolled.sessionId);
    assert.equal(marked.length, 2);
    const marker = marked[0] as {
      role: string;
      content: unknown;
      timestamp: number;
      __openclaw: { kind: string; id: string };
    };
    assert.deepEqual([marker.role, marker.content, marker.__openclaw.kind], ["system", [{
      type: "text",
      text: "Reset",
    }], "reset"]);
    assert.match(marker.__openclaw.id, /^[0-9a-f]{8}$/);
    assert.equal(typeof marker.timestamp, "number");
    assert.deepEqual(
      await at(rolled.sessionId, 5),
      { views: page, earlierCount: 0 },
      "a page that starts later in the window has no marker",
    );
    assert.deepEqual(resetMarker("0123abcd-ef", 7).timestamp, 7);
  } finally {
    await sessions.close();
    await Deno.remove(stateDir, { recursive: true });
  }
});

Deno.test("withResetMarker() shows the turns before automatic resets above their markers, as the reference's one transcript, within the page's room", async () => {
  const stateDir = await Deno.makeTempDir();
  const sessions = new SessionStore(stateDir);
  try {
    await say(sessions, "asked-1");
    await sessions.reset(KEY, "main");
    await say(sessions, "old-1");
    await say(sessions, "old-2");
    await sessions.reset(KEY, "main", { reason: "rollover" });
    await say(sessions, "middle");
    const last = await sessions.reset(KEY, "main", { reason: "rollover" });
    const shape = (views: Record<string, unknown>[]) =>
      views.map((v) => (v.__openclaw as { kind?: string } | undefined)?.kind ?? v.content);
    const all = await withResetMarker(sessions, { agentId: "main", sessionId: last.sessionId }, page, 0, texts(200));
    // An asked-for reset ends the chain: the window before it is not shown, as the reference's new session.
    assert.deepEqual(shape(all.views), ["old-1", "old-2", "reset", "middle", "reset", "hi"]);
    assert.equal(all.earlierCount, 3);
    const tight = await withResetMarker(sessions, { agentId: "main", sessionId: last.sessionId }, page, 0, texts(3));
    assert.deepEqual(shape(tight.views), ["old-2", "reset", "middle", "reset", "hi"]);
    assert.equal(tight.earlierCount, 2);
    const cut = await withResetMarker(sessions, { agentId: "main", sessionId: last.sessionId }, page, 0, texts(2));
    assert.deepEqual(shape(cut.views), ["reset", "middle", "reset", "hi"], "no room left: nothing older is read");
    const none = await withResetMarker(sessions, { agentId: "main", sessionId: last.sessionId }, page, 0, texts(1));
    assert.deepEqual(shape(none.views), ["reset", "hi"]);
  } finally {
    await sessions.close();
    await Deno.remove(stateDir, { recursive: true });
  }
});
