// The trajectory payload's bounding and masking return a value that is within the limits as it is, not copied
// (trajectory_payload.ts); what is stored must not change. The oracle is the copying version they replaced.
import assert from "node:assert/strict";
import { limitTrajectoryValue, sanitizeTrajectoryData } from "../../src/agent/trajectory_payload.ts";
import { sanitizeDiagnosticPayload } from "../../src/sessions/trajectory_projection.ts";

type Data = Record<string, unknown>;
const marker = (reason: string, details: Data = {}): Data => ({ truncated: true, reason, ...details });

function copyingLimit(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (typeof value === "string") {
    return value.length > 32_768
      ? marker("trajectory-field-size-limit", { originalChars: value.length, limitChars: 32_768 })
      : value;
  }
  if (typeof value !== "object" || value === null) return value;
  if (seen.has(value)) return marker("trajectory-circular-reference");
  if (depth >= 6) return marker("trajectory-depth-limit", { limitDepth: 6 });
  seen.add(value);
  try {
    if (Array.isArray(value)) {
      const limited: unknown[] = value.slice(0, 64).map((item) => copyingLimit(item, depth + 1, seen));
      if (value.length > 64) {
        limited.push(marker("trajectory-array-size-limit", { originalLength: value.length, limitItems: 64 }));
      }
      return limited;
    }
    const keys = Object.keys(value);
    const limited: Data = {};
    for (const key of keys.slice(0, 64)) limited[key] = copyingLimit((value as Data)[key], depth + 1, seen);
    if (keys.length > 64) {
      limited._truncated = marker("trajectory-object-size-limit", { originalKeys: keys.length, limitKeys: 64 });
    }
    return limited;
  } finally {
    seen.delete(value);
  }
}

function copyingRedact(value: unknown, redact: (text: string) => string): unknown {
  if (typeof value === "string") return redact(value);
  if (Array.isArray(value)) return value.map((item) => copyingRedact(item, redact));
  if (typeof value !== "object" || value === null) return value;
  const out: Data = {};
  for (const [key, child] of Object.entries(value)) out[key] = copyingRedact(child, redact);
  return out;
}

const redact = (text: string) => text.replaceAll("secret", "[masked]");

/** The stored text of `data` by the copying steps (no system prompt: that path is tested apart). */
function copyingStored(data: Data): string {
  return JSON.stringify(copyingRedact(sanitizeDiagnosticPayload(copyingLimit(data)), redact));
}

class Point {
  x = 1;
  get type() {
    return "image";
  }
}

function samples(): Data[] {
  const sparse = [1, , 3];
  const named = Object.assign([1, 2], { extra: "named" });
  const nullProto = Object.assign(Object.create(null), { a: "secret one", b: [1, 2] });
  const loop: Data = { name: "loop" };
  loop.self = loop;
  const shared = { v: "secret shared" };
  const deep = { a: { b: { c: { d: { e: { f: { g: 1 } } } } } } };
  const tools = Array.from({ length: 16 }, (_, i) => ({
    name: `tool${i}`,
    description: i % 3 ? "plain" : "a secret description",
    parameters: { type: "object", properties: { path: { type: "string" }, n: { type: "number" } } },
  }));
  return [
    { config: { agents: { defaults: { model: "m" } } }, tools, messages: [] },
    { text: "no secret here", nested: { list: ["a", "secret b", { c: "d" }] } },
    { sparse, named, nullProto, when: new Date(0), point: new Point(), map: new Map([["k", "v"]]) },
    { loop, pair: [shared, shared], deep, big: "x".repeat(32_769), wide: Array.from({ length: 70 }, (_, i) => i) },
    { many: Object.fromEntries(Array.from({ length: 70 }, (_, i) => [`k${i}`, `secret ${i}`])) },
    JSON.parse('{"__proto__": {"polluted": "secret"}, "after": {"x": 1}, "args": {"__proto__": [1, 2]}}'),
    { image: { type: "image", data: "aGVsbG8=", mimeType: "image/png" }, apiKey: "k", fn: () => 1 },
  ];
}

Deno.test("the bounding and masking that keep values as they are store what the copying ones stored", () => {
  for (const data of samples()) {
    assert.equal(JSON.stringify(sanitizeTrajectoryData(data, sanitizeDiagnosticPayload, redact)), copyingStored(data));
  }
});

Deno.test("a plain value within the limits is kept as it is; one past them, or not plain, is copied", () => {
  const plain = { a: [1, { b: "c" }], d: null };
  assert.equal(limitTrajectoryValue(plain), plain);
  const within = { a: plain, long: "x".repeat(32_769) };
  const limited = limitTrajectoryValue(within) as Data;
  assert.notEqual(limited, within);
  assert.equal(limited.a, plain, "the unchanged part is shared");
  const named = Object.assign([1, 2], { extra: 1 });
  assert.notEqual(limitTrajectoryValue(named), named);
  assert.deepEqual(limitTrajectoryValue(named), [1, 2]);
  const date = new Date(0);
  assert.deepEqual(limitTrajectoryValue({ date }), { date: {} });
  for (const data of samples()) {
    assert.equal(JSON.stringify(limitTrajectoryValue(data)), JSON.stringify(copyingLimit(data)));
  }
});
