// The lean chat model's stream parts against the SDK model's, in process: the same SSE bytes to
// both, every chunk shape the wire has (text, reasoning, tool calls in pieces and whole, usage,
// finish reasons, error chunks, odd chunks, malformed lines, comments, CRLF), then a seeded fuzz
// of chunk shapes cut at random byte boundaries.
import assert from "node:assert/strict";
import { assertSameParts } from "../support/lean_oracle.ts";
import { prng } from "../support/prng.ts";

const encoder = new TextEncoder();

function sse(...chunks: unknown[]): string {
  return chunks.map((c) => typeof c === "string" ? c : `data: ${JSON.stringify(c)}\n\n`).join("") + "data: [DONE]\n\n";
}

const base = { id: "chatcmpl-1", object: "chat.completion.chunk", created: 1764540000, model: "m1" };
const delta = (d: Record<string, unknown>, finish: string | null = null) => ({
  ...base,
  choices: [{ index: 0, delta: d, finish_reason: finish }],
});
const usage = {
  ...base,
  choices: [],
  usage: {
    prompt_tokens: 120,
    completion_tokens: 40,
    total_tokens: 160,
    prompt_tokens_details: { cached_tokens: 100 },
    completion_tokens_details: { reasoning_tokens: 12, accepted_prediction_tokens: 3, rejected_prediction_tokens: 1 },
  },
};

const same = assertSameParts;

const CASES: Record<string, string> = {
  "plain text with usage (cached, reasoning and prediction tokens)": sse(
    delta({ role: "assistant", content: "" }),
    delta({ content: "Hello" }),
    delta({ content: " wörld 🌍" }),
    delta({}, "stop"),
    usage,
  ),
  "reasoning then text": sse(
    delta({ role: "assistant", reasoning_content: "think" }),
    delta({ reasoning: " more" }),
    delta({ content: "answer" }, "stop"),
  ),
  "a tool call with arguments in pieces, then a second one whole": sse(
    delta({
      role: "assistant",
      tool_calls: [{ index: 0, id: "call_1", type: "function", function: { name: "read", arguments: "" } }],
    }),
    delta({ tool_calls: [{ index: 0, function: { arguments: '{"pa' } }] }),
    delta({ tool_calls: [{ index: 0, function: { arguments: 'th":"a"}' } }] }),
    delta({ tool_calls: [{ index: 1, id: "call_2", type: "function", function: { name: "ls", arguments: "{}" } }] }),
    delta({}, "tool_calls"),
    usage,
  ),
  "a tool call whose name comes after its first delta, and one without an id": sse(
    delta({ tool_calls: [{ index: 0, function: { arguments: '{"a":' } }] }),
    delta({ tool_calls: [{ index: 0, id: "call_9", function: { name: "exec", arguments: "1}" } }] }),
    delta({ tool_calls: [{ index: 1, function: { name: "ls", arguments: "{}" } }] }),
    delta({}, "tool_calls"),
  ),
  "tool calls without an index (Gemini's way) and a thought signature": sse(
    delta({
      tool_calls: [{
        id: "g1",
        function: { name: "a", arguments: "{}" },
        extra_content: { google: { thought_signature: "sig" } },
      }],
    }),
    delta({ tool_calls: [{ id: "g2", function: { name: "b", arguments: '{"x":1}' } }] }),
    delta({}, "tool_calls"),
  ),
  "a tool-call delta with no name at all (the SDK's invalid-response error)": sse(
    delta({ tool_calls: [{ index: 0, id: "c", function: { arguments: "{}" } }] }),
    delta({}, "tool_calls"),
  ),
  "finish reasons: length": sse(delta({ content: "a" }, "length")),
  "finish reasons: content_filter": sse(delta({ content: "a" }, "content_filter")),
  "finish reasons: an unknown one": sse(delta({ content: "a" }, "eos_token")),
  "a refusal turns stop into content-filter": sse(delta({ refusal: "I can't" }), delta({ refusal: false }, "stop")),
  "an error chunk mid-stream": sse(delta({ content: "a" }, null), {
    error: { message: "overloaded", type: "server", code: 529 },
  }),
  "an error key beside choices": sse(delta({ content: "a" }), { ...delta({ content: "b" }), error: "boom" }),
  "a chunk the schema rejects": sse(delta({ content: "a" }), { ...base, choices: [{ delta: { content: 5 } }] }),
  "a malformed JSON line": sse(delta({ content: "a" }), 'data: {"choices": [\n\n', delta({}, "stop")),
  "no finish reason": sse(delta({ content: "a" })),
  "no [DONE] and an unfinished last event": sse(delta({ content: "a" }, "stop")).replace(
    "data: [DONE]\n\n",
    'data: {"x',
  ),
  "keep-alive comments, event and id fields, retry, unknown fields": sse(
    ": keep-alive\n\n",
    "event: message\nid: 7\nretry: 100\nfoo: bar\n",
    delta({ content: "a" }),
    ":\n\n",
    delta({}, "stop"),
  ),
  "CRLF and CR line ends, data split over lines": `data: ${JSON.stringify(delta({ content: "a" }))}\r\n\r\n` +
    `data: ${
      JSON.stringify(delta({ content: "b" }))
    }\r\rdata: {"choices":[{"delta":\ndata: {"content":"c"},"finish_reason":"stop"}]}\n\ndata: [DONE]\r\n\r\n`,
  "content as parts (text and thinking)": sse(
    delta({ content: [{ type: "thinking", thinking: [{ type: "text", text: "hm" }] }, { type: "text", text: "ok" }] }),
    delta({}, "stop"),
  ),
  "a __proto__ key (the SDK's secure parse)": sse(
    delta({ content: "a" }),
    'data: {"__proto__":{"x":1},"choices":[]}\n\n',
    delta({}, "stop"),
  ),
  "metadata from a later chunk (a placeholder first), created 0": sse(
    { choices: [{ delta: { content: "a" } }], created: 0 },
    { id: "late", choices: [{ delta: { content: "b" }, finish_reason: "stop" }] },
  ),
  "a BOM and no usage": "\u00ef\u00bb\u00bf" + sse(delta({ content: "a" }, "stop")),
  "usage with nulls and extra fields": sse(delta({ content: "a" }, "stop"), {
    choices: [],
    usage: { prompt_tokens: null, completion_tokens: 3, prompt_tokens_details: null, extra: { n: 1 } },
  }),
  // JSON.parse reads 1e999 as Infinity, which the SDK's schema (zod's number) rejects.
  "a created time that overflows to Infinity": sse(
    'data: {"id":"a","created":1e999,"choices":[{"delta":{"content":"x"},"finish_reason":"stop"}]}\n\n',
  ),
  "token counts that overflow to Infinity": sse(
    delta({ content: "a" }, "stop"),
    'data: {"choices":[],"usage":{"prompt_tokens":1e999}}\n\n',
  ),
  "a tool-call index that overflows to Infinity": sse(
    'data: {"choices":[{"delta":{"tool_calls":[{"index":-1e999,"id":"c","function":{"name":"f","arguments":"{}"}}]}}]}\n\n',
    delta({}, "tool_calls"),
  ),
  // The schema drops a delta's other keys; the tracker's error carries the delta as its data.
  "a nameless tool-call delta without an index, with keys the schema drops": sse(
    delta({ tool_calls: [{ type: "function", id: "c", x: 1, function: { arguments: "{}", y: 2 } }] }),
    delta({}, "tool_calls"),
  ),
};

