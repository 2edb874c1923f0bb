import assert from "node:assert/strict";
import type { AgentsConfig, AgentSpec, ProviderSpec } from "../../src/agent/agents_config.ts";
import { RunError } from "../../src/agent/run_error.ts";
import { runEvents } from "../../src/agent/run_events.ts";
import { attemptObservation, runFailureReport } from "../../src/agent/run_failure_report.ts";
import { ToolLoopStopped } from "../../src/agent/tool_loop_stopped.ts";
import { modelMessages } from "../../src/agent/run_model.ts";
import { failed, runErrorOf, type RunFacts, succeeded } from "../../src/agent/run_outcome.ts";
import { resolveRunTarget } from "../../src/agent/run_target.ts";
import { SessionWriteError } from "../../src/sessions/store.ts";

const provider: ProviderSpec = {
  id: "fake",
  baseUrl: "http://127.0.0.1:1/v1",
  apiKey: undefined,
  api: "openai-completions",
  headers: {},
  timeoutMs: 1000,
  models: ["m"],
};

function agent(overrides: Partial<AgentSpec> = {}): AgentSpec {
  return {
    id: "main",
    isDefault: true,
    name: "main",
    model: { provider: "fake", model: "m" },
    fallbacks: [],
    embedding: undefined,
    workspace: "/tmp/ws",
    ...overrides,
  };
}

function config(agents: AgentSpec[]): AgentsConfig {
  return { agents, defaultAgentId: "main", providers: new Map([["fake", provider]]) };
}

function kindOf(run: () => unknown): { kind: string; message: string; status: number | undefined } {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof RunError);
    return { kind: error.kind, message: error.message, status: error.status };
  }
  assert.fail("expected a RunError");
}

Deno.test("resolveRunTarget() finds the agent, its model (or the request's) and the provider", () => {
  const target = resolveRunTarget(config([agent()]), { agentId: "main" });
  assert.deepEqual(target.ref, { provider: "fake", model: "m" });
  assert.equal(target.spec, provider);
  const chosen = resolveRunTarget(config([agent()]), { agentId: "main", model: { provider: "fake", model: "other" } });
  assert.deepEqual(chosen.ref, { provider: "fake", model: "other" });
});

Deno.test("resolveRunTarget() offers the agent's fallbacks with a declared provider, none for a chosen model", () => {
  const fallbacks = [{ provider: "fake", model: "n" }, { provider: "undeclared", model: "x" }];
  const target = resolveRunTarget(config([agent({ fallbacks })]), { agentId: "main" });
  assert.deepEqual(target.fallbacks, [{ ref: { provider: "fake", model: "n" }, spec: provider }]);
  const chosen = resolveRunTarget(config([agent({ fallbacks })]), {
    agentId: "main",
    model: { provider: "fake", model: "m" },
  });
  assert.deepEqual(chosen.fallbacks, []);
});

Deno.test("resolveRunTarget() ends a run the config cannot serve with its own kind", () => {
  assert.deepEqual(kindOf(() => resolveRunTarget(config([agent()]), { agentId: "ops" })), {
    kind: "unknown_agent",
    message: "Unknown agent 'ops'.",
    status: undefined,
  });
  assert.equal(
    kindOf(() => resolveRunTarget(config([agent({ model: undefined })]), { agentId: "main" })).kind,
    "no_model",
  );
  assert.equal(
    kindOf(() => resolveRunTarget(config([agent({ model: undefined, modelProblem: "bare id" })]), { agentId: "main" }))
      .message,
    "bare id",
  );
  assert.deepEqual(
    kindOf(() => resolveRunTarget(config([agent({ model: { provider: "gone", model: "x" } })]), { agentId: "main" })),
    {
      kind: "unknown_model",
      message: "Unknown model: gone/x. Declare the provider under models.providers.gone.",
      status: 404,
    },
  );
});

Deno.test("runEvents() numbers agent events per run and stamps chat events with the latest seq", () => {
  const seen: { event: string; payload: Record<string, unknown> }[] = [];
  const events = runEvents((event, payload) => seen.push({ event, payload }), {
    runId: "r1",
    sessionKey: "agent:main:main",
    agentId: "main",
  });
  events.started(1);
  events.modelCalled("fake", "m");
  events.delta("He", "He");
  events.ended({ startedAt: 1, endedAt: 2, stopReason: "stop", outputTokens: 3, text: "He" });
  assert.deepEqual(
    seen.map(({ event, payload }) => [event, payload.stream ?? payload.state, payload.seq]),
    [
      ["agent", "lifecycle", 1],
      ["agent", "lifecycle", 2],
      ["agent", "assistant", 3],
      ["chat", "delta", 3],
      ["agent", "usage", 4],
      // The attempt's end and the model let go, as the reference's, before the run's end.
      ["agent", "lifecycle", 5],
      ["agent", "lifecycle", 6],
      ["agent", "lifecycle", 7],
      ["chat", "final", 7],
    ],
  );
  assert.deepEqual(seen[2]!.payload.data, { text: "He", delta: "He" });
  assert.equal(seen[3]!.payload.deltaText, "He");
});

