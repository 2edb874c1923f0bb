// The lean request's body text against its oracle, `JSON.stringify` of the request's values (which
// lean_chat_model_test.ts holds to the SDK's bytes): seeded calls of every member's presence and
// value, tools sharing schema objects across calls, with the kept schema texts warm and cold.
import assert from "node:assert/strict";
import { type LeanCall, leanChatRequest, type SchemaTexts } from "../../src/agent/lean_chat_request.ts";

/** A small deterministic generator (mulberry32). */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TEXTS = [
  "",
  "plain",
  'quote " and \\ backslash',
  "line\nbreak\ttab",
  "\u2028\u2029",
  "\ud800 lone",
  "émoji 🦀",
  "\u0000\u001f",
];

function pick<T>(next: () => number, items: readonly T[]): T {
  return items[Math.floor(next() * items.length)]!;
}

function schemaOf(next: () => number, depth = 0): Record<string, unknown> {
  const schema: Record<string, unknown> = { type: "object" };
  if (next() < 0.5) schema.description = pick(next, TEXTS);
  if (next() < 0.3) schema.required = ["a", pick(next, TEXTS)];
  if (depth < 2 && next() < 0.7) {
    schema.properties = { a: schemaOf(next, depth + 1), [pick(next, TEXTS)]: { type: "number", minimum: next() } };
  }
  if (next() < 0.2) schema.skipped = undefined;
  if (next() < 0.1) schema.enum = [1, null, true, pick(next, TEXTS), -0, 1e21];
  return schema;
}

function callOf(next: () => number, schemas: readonly Record<string, unknown>[]): LeanCall {
  const prompt: unknown[] = [{ role: "system", content: pick(next, TEXTS) }];
  prompt.push({ role: "user", content: [{ type: "text", text: pick(next, TEXTS) }] });
  if (next() < 0.5) {
    prompt.push({
      role: "assistant",
      content: [{ type: "text", text: pick(next, TEXTS) }, {
        type: "tool-call",
        toolCallId: "c1",
        toolName: "t",
        input: { x: pick(next, TEXTS) },
      }],
    });
    prompt.push({
      role: "tool",
      content: [{ type: "tool-result", toolCallId: "c1", toolName: "t", output: { type: "text", value: "ok" } }],
    });
  }
  const tools = next() < 0.2 ? undefined : schemas.filter(() => next() < 0.7).map((schema, i) => ({
    type: "function",
    name: `tool_${i}_${pick(next, TEXTS)}`,
    ...(next() < 0.8 ? { description: pick(next, TEXTS) } : {}),
    inputSchema: schema,
  }));
  const effort = next();
  return {
    prompt,
    tools,
    ...(effort < 0.3
      ? { providerOptions: { openaiCompatible: { reasoningEffort: pick(next, ["low", "high"]) } } }
      : {}),
    ...(effort > 0.7 ? { providerOptions: { openaiCompatible: {} } } : {}),
    maxOutputTokens: pick(next, [undefined, 1024, 0, NaN, Infinity]),
  };
}

Deno.test("lean request body = JSON.stringify of its values, kept schema texts warm or cold (2,000 seeded calls)", () => {
  const next = random(23);
  const schemas = Array.from({ length: 12 }, () => schemaOf(next));
  const texts: SchemaTexts = new WeakMap();
  let withTools = 0;
  for (let i = 0; i < 2000; i++) {
    const call = callOf(next, schemas);
    const warm = leanChatRequest(call, pick(next, ["m1", 'm"2']), "fake", texts);
    assert.ok(warm, `call ${i} taken`);
    assert.equal(warm.body, JSON.stringify(warm.values), `call ${i}`);
    assert.equal(leanChatRequest(call, String(warm.values.model), "fake")!.body, warm.body, `call ${i} cold`);
    if (call.tools?.length) withTools++;
  }
  assert.ok(withTools > 1000, `${withTools} calls offered tools`);
});

Deno.test("lean request body: a schema is written once per kept texts; one without texts is written each call", () => {
  let written = 0;
  const keys: string[] = [];
  const schema = {
    type: "object",
    properties: { path: { type: "string" } },
    toJSON(key: string) {
      written++;
      keys.push(key);
      return { type: "object", properties: { path: { type: "string" } } };
    },
  };
  const call: LeanCall = {
    prompt: [{ role: "user", content: [{ type: "text", text: "hi" }] }],
    tools: [{ type: "function", name: "read", description: "Read.", inputSchema: schema }],
  };
  const texts: SchemaTexts = new WeakMap();
  const first = leanChatRequest(call, "m1", "fake", texts)!;
  const second = leanChatRequest(call, "m1", "fake", texts)!;
  assert.equal(written, 1);
  assert.equal(second.body, first.body);
  assert.match(first.body, /"parameters":\{"type":"object","properties":\{"path":\{"type":"string"\}\}\}/);
  leanChatRequest(call, "m1", "fake");
  assert.equal(written, 2);
  assert.deepEqual(keys, ["parameters", "parameters"], "toJSON is handed its member's name, as in the whole body");
});

Deno.test("lean request body: a tool without a schema or description leaves the member out, as JSON.stringify does", () => {
  const call: LeanCall = {
    prompt: [{ role: "user", content: [{ type: "text", text: "hi" }] }],
    tools: [{ type: "function", name: "bare" }, { type: "function", name: "odd", inputSchema: "text" }],
  };
  const request = leanChatRequest(call, "m1", "fake", new WeakMap())!;
  assert.equal(request.body, JSON.stringify(request.values));
  assert.match(request.body, /"function":\{"name":"bare"\}\}/);
});
