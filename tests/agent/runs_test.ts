import assert from "node:assert/strict";
import { agentsFromConfig } from "../../src/agent/agents_config.ts";
import { AgentRuns, type RunRequest } from "../../src/agent/runs.ts";
import { SessionStore } from "../../src/sessions/store.ts";
import { startFakeUpstream } from "../support/fake_upstream.ts";

Deno.test("AgentRuns remembers the last 1,000 finished runs by idempotency key, forgetting the oldest first", async () => {
  const upstream = startFakeUpstream();
  const stateDir = await Deno.makeTempDir({ prefix: "oc-runs-" });
  try {
    // Model "fail" answers 400 at once: each run finishes in about a millisecond.
    const agents = agentsFromConfig({
      models: { providers: { fake: { baseUrl: upstream.url, models: ["fail"] } } },
      agents: { defaults: { model: { primary: "fake/fail" } } },
    } as never, stateDir);
    const runs = new AgentRuns({ sessions: new SessionStore(stateDir), agents: () => agents, emit: () => {} });
    const request = (key: string): RunRequest => ({
      agentId: "main",
      sessionKey: `agent:main:test:${key}`,
      message: "hi",
      idempotencyKey: key,
      ephemeral: true,
    });
    const finish = async (key: string) => {
      const started = runs.start(request(key));
      assert.equal(started.kind, "accepted");
      if (started.kind === "accepted") assert.equal((await started.done).status, "error");
    };
    for (let i = 0; i <= 1000; i++) await finish(`k${i}`);
    // 1,001 finished: the next start prunes k0, and keeps k1 and the newest.
    assert.equal(runs.start(request("k1")).kind, "done");
    const again = runs.start(request("k0"));
    assert.equal(again.kind, "accepted");
    if (again.kind === "accepted") await again.done;
    assert.equal(runs.start(request("k1000")).kind, "done");
    // A running entry is never pruned: a retry while it runs is still `in_flight`.
    const running = runs.start({ ...request("slow"), model: { provider: "fake", model: "stall" } });
    assert.equal(running.kind, "accepted");
    for (let i = 1001; i < 1010; i++) await finish(`k${i}`);
    assert.equal(runs.start(request("slow")).kind, "in_flight");
    assert.deepEqual(runs.abort({ runId: "slow" }), ["slow"]);
    if (running.kind === "accepted") assert.equal((await running.done).status, "aborted");
  } finally {
    await upstream.stop();
    await Deno.remove(stateDir, { recursive: true });
  }
});

Deno.test("a run whose model names no provider fails naming that, not 'No model configured'", async () => {
  const stateDir = await Deno.makeTempDir({ prefix: "oc-runs-" });
  try {
    const agents = agentsFromConfig({ agents: { defaults: { model: { primary: "m1" } } } } as never, stateDir);
    const runs = new AgentRuns({ sessions: new SessionStore(stateDir), agents: () => agents, emit: () => {} });
    const started = runs.start({
      agentId: "main",
      sessionKey: "agent:main:test:bare",
      message: "hi",
      idempotencyKey: "bare",
      ephemeral: true,
    });
    assert.equal(started.kind, "accepted");
    if (started.kind !== "accepted") return;
    const outcome = await started.done;
    assert.equal(outcome.status, "error");
    assert.match(outcome.error!, /Model "m1" \(agents\.defaults\.model\) names no provider/);
    assert.doesNotMatch(outcome.error!, /No model configured/);
  } finally {
    await Deno.remove(stateDir, { recursive: true });
  }
});
