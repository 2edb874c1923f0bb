import assert from "node:assert/strict";
import { MAX_CACHED_INDEXES, SessionStore } from "../../src/sessions/store.ts";

Deno.test("SessionStore.list over more agents than stay open: every row's preview reads, from closed databases too", async () => {
  const stateDir = await Deno.makeTempDir({ prefix: "oc-store-lru-" });
  const agents = Array.from({ length: MAX_CACHED_INDEXES + 2 }, (_, i) => `a${i}`);
  try {
    const writer = new SessionStore(stateDir);
    for (const [i, agent] of agents.entries()) {
      await writer.ensure(`agent:${agent}:main`, agent);
      await writer.append(`agent:${agent}:main`, agent, [
        { role: "user", content: [{ type: "text", text: `hello ${agent}` }], timestamp: i },
      ]);
    }
    await writer.close();

    const store = new SessionStore(stateDir); // a fresh gateway: nothing open, every preview unread
    const rows = await store.list(agents);
    assert.equal(store.cachedIndexes, MAX_CACHED_INDEXES, "the bound held: some databases were closed");
    assert.deepEqual(
      rows.map((r) => [r.agentId, r.lastPreview]).sort(),
      agents.map((a) => [a, `hello ${a}`]).sort(),
    );
    assert.deepEqual(JSON.parse(JSON.stringify(rows)).length, agents.length);
    await store.close();
  } finally {
    await Deno.remove(stateDir, { recursive: true });
  }
});
