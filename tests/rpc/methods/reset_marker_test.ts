import assert from "node:assert/strict";
import { resetMarker, withResetMarker } from "../../../src/rpc/methods/reset_marker.ts";
import { SessionStore } from "../../../src/sessions/store.ts";

const KEY = "agent:main:stale";
const page = [{ role: "user", content: "hi" }];

Deno.test("withResetMarker() heads a window the reset policy started with the reference's reset marker, from its start only", async () => {
  const stateDir = await Deno.makeTempDir();
  const sessions = new SessionStore(stateDir);
  try {
    const first = await sessions.ensure(KEY, "main");
    assert.deepEqual(await withResetMarker(sessions, { agentId: "main", sessionId: first.sessionId }, page, 0), page);
    const asked = await sessions.reset(KEY, "main");
    assert.deepEqual(
      await withResetMarker(sessions, { agentId: "main", sessionId: asked.sessionId }, page, 0),
      page,
      "an asked-for reset (sessions.reset, /new) starts an empty chat, as the reference's new session",
    );
    const rolled = await sessions.reset(KEY, "main", { reason: "rollover" });
    const marked = await withResetMarker(sessions, { agentId: "main", sessionId: rolled.sessionId }, page, 0);
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
      await withResetMarker(sessions, { agentId: "main", sessionId: rolled.sessionId }, page, 5),
      page,
      "a page that starts later in the window has no marker",
    );
    assert.deepEqual(resetMarker("0123abcd-ef", 7).timestamp, 7);
  } finally {
    await sessions.close();
    await Deno.remove(stateDir, { recursive: true });
  }
});
