import assert from "node:assert/strict";
import { progressEvents, recordProgress, type RunProgress } from "../../src/agent/run_progress.ts";

// A run's progress as `chat.history`'s `inFlightRun.events` carries it, kept as the reference's
// updateChatRunProgressSnapshot keeps it (recorded: tests/fixtures/inflight/reference_inflight_tools.json).

const IDS = { runId: "r1", sessionKey: "agent:main:main", agentId: "main" };

/** Feeds `events` (stream and data each) in order, numbered from seq 1, in `mode`. */
function fed(
  events: { stream: string; data: Record<string, unknown> }[],
  mode: "full" | "summary" = "full",
): RunProgress | undefined {
  let progress: RunProgress | undefined;
  events.forEach((e, i) => {
    progress = recordProgress(progress, { ...IDS, seq: i + 1, ts: 1000 + i, ...e }, mode);
  });
  return progress;
}

const toolStart = (id: string, args: unknown = { path: "notes.txt" }) => ({
  stream: "tool",
  data: { phase: "start", name: "read", toolCallId: id, args },
});
const toolResult = (id: string, text = "remember the milk\n") => ({
  stream: "tool",
  data: {
    phase: "result",
    name: "read",
    toolCallId: id,
    isError: false,
    commandBearing: false,
    result: { content: [{ type: "text", text }], details: {} },
  },
});
const item = (id: string, phase: "start" | "end") => ({
  stream: "item",
  data: { itemId: `tool:${id}`, toolCallId: id, name: "read", kind: "tool", phase, title: "Read" },
});

Deno.test("recordProgress() keeps a tool call's start and result and its item's latest state, as the reference", () => {
  const progress = fed([
    { stream: "lifecycle", data: { phase: "start" } },
    { stream: "assistant", data: { text: "Let me", delta: "Let me" } },
    item("c1", "start"),
    toolStart("c1"),
    toolResult("c1"),
    item("c1", "end"),
    { stream: "usage", data: { outputTokens: 3 } },
    { stream: "thinking", data: { text: "hm", delta: "hm" } },
  ]);
  const events = progressEvents(progress);
  assert.deepEqual(events.map((e) => [e.seq, e.stream, e.data.phase ?? null]), [
    [4, "tool", "start"],
    [5, "tool", "result"],
    [6, "item", "end"],
    [7, "usage", null],
  ]);
  // The reference's kept result: no fields it does not keep (commandBearing), its run and session ids.
  assert.deepEqual(events[1], {
    runId: "r1",
    seq: 5,
    stream: "tool",
    ts: 1004,
    data: {
      phase: "result",
      name: "read",
      toolCallId: "c1",
      isError: false,
      result: { content: [{ type: "text", text: "remember the milk\n" }], details: {} },
    },
    sessionKey: "agent:main:main",
    agentId: "main",
  });
});

Deno.test("recordProgress() ignores other streams and events not newer than the last taken", () => {
  assert.equal(fed([{ stream: "assistant", data: { text: "x" } }, { stream: "lifecycle", data: {} }]), undefined);
  let progress = recordProgress(undefined, { ...IDS, seq: 5, ts: 1, ...toolStart("c1") }, "full");
  progress = recordProgress(progress, { ...IDS, seq: 5, ts: 2, ...toolStart("c2") }, "full");
  assert.deepEqual(progressEvents(progress).map((e) => e.data.toolCallId), ["c1"]);
});

Deno.test("recordProgress() merges usage into one event, and a call's new start replaces all its events", () => {
  const progress = fed([
    { stream: "usage", data: { outputTokens: 3, input: 10 } },
    toolStart("c1"),
    toolResult("c1"),
    { stream: "usage", data: { outputTokens: 6 } },
    toolStart("c1", { path: "other.txt" }),
  ]);
  assert.deepEqual(progressEvents(progress).map((e) => [e.stream, e.data]), [
    ["usage", { outputTokens: 6, input: 10 }],
    ["tool", { phase: "start", name: "read", toolCallId: "c1", args: { path: "other.txt" } }],
  ]);
});

Deno.test("recordProgress() in summary mode keeps a call's phase, name and id only", () => {
  const progress = fed([toolStart("c1"), toolResult("c1")], "summary");
  assert.deepEqual(progressEvents(progress).map((e) => e.data), [
    { phase: "start", name: "read", toolCallId: "c1" },
    { phase: "result", name: "read", toolCallId: "c1" },
  ]);
});

