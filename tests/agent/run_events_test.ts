import assert from "node:assert/strict";
import { runEvents } from "../../src/agent/run_events.ts";
import { RunError } from "../../src/agent/run_error.ts";

/** Every event a run's stream sends, as (event, stream or state, phase, seq). */
function recorder(chatSend: boolean) {
  const seen: { event: string; payload: Record<string, unknown> }[] = [];
  const events = runEvents((event, payload) => seen.push({ event, payload }), {
    runId: "r1",
    sessionKey: "agent:main:main",
    agentId: "main",
    chatSend,
  });
  const short = () =>
    seen.map(({ event, payload }) => [
      event,
      payload.stream ?? payload.state,
      (payload.data as { phase?: string } | undefined)?.phase ?? payload.phase ?? null,
      payload.seq,
    ]);
  return { events, seen, short };
}

Deno.test("runEvents(): a chat.send run says it prepares its workspace and context, then starts the model, as the reference numbers them", () => {
  const { events, seen, short } = recorder(true);
  events.started(1);
  events.modelCalled("fake", "m");
  events.delta("He", "He");
  // A second model call (a failover, a tool step's) comes after output: no start-up status any more.
  events.modelCalled("fake", "m2");
  assert.deepEqual(short(), [
    ["chat", "status", "preparing_workspace", 1],
    ["agent", "run_status", "preparing_workspace", 1],
    ["chat", "status", "preparing_context", 2],
    ["agent", "run_status", "preparing_context", 2],
    ["agent", "lifecycle", "start", 3],
    ["chat", "status", "starting_model", 4],
    ["agent", "run_status", "starting_model", 4],
    ["agent", "lifecycle", "model", 5],
    ["agent", "assistant", null, 6],
    ["chat", "delta", null, 6],
    ["agent", "lifecycle", "model", 7],
  ]);
  // The reference's chat status payload: no other fields.
  assert.deepEqual(seen[0]!.payload, {
    runId: "r1",
    sessionKey: "agent:main:main",
    agentId: "main",
    seq: 1,
    state: "status",
    phase: "preparing_workspace",
  });
  assert.deepEqual(seen[1]!.payload.data, { phase: "preparing_workspace" });
});

Deno.test("runEvents(): a retried model call ends its attempt, says it retries, then starts a new attempt, as the reference", () => {
  const { events, seen, short } = recorder(true);
  events.started(1);
  events.modelCalled("fake", "m");
  const status = {
    phase: "retrying" as const,
    message: "Provider temporarily unavailable. Retrying in 1s (1/8).",
    retryAttempt: 1,
    maxRetries: 8,
    delayMs: 560,
    attempt: 2,
    maxAttempts: 9,
    reason: "overloaded" as const,
  };
  const errorObservation = { provider: "fake", model: "m", failoverReason: "overloaded" };
  events.retrying({ error: "503 the model provider failed", errorObservation, status });
  events.retryStarted(2);
  events.modelCalled("fake", "m");
  assert.deepEqual(short().slice(8), [
    ["agent", "lifecycle", "finishing", 6],
    ["chat", "status", "starting_model", 7],
    ["agent", "run_status", "retrying", 7],
    ["agent", "assistant", null, 8],
    ["chat", "status", "preparing_context", 9],
    ["agent", "run_status", "preparing_context", 9],
    ["agent", "lifecycle", "start", 10],
    ["chat", "status", "starting_model", 11],
    ["agent", "run_status", "starting_model", 11],
    ["agent", "lifecycle", "model", 12],
  ]);
  const finishing = seen[8]!.payload.data as Record<string, unknown>;
  assert.deepEqual({ ...finishing, endedAt: typeof finishing.endedAt }, {
    phase: "finishing",
    error: "503 the model provider failed",
    errorObservation,
    aborted: false,
    livenessState: "blocked",
    endedAt: "number",
  });
  // An outage's chat status is the bare model start; the run_status event carries the numbers.
  assert.deepEqual(seen[9]!.payload, {
    runId: "r1",
    sessionKey: "agent:main:main",
    agentId: "main",
    seq: 7,
    state: "status",
    phase: "starting_model",
  });
  assert.deepEqual(seen[10]!.payload.data, status);
  const item = seen[11]!.payload.data as Record<string, unknown>;
  assert.match(item.itemId as string, /^[0-9a-f-]{36}:1$/);
  assert.deepEqual({ ...item, itemId: "" }, { itemId: "", text: "", delta: "", replace: true });
  assert.deepEqual(seen[14]!.payload.data, { phase: "start", startedAt: 2 });
});

