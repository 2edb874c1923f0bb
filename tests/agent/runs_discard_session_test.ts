// A run whose session is its own (`discardSession`, an `agent` model run's): the session goes when the run ends,
// before `done` resolves, whatever the outcome; the run's answer and events are as any run's.
import assert from "node:assert/strict";
import { agentsFromConfig } from "../../src/agent/agents_config.ts";
import { AgentRuns } from "../../src/agent/runs.ts";
import { SessionStore } from "../../src/sessions/store.ts";
import { FAKE_ANSWER, startFakeUpstream } from "../support/fake_upstream.ts";

const KEY = "agent:main:explicit:model-run-0b9b2c4e-7d3a-4f7e-9a51-6c1f0e2d3b4a";

async function withRuns(
  body: (
    ctx: { runs: AgentRuns; sessions: SessionStore; events: { event: string; payload: Record<string, unknown> }[] },
  ) => Promise<void>,
): Promise<void> {
  const upstream = startFakeUpstream();
  const stateDir = await Deno.makeTempDir({ prefix: "oc-runs-discard-" });
  const agents = agentsFromConfig(
    {
      models: { providers: { fake: { baseUrl: upstream.url, apiKey: "sk-provider-secret-0123456789abcdef" } } },
      agents: { defaults: { model: { primary: "fake/m1" } } },
    } as never,
    stateDir,
    "/home/test",
  );
  const events: { event: string; payload: Record<string, unknown> }[] = [];
  const sessions = new SessionStore(stateDir);
  const runs = new AgentRuns({
    sessions,
    agents: () => agents,
    emit: (event, payload) => events.push({ event, payload }),
    log: { info: () => {}, warn: () => {} },
  });
  try {
    await body({ runs, sessions, events });
  } finally {
    await sessions.close();
    await upstream.stop();
    await Deno.remove(stateDir, { recursive: true });
  }
}

Deno.test("a run with discardSession answers, emits its end, and its session is gone when done resolves", async () => {
  await withRuns(async ({ runs, sessions, events }) => {
    const other = runs.start({ agentId: "main", sessionKey: "agent:main:main", message: "hi", idempotencyKey: "o-1" });
    assert.equal(other.kind, "accepted");
    if (other.kind === "accepted") await other.done;
    const started = runs.start({
      agentId: "main",
      sessionKey: KEY,
      message: "hello",
      idempotencyKey: "model-run-1",
      discardSession: true,
    });
    if (started.kind !== "accepted") return assert.fail(started.kind);
    const outcome = await started.done;
    assert.deepEqual([outcome.status, outcome.text], ["ok", FAKE_ANSWER]);
    assert.ok(
      events.some((e) =>
        e.event === "agent" && e.payload.runId === "model-run-1" && e.payload.stream === "lifecycle" &&
        (e.payload.data as { phase?: string }).phase === "end"
      ),
      "the run's lifecycle end went out",
    );
    assert.equal(await sessions.get(KEY, "main"), undefined);
    assert.deepEqual((await sessions.list(["main"])).map((r) => r.key), ["agent:main:main"]);
  });
});

Deno.test("a failed run with discardSession leaves no session either", async () => {
  await withRuns(async ({ runs, sessions }) => {
    const started = runs.start({
      agentId: "main",
      sessionKey: KEY,
      message: "hello",
      idempotencyKey: "model-run-2",
      model: { provider: "fake", model: "fail" },
      discardSession: true,
    });
    if (started.kind !== "accepted") return assert.fail(started.kind);
    assert.equal((await started.done).status, "error");
    assert.equal(await sessions.get(KEY, "main"), undefined);
  });
});
