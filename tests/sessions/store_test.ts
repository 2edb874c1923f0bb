import assert from "node:assert/strict";
import { agentOfKey, InvalidAgentIdError, MAX_CACHED_INDEXES, SessionStore } from "../../src/sessions/store.ts";

Deno.test("agentOfKey takes only well-formed agent ids", () => {
  assert.equal(agentOfKey("agent:main:main"), "main");
  assert.equal(agentOfKey("agent:../../etc:z"), undefined);
  assert.equal(agentOfKey("agent:a/b:z"), undefined);
  assert.equal(agentOfKey("agent:Main:z"), undefined);
});

Deno.test("SessionStore refuses an agent id that is not one, for reads and writes", async () => {
  const stateDir = await Deno.makeTempDir();
  const store = new SessionStore(stateDir);
  for (const bad of ["../../x", "..", "a/b", "", "A"]) {
    await assert.rejects(store.history("agent:x:z", bad), InvalidAgentIdError);
    await assert.rejects(store.ensure("agent:x:z", bad), InvalidAgentIdError);
    await assert.rejects(store.list([bad]), InvalidAgentIdError);
  }
  assert.equal(store.cachedIndexes, 0);
  await Deno.remove(stateDir, { recursive: true });
});

Deno.test("SessionStore keeps at most MAX_CACHED_INDEXES indexes, and an evicted one reloads intact", async () => {
  const stateDir = await Deno.makeTempDir();
  const store = new SessionStore(stateDir);
  await store.ensure("agent:main:main", "main");
  const ids = Array.from({ length: MAX_CACHED_INDEXES * 2 }, (_, i) => `a${i}`);
  for (const id of ids) await store.history(`agent:${id}:z`, id);
  assert.equal(store.cachedIndexes, MAX_CACHED_INDEXES);
  // "main" was evicted long ago: it comes back from disk with its row.
  const { row } = await store.history("agent:main:main", "main");
  assert.equal(row?.key, "agent:main:main");
  await Deno.remove(stateDir, { recursive: true });
});

Deno.test("SessionStore: a write whose index was evicted mid-flight is not undone by a stale reload", async () => {
  const stateDir = await Deno.makeTempDir();
  const store = new SessionStore(stateDir);
  const row = await store.ensure("agent:main:main", "main");
  const message = { role: "user" as const, content: [{ type: "text" as const, text: "hi" }], timestamp: 1 };
  const write = store.append("agent:main:main", "main", [message]);
  // Readers of many other agents evict "main" while the append is queued or running.
  await Promise.all(Array.from({ length: MAX_CACHED_INDEXES + 5 }, (_, i) => store.history("agent:x:z", `b${i}`)));
  await write;
  await store.append("agent:main:main", "main", [message]);
  const { row: after, messages } = await store.history("agent:main:main", "main");
  assert.equal(after?.sessionId, row.sessionId);
  assert.equal(after?.messageCount, 2);
  assert.equal(messages.length, 2);
  await Deno.remove(stateDir, { recursive: true });
});