Deno.test("runEvents() reports an abort as chat `aborted`, any other failure as chat `error`, with a kind and detail where the reference has them", () => {
  const chat: Record<string, unknown>[] = [];
  const events = runEvents((event, payload) => event === "chat" && chat.push(payload), {
    runId: "r1",
    sessionKey: "s",
    agentId: "main",
  });
  const model = { provider: "fake", model: "m" };
  const fail = (error: RunError, withModel = true) =>
    events.failed({
      startedAt: 1,
      endedAt: 2,
      error,
      text: "",
      report: runFailureReport(error, withModel ? model : undefined),
    });
  events.failed({ startedAt: 1, endedAt: 2, error: new RunError("aborted", "aborted"), text: "par" });
  fail(new RunError("timeout", "too slow"));
  fail(new RunError("upstream", "bad", { status: 500 }));
  fail(new RunError("upstream", "rejected", { status: 400 }));
  fail(new RunError("upstream", "busy", { status: 429 }));
  fail(new RunError("model_failed", "stopped", { cause: new ToolLoopStopped() }));
  fail(new RunError("internal", "broken"), false);
  assert.deepEqual(chat.map((c) => [c.state, c.stopReason ?? c.errorKind, c.errorDetail]), [
    ["aborted", "rpc", undefined],
    ["error", "timeout", undefined],
    // The reference classes a provider's 5xx as a transport `timeout` (recorded for 500 and 503).
    ["error", undefined, { ...model, failoverReason: "server_error", providerRuntimeFailureKind: "timeout" }],
    ["error", undefined, { ...model, failoverReason: "format", providerRuntimeFailureKind: "schema" }],
    ["error", "rate_limit", { ...model, failoverReason: "rate_limit", providerRuntimeFailureKind: "rate_limit" }],
    ["error", undefined, { ...model, providerRuntimeFailureKind: "unclassified" }],
    ["error", undefined, undefined],
  ]);
  assert.ok(chat.every((c) => c.errorKind !== "unknown"), "no `unknown` kind: the reference leaves it out");
});

Deno.test("runFailureReport(): agent.wait reports a reply for a run that ended its turn, not for a failed call or an abort", () => {
  const reply = (error: RunError) => runFailureReport(error, { provider: "fake", model: "m" }).terminalReply;
  assert.equal(reply(new RunError("timeout", "too slow")), true);
  assert.equal(reply(new RunError("model_failed", "stopped", { cause: new ToolLoopStopped() })), true);
  assert.equal(reply(new RunError("upstream", "rejected", { status: 400 })), false);
  assert.equal(reply(new RunError("aborted", "aborted")), false);
});

Deno.test("modelMessages() puts the caller's context before the transcript, one text per message", () => {
  const messages = modelMessages([{ role: "system", text: "be brief" }], [
    { role: "user", content: [{ type: "text", text: "a" }, { type: "text", text: "b" }], timestamp: 1 },
  ]);
  assert.deepEqual(messages, [{ role: "system", text: "be brief" }, { role: "user", text: "ab" }]);
});

Deno.test("runErrorOf() keeps a RunError, makes a store failure `storage` and anything else `internal`", () => {
  const own = new RunError("timeout", "too slow");
  assert.equal(runErrorOf("r", own), own);
  const failure = { at: 1, agentId: "main", sessionKey: "s", operation: "append", error: "No space left on device" };
  assert.equal(runErrorOf("r", new SessionWriteError(failure, { cause: undefined })).kind, "storage");
  const internal = runErrorOf("r", new Deno.errors.PermissionDenied("mkdir /secret/path"));
  assert.equal(internal.kind, "internal");
  assert.doesNotMatch(internal.message, /secret/);
});

Deno.test("succeeded() and failed() build the outcome a caller sees", () => {
  const facts: RunFacts = { runId: "r", provider: "fake", model: "m", sessionId: "s", startedAt: 1, endedAt: 2 };
  const ok = succeeded(facts, { text: "hi", stopReason: "stop", usage: { input: 1, output: 2 } });
  assert.deepEqual([ok.status, ok.text, ok.error, ok.usage.output], ["ok", "hi", undefined, 2]);
  const aborted = failed(facts, new RunError("aborted", "aborted"), "h");
  assert.deepEqual([aborted.status, aborted.stopReason, aborted.text, aborted.errorKind], [
    "aborted",
    "aborted",
    "h",
    "aborted",
  ]);
  const upstream = failed(facts, new RunError("upstream", "bad", { status: 503 }), "");
  assert.deepEqual([upstream.status, upstream.upstreamStatus, upstream.usage], ["error", 503, { input: 0, output: 0 }]);
});

Deno.test("attemptObservation(): a retried call is classed as the reference's attempt end classes it", () => {
  const model = { provider: "fake", model: "m" };
  const observed = (error: RunError) => attemptObservation(error, model);
  assert.deepEqual(observed(new RunError("upstream", "x", { status: 503, overloaded: true })), {
    ...model,
    failoverReason: "overloaded",
    providerRuntimeFailureKind: "timeout",
  });
  assert.deepEqual(observed(new RunError("upstream", "x", { status: 429 })), {
    ...model,
    failoverReason: "rate_limit",
    providerRuntimeFailureKind: "rate_limit",
  });
  for (const kind of ["unreachable", "timeout"] as const) {
    assert.deepEqual(observed(new RunError(kind, "x")), {
      ...model,
      failoverReason: "timeout",
      providerRuntimeFailureKind: "timeout",
    });
  }
});
