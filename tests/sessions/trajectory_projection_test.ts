import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import {
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
