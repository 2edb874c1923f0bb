import assert from "node:assert/strict";
import { compactInputHint } from "../../src/agent/tool_input_hint.ts";

Deno.test("required properties first, then optional ones, each alphabetical, with numeric bounds", () => {
  assert.equal(
    compactInputHint({
      type: "object",
      required: ["url"],
      properties: {
        url: { type: "string" },
        extractMode: { type: "string", enum: ["markdown", "text"] },
        maxChars: { type: "integer", minimum: 100 },
      },
    }),
    '{ url: string; extractMode?: "markdown" | "text"; maxChars?: number /* integer, >= 100 */ }',
  );
});

Deno.test("arrays, consts, unions, nested objects and nullable types", () => {
  assert.equal(
    compactInputHint({
      type: "object",
      properties: {
        tags: { type: "array", items: { type: "string" } },
        optional: { const: true },
        mode: { anyOf: [{ const: "a" }, { const: "b" }] },
        when: { anyOf: [{ type: "string" }, { type: "null" }] },
        inner: { type: "object", required: ["x"], properties: { x: { type: "number", maximum: 5 } } },
        note: { type: "string", nullable: true },
      },
    }),
    '{ inner?: { x: number /* <= 5 */ }; mode?: "a" | "b"; note?: string | null; optional?: true; ' +
      "tags?: Array<string>; when?: string | null }",
  );
  assert.equal(compactInputHint({ type: "object", properties: {} }), "{}");
  assert.equal(compactInputHint({ type: "object" }), "{ ... }");
  assert.equal(compactInputHint({ type: "object", properties: { a: {} } }), "{ a?: unknown }");
});

Deno.test("what a line cannot say is unknown or left out with '...'", () => {
  assert.equal(compactInputHint(undefined), "unknown");
  assert.equal(compactInputHint({ type: "object", properties: { a: { type: "weird" } } }), "{ a?: unknown }");
  const many = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`p${String(i).padStart(2, "0")}`, {
    type: "string",
  }]));
  const hint = compactInputHint({ type: "object", properties: many });
  assert.match(hint, /^\{ p00\?: string; .*p15\?: string; \.\.\. \}$/);
  const long = Object.fromEntries(Array.from({ length: 16 }, (_, i) => [`a_rather_long_property_name_${i}`, {
    type: "string",
  }]));
  assert.match(compactInputHint({ type: "object", properties: long }), /; \.\.\. \}$/);
  assert.ok(compactInputHint({ type: "object", properties: long }).length <= 300);
});
