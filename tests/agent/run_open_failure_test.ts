// A run's turn opens in one commit (SessionStore.openTurn); when that write fails, the run reports what the
// separate steps (ensure, recordRoute, append) reported: the session it continues and the step that failed.
import assert from "node:assert/strict";
import type { DatabaseSync } from "node:sqlite";
import { agentsFromConfig } from "../../src/agent/agents_config.ts";
import { AgentRuns } from "../../src/agent/runs.ts";
import { SessionStore } from "../../src/sessions/store.ts";
import { openAgentDb } from "../../src/state/agent_db.ts";
import { startFakeUpstream } from "../support/fake_upstream.ts";

Deno.test("a run whose opening write fails names its session and the failed step, as the separate steps did", async () => {
  const upstream = startFakeUpstream();
  const stateDir = await Deno.makeTempDir({ prefix: "oc-open-fail-" });
  let db: DatabaseSync | undefined;
  const sessions = new SessionStore(stateDir, {
    log: { error: () => {} } as never,
    openDb: (dir, agentId) => (db = openAgentDb(dir, agentId)),
  });
  try {
    const agents = agentsFromConfig(
      {
        models: { providers: { fake: { baseUrl: upstream.url, models: ["m"] } } },
        agents: { defaults: { model: { primary: "fake/m" } } },
      } as never,
      stateDir,
      "/home/test",
    );
    const runs = new AgentRuns({ sessions, agents: () => agents, emit: () => {}, log: { info() {}, warn() {} } });
    const key = "agent:main:telegram:direct:1";
    const run = async (idempotencyKey: string, to: string) => {
      const started = runs.start({
        agentId: "main",
        sessionKey: key,
        message: "hi",
        idempotencyKey,
        origin: { channel: "telegram", to, accountId: "default" },
      });
      return started.kind === "accepted" ? await started.done : assert.fail(`not accepted: ${started.kind}`);
    };
    const first = await run("r1", "telegram:1");
    assert.equal(first.status, "ok");
    assert.ok(first.sessionId);
    // The disk refuses writes from here on (a full disk, a read-only state dir).
    db!.exec("PRAGMA query_only = ON");
    const sameChat = await run("r2", "telegram:1");
    assert.equal(sameChat.status, "error");
    assert.equal(sameChat.sessionId, first.sessionId);
    assert.match(sameChat.error ?? "", /^Cannot append session agent:main:telegram:direct:1: /);
    const newChat = await run("r3", "telegram:2");
    assert.equal(newChat.status, "error");
    assert.equal(newChat.sessionId, first.sessionId);
    assert.match(newChat.error ?? "", /^Cannot update session agent:main:telegram:direct:1: /);
  } finally {
    await sessions.close();
    await upstream.stop();
    await Deno.remove(stateDir, { recursive: true });
  }
});
