// The `agent` answer's run report, filled from our own run as the reference's 2026.9.6 carries it.
import assert from "node:assert/strict";
import type { RunOutcome } from "../../../src/agent/runs.ts";
import { runReport } from "../../../src/rpc/methods/agent.ts";

const outcome: RunOutcome = {
  runId: "r1",
  status: "ok",
  text: "hello",
  stopReason: "stop",
  error: undefined,
  upstreamStatus: undefined,
  usage: { input: 10, output: 8, cacheRead: 4 },
  provider: "fake",
  model: "m1",
  responseModel: "m1-2026",
  sessionId: "s1",
  startedAt: 1000,
  endedAt: 1400,
};

Deno.test("the run report: usage with cache counts, the receipt of what was asked and what answered, one attempt", () => {
  const report = runReport(outcome, {
    message: "hi",
    sessionKey: "agent:main:main",
    requested: { provider: "fake", model: "other" },
    contextTokens: () => 32000,
  });
  assert.deepEqual(report.agentMeta.usage, {
    input: 10,
    output: 8,
    cacheRead: 4,
    cacheWrite: 0,
    total: 18,
    cost: { total: 0 },
  });
  assert.deepEqual(report.agentMeta.lastCallUsage, report.agentMeta.usage, "one model call");
  assert.deepEqual([report.agentMeta.contextTokens, report.agentMeta.contextTokensSource], [32000, "resolved"]);
  assert.equal(report.agentMeta.sessionFile, "agent:main:main");
  assert.deepEqual(report.agentMeta.terminalReceipt, {
    runId: "r1",
    sessionId: "s1",
    turnId: "r1",
    requested: { provider: "fake", model: "other" },
    effective: { provider: "fake", model: "m1", responseModel: "m1-2026" },
    successfulToolNames: [],
    rerouted: false,
  });
  assert.deepEqual(report.executionTrace.attempts, [{
    provider: "fake",
    model: "m1",
    result: "success",
    stage: "assistant",
  }]);
  assert.deepEqual(report.completion, { stopReason: "stop", finishReason: "stop" });
  assert.equal(report.finalAssistantVisibleText, "hello");
});

Deno.test("without a request for another model, the agent's own is the one requested; no response model, none said", () => {
  const { responseModel: _, ...plain } = outcome;
  const report = runReport(plain, { message: "hi", sessionKey: "k", requested: undefined });
  assert.deepEqual(report.agentMeta.terminalReceipt.requested, { provider: "fake", model: "m1" });
  assert.equal("responseModel" in report.agentMeta.terminalReceipt.effective, false);
  assert.equal("contextTokens" in report.agentMeta, false);
});

Deno.test("a run that failed over reports each call and fallbackUsed, in the reference's attempt words", () => {
  const report = runReport({
    ...outcome,
    attempts: [
      { provider: "fake", model: "cool", result: "skipped", reason: "rate_limit" },
      { provider: "fake", model: "limited", result: "failed", reason: "rate_limit", status: 429 },
      { provider: "fake", model: "slow", result: "failed", reason: "timeout" },
      { provider: "fake", model: "m1", result: "success" },
    ],
  }, { message: "hi", sessionKey: "agent:main:main", requested: undefined });
  assert.deepEqual(report.executionTrace.attempts, [
    {
      provider: "fake",
      model: "limited",
      result: "fallback_model",
      reason: "rate_limit",
      stage: "assistant",
      status: 429,
    },
    { provider: "fake", model: "slow", result: "timeout", reason: "timeout", stage: "assistant" },
    { provider: "fake", model: "m1", result: "success", stage: "assistant" },
  ]);
  assert.equal(report.executionTrace.fallbackUsed, true);
  assert.equal(report.executionTrace.winnerModel, "m1");
  assert.equal(
    runReport(outcome, { message: "hi", sessionKey: "k", requested: undefined }).executionTrace.fallbackUsed,
    false,
  );
});
