import assert from "node:assert/strict";
import { problemsOf } from "../../src/agent/tool_args_check.ts";

const SCHEMA = {
  type: "object",
  required: ["path"],
  additionalProperties: false,
  properties: {
    path: { type: "string", minLength: 1 },
    mode: { type: "string", enum: ["a", "b"] },
    lines: { type: "integer", minimum: 1 },
    edits: {
      type: "array",
      items: { type: "object", required: ["oldText"], properties: { oldText: { type: "string" } } },
    },
    when: { anyOf: [{ type: "string" }, { type: "null" }] },
  },
};

Deno.test("arguments that fit have no problems", () => {
  assert.deepEqual(problemsOf(SCHEMA, { path: "a", mode: "b", lines: 2, edits: [{ oldText: "x" }], when: null }), []);
});

Deno.test("each problem names its path and says what is wrong, as the reference's validator", () => {
  assert.deepEqual(
    problemsOf(SCHEMA, { mode: "c", lines: 0.5, edits: [{}], when: 3, pth: "x" }).map((p) => `${p.path}: ${p.message}`),
    [
      "path: must have required property 'path'",
      'mode: must be equal to one of the allowed values (allowed: "a", "b")',
      "lines: must be integer",
      "edits.0.oldText: must have required property 'oldText'",
      "when: must match a schema in anyOf",
      '<root>: must not have additional properties: "pth"',
    ],
  );
  assert.deepEqual(problemsOf(SCHEMA, { path: "", lines: 0 }).map((p) => p.message), [
    "must NOT have fewer than 1 characters",
    "must be >= 1",
  ]);
  assert.equal(problemsOf(SCHEMA, { path: "a", pth: "x" })[0]?.additionalProperty, "pth");
  assert.deepEqual(problemsOf(SCHEMA, "text").map((p) => p.message), ["must be object"]);
});
