import assert from "node:assert/strict";
import { toolValidators, validateToolArgs } from "../../src/agent/tool_call_validation.ts";
import { prepareEditArgs } from "../../src/agent/tool_edit.ts";

const SCHEMA = {
  type: "object",
  required: ["path"],
  properties: {
    path: { type: "string" },
    limit: { type: "number" },
    offset: { type: "integer", minimum: 1 },
    force: { type: "boolean" },
    tags: { type: "array", items: { type: "string" } },
    mode: { anyOf: [{ type: "string", const: "a" }, { type: "null" }] },
  },
};

Deno.test("values in the wrong JSON type are coerced toward the schema, as the reference's validator does", async () => {
  const validators = await toolValidators();
  const check = (args: Record<string, unknown>) => validateToolArgs("read", SCHEMA, args, validators);
  assert.deepEqual(check({ path: 7, limit: "2", offset: "3", force: "true" }), {
    args: { path: "7", limit: 2, offset: 3, force: true },
  });
  assert.deepEqual(check({ path: "a", limit: null, force: 0 }), { args: { path: "a", limit: 0, force: false } });
  assert.deepEqual(check({ path: "a", tags: '["x", 1]' }), { args: { path: "a", tags: ["x", "1"] } });
  assert.deepEqual(check({ path: "a", mode: null }), { args: { path: "a", mode: null } });
  const args = { path: 5 };
  check(args);
  assert.deepEqual(args, { path: 5 }, "the model's own arguments are left as written");
});

Deno.test("what cannot be coerced is refused with each problem and the arguments as received", async () => {
  const validators = await toolValidators();
  assert.deepEqual(validateToolArgs("read", SCHEMA, {}, validators), {
    refusal: 'Validation failed for tool "read":\n  - path: must have required properties path\n\n' +
      "Received arguments:\n{}",
  });
  assert.deepEqual(validateToolArgs("read", SCHEMA, { path: "a", offset: "abc" }, validators), {
    refusal: 'Validation failed for tool "read":\n  - offset: must be integer\n\n' +
      'Received arguments:\n{\n  "path": "a",\n  "offset": "abc"\n}',
  });
  const refused = validateToolArgs("read", SCHEMA, { path: "a", offset: 0, tags: [["x"]] }, validators);
  assert.ok("refusal" in refused);
  assert.match(refused.refusal, /- offset: must be >= 1\n/);
  assert.match(refused.refusal, /- tags\.0: must be string\n/);
});

Deno.test("a schema the validator cannot compile passes the arguments through for the tool to check", async () => {
  const validators = await toolValidators();
  const odd = { type: "object", properties: { x: { type: "string", pattern: "([" } } };
  assert.deepEqual(validateToolArgs("mcp_tool", odd, { x: 1 }, validators), { args: { x: 1 } });
  assert.equal(validators.kept.get(odd), "uncompilable");
});

Deno.test("edit's arguments are prepared as the reference's: a JSON edits text, a top-level pair, only path and edits", () => {
  assert.deepEqual(prepareEditArgs({ path: "a", oldText: "x", newText: "y", extra: 1 }), {
    path: "a",
    edits: [{ oldText: "x", newText: "y" }],
  });
  assert.deepEqual(prepareEditArgs({ path: "a", edits: '[{"oldText":"x","newText":"y","z":1}]' }), {
    path: "a",
    edits: [{ oldText: "x", newText: "y" }],
  });
  const prepared = prepareEditArgs({ path: "a", edits: [{ oldText: 5 }] });
  assert.ok(Object.hasOwn((prepared.edits as Record<string, unknown>[])[0]!, "newText"));
});
