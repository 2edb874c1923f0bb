import assert from "node:assert/strict";
import { agentsFromConfig } from "../../src/agent/agents_config.ts";
import { AgentRuns } from "../../src/agent/runs.ts";
import { SessionStore } from "../../src/sessions/store.ts";
import { FAKE_ANSWER, startFakeUpstream } from "../support/fake_upstream.ts";

Deno.test("a channel run records its chat as the session's last route; an operator run or a cron announce origin leaves it", async () => {
  const upstream = startFakeUpstream();
  const stateDir = await Deno.makeTempDir({ prefix: "oc-route-" });
  const sessions = new SessionStore(stateDir);
  try {
    const agents = agentsFromConfig(
      {
        models: { providers: { fake: { baseUrl: upstream.url, models: ["m"] } } },
        agents: { defaults: { model: { primary: "fake/m" } } },
      } as never,
      stateDir,
      "/home/test",
    );
    const runs = new AgentRuns({ sessions, agents: () => agents, emit: () => {} });
    const key = "agent:main:irc:channel:#ops";
    const run = async (
      idempotencyKey: string,
      origin?: { channel: string; to: string; accountId: string },
      recordRoute?: boolean,
    ) => {
      const started = runs.start({
        agentId: "main",
        sessionKey: key,
        message: "hi",
        idempotencyKey,
        origin,
        recordRoute,
      });
      assert.equal(started.kind, "accepted");
      if (started.kind === "accepted") assert.equal((await started.done).text, FAKE_ANSWER);
    };
    await run("r1", { channel: "irc", to: "#ops", accountId: "default" });
    assert.deepEqual(await sessions.lastRoute(key, "main"), { channel: "irc", to: "#ops", accountId: "default" });
    await run("r2");
    assert.deepEqual(await sessions.lastRoute(key, "main"), { channel: "irc", to: "#ops", accountId: "default" });
    // A cron job's announce target is the run's origin (the message tool's default), not the session's chat.
    await run("r3", { channel: "irc", to: "#cron-digest", accountId: "default" }, false);
    assert.deepEqual(await sessions.lastRoute(key, "main"), { channel: "irc", to: "#ops", accountId: "default" });
  } finally {
    await sessions.close();
    await upstream.stop();
    await Deno.remove(stateDir, { recursive: true });
  }
});