Deno.test("runEvents(): a rate-limited retry's chat status carries its attempts; an `agent` run's retry has no start-up statuses", () => {
  const { events, seen, short } = recorder(false);
  events.started(1);
  events.modelCalled("fake", "m");
  events.retrying({
    error: "429 the model provider is busy or rate limiting",
    status: {
      phase: "retrying",
      message: "Retrying… 2/10",
      retryAttempt: 1,
      maxRetries: 9,
      delayMs: 1000,
      attempt: 2,
      maxAttempts: 10,
      reason: "rate_limit",
    },
  });
  events.retryStarted(2);
  events.modelCalled("fake", "m");
  assert.deepEqual(short(), [
    ["agent", "lifecycle", "start", 1],
    ["agent", "lifecycle", "model", 2],
    ["agent", "lifecycle", "finishing", 3],
    ["chat", "status", "starting_model", 4],
    ["agent", "run_status", "retrying", 4],
    ["agent", "assistant", null, 5],
    ["agent", "lifecycle", "start", 6],
    ["agent", "lifecycle", "model", 7],
  ]);
  assert.deepEqual(seen[3]!.payload.retry, { attempt: 2, maxAttempts: 10, reason: "rate_limit" });
  assert.equal("errorObservation" in (seen[2]!.payload.data as object), false);
});

Deno.test("runEvents(): an `agent` or channel run sends no start-up status (the reference's agent method sends none)", () => {
  const { events, short } = recorder(false);
  events.started(1);
  events.modelCalled("fake", "m");
  assert.deepEqual(short(), [["agent", "lifecycle", "start", 1], ["agent", "lifecycle", "model", 2]]);
});

Deno.test("runEvents(): a tool call ends the start-up statuses; the next model call says none", () => {
  const { events, short } = recorder(true);
  events.started(1);
  events.modelCalled("fake", "m");
  const call = { id: "c1", name: "read", args: { path: "a" } };
  events.toolStarted(call, { title: "Read from a", meta: "from a" });
  events.toolEnded(call, { content: [{ type: "text", text: "x" }] }, { isError: false, executed: true });
  events.modelCalled("fake", "m");
  assert.deepEqual(short().slice(-5).map((e) => e.slice(0, 3)), [
    ["agent", "item", "start"],
    ["agent", "tool", "start"],
    ["agent", "tool", "result"],
    ["agent", "item", "end"],
    ["agent", "lifecycle", "model"],
  ]);
});

Deno.test("runEvents(): a running shell call's output goes out as the tool update, its item's update and command_output, at most one per 250 ms", () => {
  const { events, seen } = recorder(false);
  const call = { id: "c1", name: "exec", args: { command: "seq 3" } };
  events.toolStarted(call, { title: "Exec seq 3", meta: "seq 3" });
  const partial = (text: string) => ({ content: [{ type: "text" as const, text }], details: { status: "running" } });
  events.toolUpdated(call, partial("1\n"));
  // Within 250 ms of the last: dropped, as the reference drops it (the result follows with all of it).
  events.toolUpdated(call, partial("1\n2\n"));
  events.toolEnded(call, {
    content: [{ type: "text", text: "1\n2\n3" }],
    details: { status: "completed", exitCode: 0, durationMs: 12, aggregated: "1\n2\n3", cwd: "/w" },
  }, { isError: false, executed: true });
  const streams = seen.map(({ payload }) => [payload.stream, (payload.data as { phase: string }).phase]);
  assert.deepEqual(streams, [
    ["item", "start"],
    ["tool", "start"],
    ["tool", "update"],
    ["item", "update"],
    ["command_output", "delta"],
    ["tool", "result"],
    ["item", "end"],
    ["command_output", "end"],
  ]);
  assert.deepEqual(seen[3]!.payload.data, {
    itemId: "tool:c1",
    toolCallId: "c1",
    name: "exec",
    kind: "tool",
    phase: "update",
    title: "Exec seq 3",
    status: "running",
    meta: "seq 3",
    commandBearing: true,
  });
  assert.deepEqual(seen[4]!.payload.data, {
    itemId: "command:c1",
    phase: "delta",
    title: "command seq 3",
    toolCallId: "c1",
    name: "exec",
    output: "1",
    status: "running",
  });
  assert.deepEqual(seen[7]!.payload.data, {
    itemId: "command:c1",
    phase: "end",
    title: "command seq 3",
    toolCallId: "c1",
    name: "exec",
    output: "1\n2\n3",
    status: "completed",
    exitCode: 0,
    durationMs: 12,
    cwd: "/w",
  });
});

