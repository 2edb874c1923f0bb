// The `agent` request's `timeout` is the turn's deadline: past it the run is aborted and answered as
// the reference answers a timed-out turn (status timeout, summary aborted, its words as an error payload).
import assert from "node:assert/strict";
import { agentsFromConfig } from "../../src/agent/agents_config.ts";
import { AgentRuns } from "../../src/agent/runs.ts";
import { RUN_TIMEOUT_TEXT } from "../../src/agent/run_error.ts";
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

Deno.test("runDeadlineMs decides a run's deadline as the reference's resolveAgentTimeoutMs", async () => {
  const { runDeadlineMs } = await import("../../src/agent/run_deadline.ts");
  const { MAX_TIMER_MS } = await import("../../src/async/timer_ms.ts");
  const cases: [number | undefined, { ms?: unknown; seconds?: unknown }, number, string][] = [
    [undefined, {}, 172_800_000, "nothing written: 48 hours"],
    [600, {}, 600_000, "agents.defaults.timeoutSeconds"],
    [0, {}, 0, "configured 0: no deadline"],
    [600, { ms: 300 }, 300, "chat.send timeoutMs over the configured one"],
    [600, { ms: 0 }, 0, "timeoutMs 0: no deadline"],
    [600, { ms: -5 }, 600_000, "a negative override: the configured one"],
    [0, { ms: -5 }, 0, "a negative override under configured 0: none"],
    [600, { seconds: 2 }, 2_000, "the agent request's timeout in seconds"],
    [600, { seconds: 0 }, 0, "agent timeout 0: no deadline"],
    [600, { ms: 250, seconds: 9 }, 250, "ms is read before seconds"],
    [600, { ms: 12.9 }, 12, "whole numbers, as the reference truncates"],
    [600, { ms: "300" }, 600_000, "not a number: unset"],
    [600, { seconds: 1e12 }, MAX_TIMER_MS, "clamped to what a timer honours"],
  ];
  for (const [configured, override, expected, why] of cases) {
    assert.equal(runDeadlineMs(configured, override), expected, why);
  }
});
