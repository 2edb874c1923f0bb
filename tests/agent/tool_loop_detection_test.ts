import assert from "node:assert/strict";
import {
  detectToolLoop,
  LOOP_LIMITS,
  type LoopCallRecord,
  recordLoopCall,
  recordLoopOutcome,
  shouldTellWarning,
} from "../../src/agent/tool_loop_detection.ts";
import { hashToolCall, hashToolOutcome, type LoopOutcome } from "../../src/agent/tool_loop_outcome.ts";

const text = (body: string, details: Record<string, unknown> = {}): LoopOutcome => ({
  result: { content: [{ type: "text", text: body }], details },
});

/** A history of calls, each recorded as it would run: call, then its outcome. */
function history(calls: { name: string; args: Record<string, unknown>; outcome: LoopOutcome }[]): LoopCallRecord[] {
  const kept: LoopCallRecord[] = [];
  calls.forEach((call, i) => {
    recordLoopCall(kept, call.name, call.args, `c${i}`);
    recordLoopOutcome(kept, { toolName: call.name, args: call.args, toolCallId: `c${i}` }, call.outcome);
  });
  return kept;
}

const times = <T>(n: number, make: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => make(i));

const missing = { name: "read", args: { path: "missing.txt" }, outcome: { error: "File not found: /w/missing.txt." } };

Deno.test("generic repeat: the 10th identical call before this one warns, the 20th identical outcome blocks", () => {
  assert.equal(detectToolLoop(history(times(9, () => missing)), "read", missing.args), undefined);
  const warned = detectToolLoop(history(times(10, () => missing)), "read", missing.args);
  assert.equal(warned?.level, "warning");
  assert.equal(warned?.detector, "generic_repeat");
  assert.equal(warned?.count, 10);
  assert.equal(
    warned?.message,
    "WARNING: You have called read 10 times with identical arguments. If this is not making progress, stop retrying " +
      "and report the task as failed.",
  );
  assert.equal(warned?.logLine, "Loop warning: read called 10 times with identical arguments");
  const blocked = detectToolLoop(history(times(20, () => missing)), "read", missing.args);
  assert.equal(blocked?.level, "critical");
  assert.equal(blocked?.detector, "generic_repeat");
  assert.equal(
    blocked?.message,
    "CRITICAL: Called read with identical outcomes 20 times. Session execution blocked to prevent runaway loops.",
  );
  // Other arguments are another call.
  assert.equal(detectToolLoop(history(times(20, () => missing)), "read", { path: "other.txt" }), undefined);
});

Deno.test("generic repeat: identical calls whose results change only warn (the output is progressing)", () => {
  const calls = times(25, (i) => ({ name: "read", args: { path: "log.txt" }, outcome: text(`line ${i}`) }));
  const finding = detectToolLoop(history(calls), "read", { path: "log.txt" });
  assert.equal(finding?.level, "warning");
  assert.equal(finding?.detector, "generic_repeat");
  // The history keeps the last 30 calls only.
  assert.equal(finding?.count, 25);
  const many = history(times(40, (i) => ({ name: "read", args: { path: "log.txt" }, outcome: text(`line ${i}`) })));
  assert.equal(many.length, LOOP_LIMITS.history);
});

Deno.test("known poll: process poll with no progress warns at 10 and blocks at 20", () => {
  const poll = { action: "poll", sessionId: "s1" };
  const same = (n: number) =>
    history(times(n, () => ({ name: "process", args: poll, outcome: text("still running", { status: "running" }) })));
  const warned = detectToolLoop(same(10), "process", poll);
  assert.equal(warned?.detector, "known_poll_no_progress");
  assert.equal(warned?.level, "warning");
  assert.match(
    warned!.message,
    /^WARNING: You have called process 10 times with identical arguments and no progress\./,
  );
  const blocked = detectToolLoop(same(20), "process", poll);
  assert.equal(blocked?.detector, "known_poll_no_progress");
  assert.equal(blocked?.level, "critical");
  assert.equal(blocked?.logLine, "Critical polling loop detected: process repeated 20 times");
  // Polls whose output moves never trip the poll detector nor the generic one.
  const moving = history(
    times(25, (i) => ({ name: "process", args: poll, outcome: text(`out ${i}`, { status: "running" }) })),
  );
  assert.equal(detectToolLoop(moving, "process", poll), undefined);
});

Deno.test("ping-pong: two calls alternating warn at 10, block at 20 only with no progress on either side", () => {
  const a = { name: "read", args: { path: "a" }, outcome: text("A") };
  const b = { name: "ls", args: { path: "." }, outcome: text("B") };
  const alternating = (n: number, vary = false) =>
    history(times(n, (i) => i % 2 === 0 ? (vary ? { ...a, outcome: text(`A${i}`) } : a) : b));
  // 9 calls ending on `a`: the next `b` is the 10th of the alternation.
  const warned = detectToolLoop(alternating(9), "ls", b.args);
  assert.equal(warned?.detector, "ping_pong");
  assert.equal(warned?.level, "warning");
  assert.equal(warned?.count, 10);
  assert.equal(warned?.pairedToolName, "read");
  const blocked = detectToolLoop(alternating(19), "ls", b.args);
  assert.equal(blocked?.detector, "ping_pong");
  assert.equal(blocked?.level, "critical");
  assert.equal(
    blocked?.message,
    "CRITICAL: You are alternating between repeated tool-call patterns (20 consecutive calls) with no progress. This " +
      "appears to be a stuck ping-pong loop. Session execution blocked to prevent resource waste.",
  );
  const progressing = detectToolLoop(alternating(19, true), "ls", b.args);
  assert.equal(progressing?.level, "warning");
  // Breaking the alternation is not ping-pong.
  assert.notEqual(detectToolLoop(alternating(19), "read", a.args)?.detector, "ping_pong");
});

