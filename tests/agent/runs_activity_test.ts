import assert from "node:assert/strict";
import { agentsFromConfig } from "../../src/agent/agents_config.ts";
import { AgentRuns, type RunRequest } from "../../src/agent/runs.ts";
import { SessionStore } from "../../src/sessions/store.ts";
import { startFakeUpstream } from "../support/fake_upstream.ts";

Deno.test("AgentRuns.activity: one active turn per session, later turns of a session queued behind it", async () => {
  const upstream = startFakeUpstream();
  const stateDir = await Deno.makeTempDir({ prefix: "oc-runs-" });
  try {
    // Model "stall" never answers: the runs stay in progress until aborted.
    const agents = agentsFromConfig(
      {
        models: { providers: { fake: { baseUrl: upstream.url, models: ["stall"] } } },
        agents: { defaults: { model: { primary: "fake/stall" } } },
      } as never,
      stateDir,
      "/home/test",
    );
    const runs = new AgentRuns({ sessions: new SessionStore(stateDir), agents: () => agents, emit: () => {} });
    assert.deepEqual(runs.activity(), { active: 0, queued: 0 });
    const request = (key: string, session: string): RunRequest => ({
      agentId: "main",
      sessionKey: `agent:main:${session}`,
      message: "hi",
      idempotencyKey: key,
      ephemeral: true,
    });
    const started = [runs.start(request("a1", "a")), runs.start(request("a2", "a")), runs.start(request("b1", "b"))];
    assert.deepEqual(runs.activity(), { active: 2, queued: 1 });
    runs.abortAll();
    for (const run of started) if (run.kind === "accepted") await run.done;
    assert.deepEqual(runs.activity(), { active: 0, queued: 0 });
  } finally {
    await upstream.stop();
    await Deno.remove(stateDir, { recursive: true });
  }
});
