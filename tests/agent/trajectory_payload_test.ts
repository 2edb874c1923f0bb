import assert from "node:assert/strict";
import {
  boundedEventLine,
  limitTrajectoryValue,
  sanitizeTrajectoryData,
  TRAJECTORY_EVENT_MAX_BYTES,
} from "../../src/agent/trajectory_payload.ts";
import { sanitizeDiagnosticPayload } from "../../src/sessions/trajectory_projection.ts";

const same = (value: unknown) => value;

Deno.test("values past the reference's limits become its truncation markers", () => {
  assert.deepEqual(limitTrajectoryValue("x".repeat(32_769)), {
    truncated: true,
    reason: "trajectory-field-size-limit",
    originalChars: 32_769,
    limitChars: 32_768,
  });
  assert.equal(limitTrajectoryValue("x".repeat(32_768)), "x".repeat(32_768));
  const array = limitTrajectoryValue(Array.from({ length: 70 }, (_, i) => i)) as unknown[];
  assert.equal(array.length, 65);
  assert.deepEqual(array[64], {
    truncated: true,
    reason: "trajectory-array-size-limit",
    originalLength: 70,
    limitItems: 64,
  });
  const wide = limitTrajectoryValue(Object.fromEntries(Array.from({ length: 70 }, (_, i) => [`k${i}`, i])));
  assert.equal(Object.keys(wide as object).length, 65);
  assert.deepEqual((wide as Record<string, unknown>)._truncated, {
    truncated: true,
    reason: "trajectory-object-size-limit",
    originalKeys: 70,
    limitKeys: 64,
  });
  assert.deepEqual(limitTrajectoryValue({ a: { b: { c: { d: { e: { f: { g: 1 } } } } } } }), {
    a: { b: { c: { d: { e: { f: { truncated: true, reason: "trajectory-depth-limit", limitDepth: 6 } } } } } },
  });
  const loop: Record<string, unknown> = { name: "loop" };
  loop.self = loop;
  assert.deepEqual(limitTrajectoryValue(loop), {
    name: "loop",
    self: { truncated: true, reason: "trajectory-circular-reference" },
  });
  // The same object twice side by side is no cycle.
  const shared = { v: 1 };
  assert.deepEqual(limitTrajectoryValue([shared, shared]), [{ v: 1 }, { v: 1 }]);
});

Deno.test("the final prompt is masked, and past 4 KB cut on a character boundary with its length kept", () => {
  const redact = (text: string) => text.replaceAll("secret", "******");
  assert.deepEqual(sanitizeTrajectoryData({ finalPromptText: "my secret" }, same, redact), {
    finalPromptText: "my ******",
  });
  const long = "é".repeat(3000);
  const data = sanitizeTrajectoryData({ finalPromptText: long }, same, redact) as Record<string, unknown>;
  assert.equal(data.finalPromptTextOriginalLength, 3000);
  assert.equal(data.finalPromptText, "é".repeat(2048));
  // Every string is masked after the projection, not only the prompt.
  assert.deepEqual(sanitizeTrajectoryData({ args: { note: "a secret" } }, same, redact), {
    args: { note: "a ******" },
  });
});

Deno.test("an event line past 256 KB drops its snapshot first, then keeps only the outcome fields that fit", () => {
  const event = { type: "model.completed", data: { stopReason: "stop", messagesSnapshot: ["x".repeat(300_000)] } };
  const dropped = JSON.parse(boundedEventLine(event)!);
  assert.deepEqual(dropped.data, {
    stopReason: "stop",
    truncated: true,
    originalBytes: JSON.stringify(event).length,
    limitBytes: TRAJECTORY_EVENT_MAX_BYTES,
    reason: "trajectory-event-size-limit",
    droppedFields: ["messagesSnapshot"],
  });
  const huge = { type: "tool.result", data: { result: "y".repeat(300_000), aborted: false, usage: { input: 1 } } };
  const kept = JSON.parse(boundedEventLine(huge)!);
  assert.deepEqual(kept.data, {
    truncated: true,
    originalBytes: JSON.stringify(huge).length,
    limitBytes: TRAJECTORY_EVENT_MAX_BYTES,
    reason: "trajectory-event-size-limit",
    aborted: false,
    usage: { input: 1 },
    droppedFields: ["result"],
  });
  const small = { type: "session.ended", data: { status: "success" } };
  assert.equal(boundedEventLine(small), JSON.stringify(small));
});

Deno.test("the system prompt projected on its own gives what one projection of the whole gives", () => {
  const systemPrompt = 'Tools: {"name":"read","token":"abc"} and [docs]\nAuthorization: Bearer abcdefgh12345678\n' +
    "x".repeat(2000);
  const data = {
    systemPrompt,
    prompt: "hi",
    messages: [{ role: "user", content: [{ type: "text", text: "hi" }] }],
    tools: Array.from({ length: 70 }, (_, i) => ({ name: `t${i}`, parameters: { type: "object" } })),
  };
  const redact = (text: string) => text.replaceAll("abcdefgh", "<masked>");
  const whole = sanitizeTrajectoryData(data, sanitizeDiagnosticPayload, redact);
  let projected = 0;
  const kept = sanitizeTrajectoryData(data, sanitizeDiagnosticPayload, redact, (text) => {
    projected++;
    return sanitizeDiagnosticPayload(text);
  });
  assert.deepEqual(kept, whole);
  assert.equal(projected, 1);
});
