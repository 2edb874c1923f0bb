import assert from "node:assert/strict";
import { agentsFromConfig } from "../../src/agent/agents_config.ts";
import { AgentRuns, type RunRequest } from "../../src/agent/runs.ts";
import { SessionStore } from "../../src/sessions/store.ts";
import { FAKE_ANSWER, startFakeUpstream } from "../support/fake_upstream.ts";

const KEY = "agent:main:main";

Deno.test("a heartbeat or cron turn neither resets a stale session nor counts as its interaction; a person's turn resets it", async () => {
  const upstream = startFakeUpstream();
  const stateDir = await Deno.makeTempDir({ prefix: "oc-run-autoreset-" });
  const sessions = new SessionStore(stateDir);
  try {
    const agents = agentsFromConfig(
      {
        models: { providers: { fake: { baseUrl: upstream.url, models: ["m"] } } },
        agents: { defaults: { model: { primary: "fake/m" }, workspace: `${stateDir}/ws` } },
      } as never,
      stateDir,
      "/home/test",
    );
    const runs = new AgentRuns({
      sessions,
      agents: () => agents,
      emit: () => {},
      sessionConfig: () => ({ reset: { mode: "idle", idleMinutes: 1 } }),
    });
    const { row } = await sessions.openTurn(KEY, "main", {
      user: { role: "user", content: [{ type: "text", text: "hi" }], timestamp: 0 },
      interaction: true,
    });
    // Ten minutes without an interaction, written into the entry as an older turn would have left it.
    const past = Date.now() - 600_000;
    await sessions.maintain("main", (db) =>
      db.prepare(
        "UPDATE session_nodes SET entry_json = json_set(entry_json, '$.lastInteractionAt', ?, '$.sessionStartedAt', ?)," +
          " last_interaction_at = ? WHERE session_key = ?",
      ).run(past, past, past, KEY));
    const run = async (request: Partial<RunRequest>) => {
      const started = runs.start({
        agentId: "main",
        sessionKey: KEY,
        message: "hello",
        idempotencyKey: "",
        ...request,
      });
      assert.equal(started.kind, "accepted");
      if (started.kind === "accepted") assert.equal((await started.done).text, FAKE_ANSWER);
    };
    await run({ idempotencyKey: "heartbeat-1", systemEvent: true });
    assert.equal((await sessions.get(KEY, "main"))?.sessionId, row.sessionId, "a system event keeps the stale session");
    assert.equal((await sessions.activity(KEY, "main"))?.lastInteractionAt, past, "and does not count as activity");
    await run({ idempotencyKey: "person-1" });
    const after = await sessions.get(KEY, "main");
    assert.notEqual(after?.sessionId, row.sessionId, "a person's turn starts a fresh session");
    const history = await sessions.history(KEY, "main");
    assert.deepEqual(history.messages.map((m) => m.role), ["user", "assistant"]);
    assert.ok((await sessions.activity(KEY, "main"))!.lastInteractionAt! > past);
  } finally {
    await sessions.close();
    await upstream.stop();
    await Deno.remove(stateDir, { recursive: true });
  }
});
