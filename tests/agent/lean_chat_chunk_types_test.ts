// The lean model's hand check of a chunk against the SDK's schema: seeded chunks whose fields take
// any JSON type (and numbers that overflow to Infinity, and keys the schema drops), each stream
// through both models, the parts compared. A field the hand check lets through that the schema
// rejects (or reads differently) shows as a difference.
import { assertSameParts } from "../support/lean_oracle.ts";
import { prng } from "../support/prng.ts";

const MISSING = "<missing>";
const INFINITE = "<infinite>";

function chunkMaker(random: () => number) {
  const pick = <T>(items: T[]) => items[Math.floor(random() * items.length)]!;
  const any = () =>
    pick<unknown>([
      "s",
      "",
      1,
      0,
      -1.5,
      null,
      true,
      false,
      [],
      {},
      "assistant",
      "stop",
      ["x"],
      { a: 1 },
      MISSING,
      INFINITE,
    ]);
  // A field of its usual type 70 % of the time, else any value (or none).
  const field = (into: Record<string, unknown>, key: string, usual: () => unknown) => {
    const value = random() < 0.7 ? usual() : any();
    if (value !== MISSING) into[key] = value;
  };
  const toolCall = () => {
    const call: Record<string, unknown> = {};
    field(call, "index", () => pick([0, 1, null]));
    field(call, "id", () => pick(["c1", null]));
    field(call, "type", () => "function");
    const fn: Record<string, unknown> = {};
    field(fn, "name", () => pick(["ls", null]));
    field(fn, "arguments", () => pick(["{}", "{", null]));
    if (random() < 0.2) fn.extra = 1;
    call.function = random() < 0.9 ? fn : any();
    field(call, "extra_content", () => pick([null, { google: { thought_signature: "s" } }, { google: null }]));
    return call;
  };
  const choice = () => {
    const c: Record<string, unknown> = {};
    field(c, "finish_reason", () => pick(["stop", null, "tool_calls"]));
    field(c, "index", () => 0);
    const d: Record<string, unknown> = {};
    field(d, "role", () => pick(["assistant", "", null]));
    field(d, "content", () => pick(["hi", "", null, [{ type: "text", text: "t" }]]));
    field(d, "reasoning_content", () => pick(["r", null]));
    field(d, "reasoning", () => pick(["q", null]));
    field(d, "refusal", () => pick(["no", null, false]));
    if (random() < 0.4) d.tool_calls = random() < 0.9 ? [toolCall(), ...(random() < 0.3 ? [toolCall()] : [])] : any();
    c.delta = random() < 0.9 ? d : any();
    return random() < 0.95 ? c : any();
  };
  return () => {
    const chunk: Record<string, unknown> = {};
    field(chunk, "id", () => "id1");
    field(chunk, "created", () => 5);
    field(chunk, "model", () => "m");
    field(chunk, "choices", () => Array.from({ length: pick([0, 1, 1, 2]) }, choice));
    if (random() < 0.3) {
      const usage: Record<string, unknown> = {};
      field(usage, "prompt_tokens", () => 3);
      field(usage, "completion_tokens", () => 2);
      field(usage, "prompt_tokens_details", () => ({ cached_tokens: pick([1, null, "x"]) }));
      field(usage, "completion_tokens_details", () => ({ reasoning_tokens: pick([1, null, "x"]) }));
      chunk.usage = random() < 0.9 ? usage : any();
    }
    if (random() < 0.05) chunk.error = pick([{ message: "m" }, "x", null]);
    return `data: ${JSON.stringify(chunk).replaceAll(`"${INFINITE}"`, "1e999")}\n\n`;
  };
}

Deno.test("lean chat stream = the SDK's: 1,000 seeded streams of chunks with fields of any type", async () => {
  for (let seed = 1; seed <= 1000; seed++) {
    const random = prng(seed);
    const chunk = chunkMaker(random);
    const events = Array.from({ length: 1 + Math.floor(random() * 4) }, chunk);
    const wire = events.join("") + `data: ${JSON.stringify({ choices: [{ delta: {}, finish_reason: "stop" }] })}\n\n`;
    try {
      await assertSameParts(wire);
    } catch (error) {
      throw new Error(`seed ${seed}: ${wire}\n${(error as Error).message}`);
    }
  }
});
