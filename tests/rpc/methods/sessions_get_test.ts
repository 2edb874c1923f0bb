// `sessions.get`, the reference's transcript read that `openclaw mcp serve`'s messages_read asks for: the newest
// `limit` messages as chat.history shows them, `[]` for an unknown session, and `key required` without a key.
import assert from "node:assert/strict";
import { agentsFromConfig } from "../../../src/agent/agents_config.ts";
import { sessionMethods } from "../../../src/rpc/methods/sessions.ts";
import { SessionStore } from "../../../src/sessions/store.ts";

Deno.test("sessions.get gives the newest messages of a session, [] for one it does not know", async () => {
  const stateDir = await Deno.makeTempDir({ prefix: "sessions-get-" });
  const sessions = new SessionStore(stateDir);
  try {
    const agents = agentsFromConfig({} as never, stateDir, "/home/test");
    const key = "agent:main:main";
    await sessions.ensure(key, "main");
    await sessions.append(key, "main", [
      { role: "user", content: "one", timestamp: 1 },
      { role: "assistant", content: [{ type: "text", text: "two" }], timestamp: 2 },
      { role: "user", content: "three", timestamp: 3 },
    ] as never);
    const methods = sessionMethods({
      sessions,
      agents: () => agents,
      view: () => ({ agents, models: undefined, activeRunIds: () => [] }) as never,
      changed: () => {},
    });
    const call = async (params: Record<string, unknown>) =>
      await methods["sessions.get"]!.handler({
        params,
        caller: { scopes: ["operator.read"] } as never,
        accept: () => {},
      }) as { messages: Record<string, unknown>[] };
    const all = await call({ key });
    assert.deepEqual(all.messages.map((m) => m.role), ["user", "assistant", "user"]);
    assert.deepEqual(all.messages.map((m) => (m.__openclaw as { seq: number }).seq), [1, 2, 3]);
    const last = await call({ sessionKey: "main", limit: 2 });
    assert.deepEqual(last.messages.map((m) => m.content), [[{ type: "text", text: "two" }], "three"]);
    assert.deepEqual(await call({ key: "agent:main:nope" }), { messages: [] });
    await assert.rejects(call({ key: "  " }), /key required/);
    assert.equal(methods["sessions.get"]!.scope, "operator.read");
  } finally {
    await sessions.close();
    await Deno.remove(stateDir, { recursive: true });
  }
});