Deno.test("recordProgress() keeps a call whose payload is over 64 KiB without it; a too-big item is dropped", () => {
  const big = "x".repeat(70_000);
  const progress = fed([toolStart("c1"), toolResult("c1", big), {
    stream: "item",
    data: { ...item("c2", "end").data, title: big },
  }]);
  assert.deepEqual(progressEvents(progress).map((e) => [e.stream, e.data]), [
    ["tool", { phase: "start", name: "read", toolCallId: "c1", args: { path: "notes.txt" } }],
    ["tool", { phase: "result", name: "read", toolCallId: "c1", isError: false }],
  ]);
});

Deno.test("recordProgress() past 50 events drops the oldest call's events together, and keeps usage", () => {
  const events: { stream: string; data: Record<string, unknown> }[] = [{ stream: "usage", data: { outputTokens: 1 } }];
  for (let i = 0; i < 17; i++) events.push(item(`c${i}`, "end"), toolStart(`c${i}`), toolResult(`c${i}`));
  const kept = progressEvents(fed(events));
  assert.ok(kept.length <= 50, `${kept.length} kept`);
  assert.equal(kept[0]!.stream, "usage", "usage is never the one dropped");
  const calls = new Set(kept.filter((e) => e.stream !== "usage").map((e) => e.data.toolCallId));
  assert.ok(!calls.has("c0"), "the oldest call went");
  for (const id of calls) {
    assert.equal(kept.filter((e) => e.data.toolCallId === id).length, 3, `${id}: all its events or none`);
  }
  assert.ok(calls.has("c16"), "the newest call stays");
});

Deno.test("recordProgress() past 128 KiB drops the oldest calls until the rest fit", () => {
  const events: { stream: string; data: Record<string, unknown> }[] = [];
  for (let i = 0; i < 4; i++) events.push(toolStart(`c${i}`), toolResult(`c${i}`, "y".repeat(40_000)));
  const progress = fed(events)!;
  assert.ok(progress.bytes <= 131072, `${progress.bytes} bytes`);
  assert.deepEqual([...new Set(progressEvents(progress).map((e) => e.data.toolCallId))], ["c1", "c2", "c3"]);
});

Deno.test("recordProgress() keeps a chat.send run's latest start-up status, then a bare assistant event once it answers", () => {
  const status = (phase: string) => ({ stream: "run_status", data: { phase } });
  const starting = fed([status("preparing_workspace"), status("preparing_context"), status("starting_model")]);
  assert.deepEqual(progressEvents(starting).map((e) => [e.stream, e.data, e.seq]), [
    ["run_status", { phase: "starting_model" }, 3],
  ]);
  // Usage leaves the status; the first answer text replaces it with `data: {}`; later text changes nothing.
  const answering = fed([
    status("preparing_workspace"),
    status("starting_model"),
    { stream: "usage", data: { outputTokens: 1 } },
    { stream: "assistant", data: { text: "He", delta: "He" } },
    { stream: "assistant", data: { text: "Hel", delta: "l" } },
  ]);
  assert.deepEqual(progressEvents(answering).map((e) => [e.stream, e.data, e.seq]), [
    ["usage", { outputTokens: 1 }, 3],
    ["assistant", {}, 4],
  ]);
  assert.equal(answering?.starting, false);
  // A tool call ends the start-up: the status goes, and a later status is not kept.
  const tooled = fed([status("starting_model"), toolStart("a"), status("starting_model")]);
  assert.deepEqual(progressEvents(tooled).map((e) => e.stream), ["tool"]);
  // Summary mode (an `agent` or channel run) keeps no status.
  assert.equal(fed([status("starting_model")], "summary"), undefined);
});

Deno.test("recordProgress() keeps a run's retrying status whole while it waits, as the reference's snapshot", () => {
  // Recorded: tests/fixtures/run_retries/ref.json rtextwait's retryingInFlight.
  const retrying = {
    phase: "retrying",
    message: "Retrying… 2/10",
    retryAttempt: 1,
    maxRetries: 9,
    delayMs: 2500,
    attempt: 2,
    maxAttempts: 10,
    reason: "rate_limit",
  };
  const waiting = fed([
    { stream: "run_status", data: { phase: "starting_model" } },
    { stream: "lifecycle", data: { phase: "finishing" } },
    { stream: "run_status", data: retrying },
  ]);
  assert.deepEqual(progressEvents(waiting).map((e) => [e.stream, e.data, e.seq]), [["run_status", retrying, 3]]);
  // The retry's fresh start-up replaces it.
  const resumed = fed([
    { stream: "run_status", data: retrying },
    { stream: "run_status", data: { phase: "preparing_context" } },
  ]);
  assert.deepEqual(progressEvents(resumed).map((e) => e.data), [{ phase: "preparing_context" }]);
});