Deno.test("runEvents(): another tool's updates all go out, with its item's update and no command_output", () => {
  const { events, seen } = recorder(false);
  const call = { id: "c1", name: "process", args: { action: "poll" } };
  events.toolStarted(call, { title: "Process poll" });
  events.toolUpdated(call, { content: [{ type: "text", text: "a" }] });
  events.toolUpdated(call, { content: [{ type: "text", text: "ab" }] });
  assert.deepEqual(seen.slice(2).map(({ payload }) => payload.stream), ["tool", "item", "tool", "item"]);
});

Deno.test("runEvents(): a failed-over run ends each attempt, steps to the fallback afresh, and tells the step at its end", () => {
  const { events, seen, short } = recorder(true);
  events.started(1);
  events.modelCalled("fake", "down");
  const step = { from: "fake/down", to: "fake/back", reason: "overloaded", detail: "503 Service Unavailable" };
  events.callFailed({
    error: "failed",
    step: { ...step, position: 1, outcome: "next_fallback" },
    next: { startedAt: 2 },
  });
  events.modelCalled("fake", "back");
  events.delta("Hi", "Hi");
  events.recovered({ ...step, position: 2, outcome: "succeeded" });
  events.ended({ startedAt: 1, endedAt: 3, stopReason: "stop", outputTokens: 1, text: "Hi" });
  assert.deepEqual(short().slice(8), [
    ["agent", "lifecycle", "finishing", 6],
    ["agent", "lifecycle", "model", 7],
    ["agent", "lifecycle", "fallback_step", 8],
    ["agent", "assistant", null, 9],
    ["chat", "status", "preparing_workspace", 10],
    ["agent", "run_status", "preparing_workspace", 10],
    ["chat", "status", "preparing_context", 11],
    ["agent", "run_status", "preparing_context", 11],
    ["agent", "lifecycle", "start", 12],
    ["chat", "status", "starting_model", 13],
    ["agent", "run_status", "starting_model", 13],
    ["agent", "lifecycle", "model", 14],
    ["agent", "assistant", null, 15],
    ["chat", "delta", null, 15],
    ["agent", "usage", null, 16],
    ["agent", "lifecycle", "finishing", 17],
    ["agent", "lifecycle", "model", 18],
    ["agent", "lifecycle", "fallback_step", 19],
    ["agent", "lifecycle", "end", 20],
    ["chat", "final", null, 20],
  ]);
  const data = (i: number) => seen[i]!.payload.data as Record<string, unknown>;
  assert.deepEqual(data(9), { phase: "model", provider: null, model: null });
  assert.equal(seen[9]!.payload.lane, "main");
  assert.deepEqual(data(10), {
    phase: "fallback_step",
    fallbackStepType: "fallback_step",
    fallbackStepFromModel: "fake/down",
    fallbackStepToModel: "fake/back",
    fallbackStepFromFailureReason: "overloaded",
    fallbackStepFromFailureDetail: "503 Service Unavailable",
    fallbackStepChainPosition: 1,
    fallbackStepFinalOutcome: "next_fallback",
  });
  assert.equal(data(25).fallbackStepFinalOutcome, "succeeded");
  // The notice comes after the run's own events, numbered afresh and without the agent id, as the reference's.
  events.fallbackNotice({ phase: "fallback" }, "↪️ Model Fallback: fake/back (selected fake/down; x)");
  const [event, notice] = seen.slice(-2).map((s) => s.payload);
  assert.deepEqual([event!.seq, event!.agentId, notice!.seq, notice!.state], [1, undefined, 2, "final"]);
  assert.equal((notice!.message as { text: string }).text, "↪️ Model Fallback: fake/back (selected fake/down; x)");
});

Deno.test("runEvents(): a run failing some other way ends its open attempt first; an abort does not", () => {
  const failing = recorder(false);
  failing.events.started(1);
  failing.events.modelCalled("fake", "m");
  const report = {
    errorDetail: { provider: "fake", model: "m", providerRuntimeFailureKind: "unclassified" },
    terminalReply: true,
  };
  failing.events.failed({ startedAt: 1, endedAt: 2, error: new RunError("model_failed", "stopped"), text: "", report });
  assert.deepEqual(failing.short().slice(2), [
    ["agent", "lifecycle", "finishing", 3],
    ["agent", "lifecycle", "model", 4],
    ["agent", "lifecycle", "error", 5],
    ["chat", "error", null, 5],
  ]);
  // An `agent` method run names no lane.
  assert.equal(failing.seen[3]!.payload.lane, undefined);
  const stopped = recorder(false);
  stopped.events.started(1);
  stopped.events.modelCalled("fake", "m");
  stopped.events.failed({ startedAt: 1, endedAt: 2, error: new RunError("aborted", "aborted"), text: "" });
  assert.deepEqual(stopped.short().slice(2).map((e) => e[1] === "lifecycle" ? e[2] : e[1]), [
    "aborted",
    "end",
    "error",
  ]);
});
