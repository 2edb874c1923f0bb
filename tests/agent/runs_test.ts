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

Deno.test("a failed run tells its caller a kind, never upstream text, the provider's URL or OS errors", async () => {
  const upstream = startFakeUpstream();
  const stateDir = await Deno.makeTempDir({ prefix: "oc-runs-" });
  const key = "sk-run-provider-key-0123456789";
  try {
    // A workspace under a regular file: mkdir fails with OS text naming the path.
    await Deno.writeTextFile(`${stateDir}/blocker`, "");
    const closed = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const deadPort = (closed.addr as Deno.NetAddr).port;
    closed.close();
    const agents = agentsFromConfig({
      models: {
        providers: {
          keyed: { baseUrl: upstream.url, apiKey: key, models: ["echo-auth"] },
          dead: { baseUrl: `http://127.0.0.1:${deadPort}/v1`, models: ["m1"] },
        },
      },
      agents: { list: [{ id: "main" }, { id: "blocked", workspace: `${stateDir}/blocker/ws` }] },
    } as never, stateDir);
    const runs = new AgentRuns({ sessions: new SessionStore(stateDir), agents: () => agents, emit: () => {} });
    const run = async (agentId: string, model: { provider: string; model: string }) => {
      const started = runs.start({
        agentId,
        sessionKey: `agent:${agentId}:test`,
        message: "hi",
        idempotencyKey: crypto.randomUUID(),
        ephemeral: true,
        model,
      });
      assert.equal(started.kind, "accepted");
      return started.kind === "accepted" ? await started.done : undefined;
    };
    const echoed = await run("main", { provider: "keyed", model: "echo-auth" });
    assert.equal(echoed?.error, "401 the model provider refused the gateway's credentials");
    assert.equal(echoed?.upstreamStatus, 401);
    const dead = await run("main", { provider: "dead", model: "m1" });
    assert.equal(dead?.error, "Model provider dead is unreachable");
    const blocked = await run("blocked", { provider: "keyed", model: "echo-auth" });
    assert.equal(blocked?.error, "The agent run failed inside the gateway; the gateway log has the reason");
    for (const outcome of [echoed, dead, blocked]) {
      assert.ok(
        !outcome?.error?.includes(key) && !outcome?.error?.includes("127.0.0.1") && !outcome?.error?.includes(stateDir),
      );
    }
  } finally {
    await upstream.stop();
    await Deno.remove(stateDir, { recursive: true });
  }
});