Deno.test("argument churn: variants of one tool failing the same way warn, and the call stays allowed", () => {
  const fail = { error: "permission denied" };
  const variant = (i: number) => ({ name: "read", args: { path: `p${i % 3}` }, outcome: fail });
  const finding = detectToolLoop(history(times(10, variant)), "read", { path: "p1" });
  assert.equal(finding?.detector, "argument_churn");
  assert.equal(finding?.level, "warning");
  assert.equal(
    finding?.message,
    "WARNING: read has cycled through 3 repeated argument patterns with the same stable outcome 10 times. Continued " +
      "churn is treated as stalled run activity, but this tool call remains allowed.",
  );
  // A variant seen fewer than three times breaks it.
  const uneven = history([...times(9, variant), { name: "read", args: { path: "new" }, outcome: fail }]);
  assert.equal(detectToolLoop(uneven, "read", { path: "p1" }), undefined);
});

Deno.test("unknown tool: the same missing tool ten times in a row is critical at once", () => {
  const calls = times(10, () => ({ name: "mcp_call", args: { n: 1 }, outcome: { error: "Tool fetchr not found" } }));
  const finding = detectToolLoop(history(calls), "mcp_call", { n: 2 });
  assert.equal(finding?.detector, "unknown_tool_repeat");
  assert.equal(finding?.level, "critical");
  assert.equal(
    finding?.message,
    "CRITICAL: attempted unavailable tool fetchr 10 times. Stop retrying that missing tool and answer without it.",
  );
  assert.equal(finding?.logLine, undefined);
});

Deno.test("global circuit breaker: 30 identical no-progress outcomes, blocked vetoes counted", () => {
  const kept = history(times(22, () => missing));
  for (let i = 0; i < 8; i++) {
    recordLoopCall(kept, "read", missing.args, `v${i}`);
    kept.at(-1)!.outcomeKind = "tool-loop-veto";
  }
  const finding = detectToolLoop(kept, "read", missing.args);
  assert.equal(finding?.detector, "global_circuit_breaker");
  assert.equal(finding?.count, 30);
  assert.equal(
    finding?.message,
    "CRITICAL: read repeated identical no-progress outcomes 30 times. Session execution blocked by global circuit " +
      "breaker to prevent runaway loops.",
  );
});

Deno.test("exec: commands failing the same way count as one streak, with times and pids masked", () => {
  const failing = (i: number) => ({
    name: "exec",
    args: { command: `deploy --try ${i}` },
    outcome: text("", {
      status: "failed",
      exitCode: 2,
      aggregated: `12:00:0${i % 10} error: lock held by pid ${100 + i}`,
    }),
  });
  const finding = detectToolLoop(history(times(20, failing)), "exec", { command: "deploy --try 20" });
  assert.equal(finding?.detector, "generic_repeat");
  assert.equal(finding?.level, "critical");
  assert.equal(finding?.count, 20);
  // An exit code with no output of its own is not a terminal failure.
  const bare = hashToolOutcome(
    "exec",
    {},
    text("", { status: "failed", exitCode: 1, aggregated: "(Command exited with code 1)" }),
  );
  assert.equal(bare.outcomeKind, undefined);
});

Deno.test("outcome digests: what varies without progress is left out", () => {
  const marked = (id: string) =>
    text(`<<<EXTERNAL_UNTRUSTED_CONTENT id="${id}">>>\nbody\n<<<END_EXTERNAL_UNTRUSTED_CONTENT id="${id}">>>`);
  assert.equal(
    hashToolOutcome("web_fetch", {}, marked("0123456789abcdef")).resultHash,
    hashToolOutcome("web_fetch", {}, marked("fedcba9876543210")).resultHash,
  );
  const sent = (id: string) => text("sent", { ok: true, messageId: id, timestamp: Date.now() });
  const args = { action: "send", message: "hi" };
  assert.equal(
    hashToolOutcome("message", args, sent("1")).resultHash,
    hashToolOutcome("message", args, sent("2")).resultHash,
  );
  assert.notEqual(
    hashToolOutcome("read", args, sent("1")).resultHash,
    hashToolOutcome("read", args, sent("2")).resultHash,
  );
  assert.equal(hashToolOutcome("write", {}, text("same", { changed: false })).noProgress, true);
  assert.equal(
    hashToolOutcome("read", {}, text("x", { status: "blocked", deniedReason: "tool-loop" })).outcomeKind,
    "tool-loop-veto",
  );
  assert.equal(hashToolCall("read", { b: 1, a: 2 }), hashToolCall("read", { a: 2, b: 1 }));
});

Deno.test("warnings are told once per ten repeats of their key", () => {
  const told = new Map<string, number>();
  assert.deepEqual([9, 10, 11, 19, 20, 21].map((n) => shouldTellWarning(told, "k", n)), [
    false,
    true,
    false,
    false,
    true,
    false,
  ]);
  assert.equal(shouldTellWarning(told, "other", 10), true);
});
