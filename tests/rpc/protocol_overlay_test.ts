import assert from "node:assert/strict";
import * as Protocol from "@openclaw/gateway-protocol";
import { newerFieldProblem, newerFieldSchema, PROTOCOL_OVERLAY } from "../../src/rpc/protocol_overlay.ts";
import { loadStringLength } from "../../src/rpc/string_length.ts";
import { ProtocolValidators, type ValidatorName } from "../../src/rpc/validators.ts";

/** TypeBox's length rule, as the validators load it. */
const LENGTHS = await loadStringLength();

/** The top-level fields the reference 2026.9.6's schemas add, as recorded (tests/fixtures/protodrift/README.md). */
const RECORDED: Record<string, Record<string, Record<string, unknown>>> = JSON.parse(
  await Deno.readTextFile(new URL("../fixtures/protodrift/reference_newer_fields.json", import.meta.url)),
);

/** A schema without the reference's own annotations (`x-openclaw-since`). */
function bare(schema: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(schema).filter(([key]) => !key.startsWith("x-")));
}

Deno.test("protocol overlay: each newer field is the reference 2026.9.6's, and one the pinned package lacks", () => {
  let fields = 0;
  for (const [validator, newer] of Object.entries(PROTOCOL_OVERLAY)) {
    const schema = Reflect.get(Reflect.get(Protocol, validator) as object, "schema") as {
      properties: Record<string, unknown>;
    };
    for (const [name, field] of Object.entries(newer)) {
      assert.ok(!Object.hasOwn(schema.properties, name), `${validator}.${name} is already in the package`);
      const recorded = RECORDED[validator]?.[name];
      assert.ok(recorded, `${validator}.${name} is not a recorded 2026.9.6 field`);
      assert.deepEqual(newerFieldSchema(field), bare(recorded), `${validator}.${name}`);
      fields++;
    }
  }
  assert.ok(fields >= 20, `${fields} fields`);
});

/** The reference's refusals of bad newer fields, as recorded (tests/fixtures/protodrift/words96.mjs.txt). */
const REFUSALS: { validator: string; params: Record<string, unknown>; problem: string }[] = JSON.parse(
  await Deno.readTextFile(new URL("../fixtures/protodrift/reference_newer_field_refusals.json", import.meta.url)),
);

Deno.test("protocol overlay: a bad newer field is refused in the reference 2026.9.6's words", async () => {
  const validators = new ProtocolValidators();
  for (const { validator, params, problem } of REFUSALS) {
    assert.equal(await validators.problem(validator as ValidatorName, params), problem, JSON.stringify(params));
  }
  assert.ok(REFUSALS.length >= 5);
});

Deno.test("protocol overlay: lengths count graphemes and undefined passes, as TypeBox decides", () => {
  const string = { kind: "string", minLength: 1, maxLength: 3 } as const;
  assert.equal(newerFieldProblem(string, "abc", LENGTHS), undefined);
  // TypeBox counts an emoji and its skin-tone modifier as two (Intl.Segmenter as one): the reference's validator decides.
  assert.equal(newerFieldProblem(string, "\u{1F44D}\u{1F3FD}", LENGTHS), undefined);
  assert.equal(
    newerFieldProblem(string, "\u{1F44D}\u{1F3FD}".repeat(2), LENGTHS),
    "must not have more than 3 characters",
  );
  assert.equal(newerFieldProblem(string, "e\u0301".repeat(3), LENGTHS), undefined);
  assert.equal(newerFieldProblem(string, "e\u0301".repeat(4), LENGTHS), "must not have more than 3 characters");
  assert.equal(newerFieldProblem(string, undefined, LENGTHS), undefined);
});

Deno.test("protocol overlay: an object field (sessions.resolve's reference) is closed, with its required key", () => {
  const reference = PROTOCOL_OVERLAY.validateSessionsResolveParams.reference;
  assert.equal(newerFieldProblem(reference, { key: "agent:main:x", slug: "x" }, LENGTHS), undefined);
  assert.equal(newerFieldProblem(reference, { key: "agent:main:x" }, LENGTHS), undefined);
  assert.equal(newerFieldProblem(reference, { slug: "x" }, LENGTHS), "must have required property 'key'");
  assert.equal(newerFieldProblem(reference, { key: "k", other: 1 }, LENGTHS), "unexpected property 'other'");
  assert.equal(newerFieldProblem(reference, { key: "" }, LENGTHS), "/key: must not have fewer than 1 characters");
  assert.equal(newerFieldProblem(reference, "agent:main:x", LENGTHS), "must be object");
});
