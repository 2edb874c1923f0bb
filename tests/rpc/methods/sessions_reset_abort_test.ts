// `sessions.reset` stops the session's runs and compaction before the fresh session starts: an old
// summary still being written must not land in the new session.
import assert from "node:assert/strict";
import { agentsFromConfig } from "../../../src/agent/agents_config.ts";
import { sessionMethods } from "../../../src/rpc/methods/sessions.ts";
import { SessionStore } from "../../../src/sessions/store.ts";

Deno.test("sessions.reset aborts the session's runs and compaction before resetting it", async () => {
  const stateDir = await Deno.makeTempDir({ prefix: "sessions-reset-abort-" });
  const sessions = new SessionStore(stateDir);
  try {
    const agents = agentsFromConfig({} as never, stateDir, "/home/test");
    const key = "agent:main:main";
    await sessions.ensure(key, "main");
    const before = (await sessions.get(key, "main"))!.sessionId;
    const aborted: string[] = [];
    const methods = sessionMethods({
      sessions,
      agents: () => agents,
      view: () => ({ agents, models: undefined, activeRunIds: () => [] }) as never,
      changed: () => {},
      abort: (k) => void aborted.push(k),
    });
    await methods["sessions.reset"]!.handler({
      params: { key },
      caller: { scopes: ["operator.admin"] } as never,
      accept: () => {},
    });
    assert.deepEqual(aborted, [key]);
    assert.notEqual((await sessions.get(key, "main"))!.sessionId, before);
  } finally {
    await sessions.close();
    await Deno.remove(stateDir, { recursive: true });
  }
});
