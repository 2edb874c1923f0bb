import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import {
  type FieldNames,
  redactDiagnosticText,
  sanitizeDiagnosticPayload,
  stableStringify,
} from "../../src/sessions/trajectory_projection.ts";

Deno.test("sanitizeDiagnosticPayload() truncates objects past the budget of 64, in walk order", () => {
  const tools = Array.from({ length: 40 }, (_, i) => ({ name: `t${i}`, parameters: { type: "object" } }));
  const out = sanitizeDiagnosticPayload(tools) as unknown[];
  // The array is one node, then each tool two (itself and its parameters): 31 whole tools fit in 63.
  assert.deepEqual(out[30], { name: "t30", parameters: { type: "object" } });
  assert.deepEqual(out[31], { name: "t31", parameters: "[Truncated]" });
  assert.equal(out[32], "[Truncated]");
});

Deno.test("sanitizeDiagnosticPayload() drops credential-named fields and keeps token counts", () => {
  const out = sanitizeDiagnosticPayload({ apiKey: "x", accessToken: "y", password: "z", tokens: 3, maxTokens: 9 });
  assert.deepEqual(out, { tokens: 3, maxTokens: 9 });
});

Deno.test("sanitizeDiagnosticPayload() replaces media data by its size and digest", () => {
  const out = sanitizeDiagnosticPayload({ type: "image", data: "aGVsbG8=", mimeType: "image/png" });
  const sha256 = createHash("sha256").update("aGVsbG8=").digest("hex");
  assert.deepEqual(out, { type: "image", data: "<redacted>", bytes: 5, sha256, mimeType: "image/png" });
});

Deno.test("sanitizeDiagnosticPayload() drops providerReplay", () => {
  assert.deepEqual(sanitizeDiagnosticPayload({ providerReplay: { a: 1 }, b: 2 }), { b: 2 });
});

Deno.test("redactDiagnosticText() masks bearer tokens and keeps valid embedded JSON as written", () => {
  assert.equal(redactDiagnosticText("Authorization: Bearer abcdefghijkl"), "Authorization: <redacted>");
  assert.equal(redactDiagnosticText('{"v":1,"phase":"commentary"}'), '{"v":1,"phase":"commentary"}');
});

Deno.test("redactDiagnosticText() rewrites embedded JSON it changed, sorted, and refuses malformed JSON", () => {
  assert.equal(
    redactDiagnosticText('see {"z":1,"image_data":"aGVsbG8=","a":2}'),
    'see {"a":2,"image_data":{"bytes":5,"redacted":"<redacted>"},"z":1}',
  );
  assert.equal(redactDiagnosticText('call {"a": nope}'), "[Malformed diagnostic JSON redacted]");
});

Deno.test("stableStringify() sorts keys at every depth", () => {
  assert.equal(stableStringify({ b: [{ d: 1, c: 2 }], a: null }), '{"a":null,"b":[{"c":2,"d":1}]}');
});

Deno.test("sanitizeDiagnosticPayload() with field names kept across projections projects as a fresh one does", () => {
  const values = [
    { type: "image", data: "aGVsbG8=", mimeType: "image/png", apiKey: "x" },
    { name: "apiKey", value: "hidden", tokens: 3 },
    { content: [{ type: "input_image", image_url: "https://example.com/a.png" }], data: "plain", b64_json: "aGk=" },
    { images: [[1, 2, 3]], url: "https://example.com", "0": { data: "x" } },
    { audioData: "aGVsbG8=", nested: { authorization: "Bearer abcdefghijkl", note: "token: abcdefghijklmnop" } },
  ];
  const names: FieldNames = new Map();
  for (let round = 0; round < 2; round++) {
    for (const value of values) {
      assert.deepEqual(sanitizeDiagnosticPayload(value, undefined, names), sanitizeDiagnosticPayload(value));
    }
  }
  assert.ok(names.has("apiKey") && names.has("data"), "the names judged are kept");
  const many = Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`k${i}`, i]));
  for (let i = 0; i < 100; i++) sanitizeDiagnosticPayload({ [`unique${i}`]: many }, undefined, names);
  assert.ok(names.size <= 4096, "bounded");
});
