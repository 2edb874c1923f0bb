// The `agent` request's `timeout` is the turn's deadline: past it the run is aborted and answered as
// the reference answers a timed-out turn (status timeout, summary aborted, its words as an error payload).
import assert from "node:assert/strict";
import { agentsFromConfig } from "../../src/agent/agents_config.ts";
import { AgentRuns, RUN_TIMEOUT_TEXT } from "../../src/agent/runs.ts";
import { finalPayload } from "../../src/rpc/methods/agent.ts";
import { SessionStore } from "../../src/sessions/store.ts";
import { startFakeUpstream } from "../support/fake_upstream.ts";

Deno.test("a run past its deadline is aborted and answered as the reference's timeout", async () => {
  const upstream = startFakeUpstream();
  const stateDir = await Deno.makeTempDir({ prefix: "oc-deadline-" });
  const sessions = new SessionStore(stateDir);
  try {
    // Model "stall" never answers: only the deadline ends the run.
    const agents = agentsFromConfig(
      {
        models: { providers: { fake: { baseUrl: upstream.url, models: ["stall"] } } },
        agents: { defaults: { model: { primary: "fake/stall" } } },
      } as never,
      stateDir,
      "/home/test",
    );
    const runs = new AgentRuns({ sessions, agents: () => agents, emit: () => {} });
    const started = runs.start({
      agentId: "main",
      sessionKey: "agent:main:main",
      message: "think long",
      idempotencyKey: "r-deadline",
      timeoutMs: 50,
    });
    assert.equal(started.kind, "accepted");
    if (started.kind !== "accepted") return;
    const outcome = await started.done;
    assert.equal(outcome.status, "aborted");
    assert.equal(outcome.stopReason, "timeout");
    assert.equal(outcome.error, RUN_TIMEOUT_TEXT);
    const answer = finalPayload(outcome, {
      message: "think long",
      sessionKey: "agent:main:main",
      requested: { provider: "fake", model: "stall" },
    }) as {
      status: string;
      summary: string;
      stopReason: string;
      result: { payloads: unknown[]; meta: { aborted: boolean; error: unknown } };
    };
    assert.deepEqual([answer.status, answer.summary, answer.stopReason], ["timeout", "aborted", "timeout"]);
    assert.deepEqual(answer.result.payloads, [{
      text: "Request timed out before a response was generated. Please try again, or increase " +
        "`agents.defaults.timeoutSeconds` in your config.",
      isError: true,
    }]);
    assert.equal(answer.result.meta.aborted, true);
    assert.deepEqual(answer.result.meta.error, {
      kind: "incomplete_turn",
      message: RUN_TIMEOUT_TEXT,
      fallbackSafe: false,
    });
  } finally {
    await sessions.close();
    await upstream.stop();
    await Deno.remove(stateDir, { recursive: true });
  }
});