for (const [name, wire] of Object.entries(CASES)) {
  Deno.test(`lean chat stream = the SDK's: ${name}`, async () => {
    const parts = await same(wire);
    assert.ok(parts.length > 0);
  });
}

Deno.test("lean chat stream = the SDK's: each case cut into one-byte pieces (multi-byte characters split)", async () => {
  for (const wire of Object.values(CASES)) {
    const bytes = encoder.encode(wire);
    await same(wire, [...bytes].map((b) => new Uint8Array([b])));
  }
});

Deno.test("lean chat stream = the SDK's: a CR blank line held back, then pieces with no line end", async () => {
  const event = `data: ${JSON.stringify(delta({ content: "a" }, "stop"))}`;
  // The parser reads the held-back CR only when a later piece brings a line end: at the end of
  // the stream never (no finish reason), mid-stream once the next line ends.
  await same(`${event}\r\rab`, [event + "\r", "\r", "a", "b"].map((p) => encoder.encode(p)));
  const next = `data: ${JSON.stringify(delta({ content: "b" }))}`;
  const pieces = [event + "\r", "\r", next.slice(0, 9), next.slice(9), "\n\n"];
  const parts = await same(pieces.join(""), pieces.map((p) => encoder.encode(p)));
  assert.ok(parts.some((p) => (p as { type: string }).type === "finish"));
});

function fuzzEvent(random: () => number, index: number): string {
  const pick = <T>(items: T[]) => items[Math.floor(random() * items.length)]!;
  const text = () => pick(["a", " b", "ç", "🌍", "\n", '"q"', "\\", "", "data: x"]);
  const call = () => ({
    index: random() < 0.9 ? Math.floor(random() * 2) : undefined,
    ...(random() < 0.5 ? { id: pick(["c1", "c2", "", " "]) } : {}),
    function: {
      ...(random() < 0.5 ? { name: pick(["read", "ls", ""]) } : {}),
      ...(random() < 0.8 ? { arguments: pick(["{", '"a"', ":1", "}", "{}", ""]) } : {}),
    },
  });
  const deltas: Record<string, unknown>[] = [
    { content: text() },
    { reasoning_content: text() },
    { reasoning: text(), content: text() },
    { tool_calls: [call()] },
    { tool_calls: [call(), call()] },
    { refusal: text() },
    { role: "assistant" },
  ];
  const roll = random();
  if (roll < 0.05) return ": ping\n\n";
  if (roll < 0.08) return "data: {bad json\n\n";
  if (roll < 0.1) return `data: ${JSON.stringify({ error: { message: "e" + index } })}\n\n`;
  if (roll < 0.13) return `data: ${JSON.stringify({ ...base, choices: [], usage: usage.usage })}\n\n`;
  const finish = random() < 0.1 ? pick(["stop", "tool_calls", "length", "other"]) : null;
  const chunk = {
    ...(random() < 0.8 ? base : {}),
    choices: [{ index: 0, delta: pick(deltas), finish_reason: finish }],
  };
  const end = pick(["\n\n", "\r\n\r\n", "\n\n", "\r\r"]);
  return `data: ${JSON.stringify(chunk)}${end}`;
}

Deno.test("lean chat stream = the SDK's: seeded fuzz of chunk shapes cut at random byte boundaries", async () => {
  for (let seed = 1; seed <= 1000; seed++) {
    const random = prng(seed);
    const events: string[] = [];
    const count = 1 + Math.floor(random() * 12);
    for (let i = 0; i < count; i++) events.push(fuzzEvent(random, i));
    if (random() < 0.8) events.push("data: [DONE]\n\n");
    const wire = events.join("");
    const bytes = encoder.encode(wire);
    const pieces: Uint8Array[] = [];
    for (let at = 0; at < bytes.length;) {
      const size = 1 + Math.floor(random() * 40);
      pieces.push(bytes.slice(at, at + size));
      at += size;
    }
    try {
      await same(wire, pieces);
    } catch (error) {
      throw new Error(`seed ${seed}: ${(error as Error).message}`);
    }
  }
});
