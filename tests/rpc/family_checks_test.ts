import assert from "node:assert/strict";
import * as Protocol from "@openclaw/gateway-protocol";
import { Value } from "typebox/value";
import { FAMILY_CHECKS } from "../../src/rpc/checks/index_gen.ts";
import { ProtocolValidators } from "../../src/rpc/validators.ts";
import { type NewerField, newerFieldProblem, newerFieldsOf } from "../../src/rpc/protocol_overlay.ts";
import { loadStringLength } from "../../src/rpc/string_length.ts";
import { FAMILY_CHECKS_DIR, familyCheckSources, overlaidSchema } from "../../tools/gen_protocol_checks.ts";
import { prng } from "../support/prng.ts";

/** TypeBox's length rule, as the validators load it. */
const LENGTHS = await loadStringLength();

/** The package's validator of that name, with its schema. */
function packageGuard(name: string): { guard: (value: unknown) => boolean; schema: unknown } {
  const guard: unknown = Reflect.get(Protocol, name);
  if (typeof guard !== "function") throw new Error(`the package has no ${name}`);
  return { guard: (value) => Boolean(Reflect.apply(guard, undefined, [value])), schema: Reflect.get(guard, "schema") };
}

/** A value the newer field's bounds allow. */
function fitting(field: NewerField): unknown {
  if (field.values) return field.values[0];
  if (field.kind === "boolean") return true;
  if (field.kind === "integer") return field.minimum ?? 1;
  return "a".repeat(field.minLength ?? 1);
}

/**
 * The package's validator plus the overlay, decided apart from the generated code: the newer fields
 * each pass their own check (src/rpc/protocol_overlay.ts) and the package's guard accepts the rest.
 */
function packagePlusOverlay(name: string): (value: unknown) => boolean {
  const { guard } = packageGuard(name);
  const newer = newerFieldsOf(name);
  return (value) => {
    if (typeof value !== "object" || value === null || Array.isArray(value)) return guard(value);
    const rest = Object.fromEntries(Object.entries(value).filter(([key]) => !Object.hasOwn(newer, key)));
    const newerOk = Object.entries(value).every(([key, field]) =>
      !Object.hasOwn(newer, key) || newerFieldProblem(newer[key]!, field, LENGTHS) === undefined
    );
    return newerOk && guard(rest);
  };
}

const ODD: unknown[] = [null, undefined, 0, -1, 1.5, 2 ** 53, NaN, "", "x", "a".repeat(600), true, [], [1, "a"], {}, {
  x: 1,
}];

/** What a schema names anywhere in it: its property names, and values at the edges of its bounds, and its literals. */
function schemaEdges(schema: unknown): { names: string[]; values: unknown[] } {
  const names = new Set<string>(), lengths = new Set<number>(), bounds = new Set<number>(), values: unknown[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (typeof node !== "object" || node === null) return;
    for (const [key, child] of Object.entries(node)) {
      if (key === "properties" && typeof child === "object" && child !== null) {
        Object.keys(child).forEach((n) => names.add(n));
      }
      if (["minLength", "maxLength", "minItems", "maxItems"].includes(key) && typeof child === "number") {
        lengths.add(child);
      }
      if (/^(exclusiveM|m)(in|ax)imum$/.test(key) && typeof child === "number") bounds.add(child);
      // A pattern's counted repeats (`.{1,256}`) are lengths too, in code points under its `u` flag.
      if (key === "pattern" && typeof child === "string") {
        for (const [, low, high] of child.matchAll(/\{(\d+)(?:,(\d+))?\}/g)) {
          [low, high].forEach((n) => n && lengths.add(Number(n)));
        }
      }
      if (key === "const") values.push(child);
      if (key === "enum" && Array.isArray(child)) values.push(...child);
      walk(child);
    }
  };
  walk(schema);
  // TypeBox counts a string's length in graphemes: n emoji are 2n UTF-16 units, n accented letters 2n code points.
  for (const length of lengths) {
    for (const n of [length - 1, length, length + 1].filter((n) => n >= 0 && n <= 5000)) {
      values.push("a".repeat(n), "\u{1F600}".repeat(n), "e\u0301".repeat(n), "\u{1F44D}\u{1F3FD}".repeat(n));
      if (n <= 64) values.push(Array(n).fill("a"), Array(n).fill("\u{1F600}"));
    }
  }
  for (const bound of bounds) values.push(bound - 1, bound - 0.5, bound, bound + 0.5, bound + 1);
  // For the patterns: astral characters, lone surrogates, dots and separators.
  values.push("\u{1F600}", "a\u{1F600}b", "\uD83D", "a\uDE00", ".", "..", "a/b", "a b", "A-z_0.9", "[x]", "-1", "1e3");
  // Each string also as an array's only item (string arrays with item bounds or patterns).
  values.push(...values.filter((v) => typeof v === "string").map((v) => [v]));
  return { names: [...names], values };
}

/**
 * `value` with one to three random changes: a key dropped, added (any name the schema knows, or another) or given an
 * odd value (one of {@link ODD} or of the schema's edges), at any depth.
 */
function mutate(
  value: unknown,
  next: () => number,
  edges: { names: string[]; values: unknown[] } = { names: [], values: [] },
): unknown {
  const copy = structuredClone(value);
  const pick = <T>(items: T[]): T => items[Math.floor(next() * items.length)]!;
  const pool = [...ODD, ...edges.values];
  // A fresh copy each time: an odd value placed twice must not become one shared (or circular) object.
  const odd = () => structuredClone(pick(pool));
  const changes = 1 + Math.floor(next() * 3);
  let root = copy;
  for (let i = 0; i < changes; i++) {
    if (typeof root !== "object" || root === null) return odd();
    let node = root as Record<string, unknown>;
    for (let depth = 0; depth < 3; depth++) {
      const child = Object.values(node).filter((v) => typeof v === "object" && v !== null);
      if (child.length === 0 || next() < 0.5) break;
      node = pick(child) as Record<string, unknown>;
    }
    const keys = Object.keys(node);
    const roll = next();
    if (roll < 0.25 && keys.length > 0) delete node[pick(keys)];
    else if (roll < 0.4) node[pick(["extra", "x", "__proto_", "0", ...edges.names, ...edges.names])] = odd();
    else if (keys.length > 0) node[pick(keys)] = odd();
    else root = next() < 0.5 ? odd() : root;
  }
  return root;
}

Deno.test("family checks: src/rpc/checks/ is what tools/gen_protocol_checks.ts makes of the installed package", async () => {
  const expected = await familyCheckSources();
  const present = (await Array.fromAsync(Deno.readDir(FAMILY_CHECKS_DIR))).map((entry) => entry.name).sort();
  assert.deepEqual(present, [...expected.keys()].sort(), "regenerate: deno run -A tools/gen_protocol_checks.ts");
  for (const [name, text] of expected) {
    assert.equal(await Deno.readTextFile(new URL(name, FAMILY_CHECKS_DIR)), text, `${name} is stale: regenerate`);
  }
});

Deno.test("family checks: each precompiled check decides fuzzed params exactly as the package's validator plus the overlay", async () => {
  const next = prng(23);
  let accepted = 0, refused = 0, newerAccepted = 0;
  for (const [name, load] of Object.entries(FAMILY_CHECKS)) {
    const check = await load();
    const guard = packagePlusOverlay(name);
    // Fuzzed from the overlaid schema: its newer fields' names and bounds are mutated in too.
    const schema = overlaidSchema(name);
    const newer = Object.keys(newerFieldsOf(name));
    let base: unknown = {};
    try {
      base = Value.Create(schema as never);
    } catch {
      // Some schemas have no default value; mutations of {} still cover their refusals.
    }
    const edges = schemaEdges(schema);
    // The base with each newer field set to a value its bounds allow, and those mutated.
    const withNewer = newer.map((key) => ({ ...(base as object), [key]: fitting(newerFieldsOf(name)[key]!) }));
    const samples = [
      base,
      ...ODD,
      ...withNewer,
      ...withNewer.flatMap((sample) => Array.from({ length: 40 }, () => mutate(sample, next, edges))),
      ...Array.from({ length: 1200 }, () => mutate(base, next, edges)),
    ];
    for (const [index, sample] of samples.entries()) {
      const verdict = guard(sample);
      if (check(sample) !== verdict) {
        assert.fail(`${name}, sample ${index}: package ${verdict}, precompiled ${!verdict}: ${Deno.inspect(sample)}`);
      }
      verdict ? accepted++ : refused++;
      const named = typeof sample === "object" && sample !== null && newer.some((key) => Object.hasOwn(sample, key));
      if (verdict && named) newerAccepted++;
    }
  }
  assert.ok(Object.keys(FAMILY_CHECKS).length > 100, "every family's validators are precompiled");
  assert.ok(accepted > 1000 && refused > 1000, `both outcomes sampled (${accepted} accepted, ${refused} refused)`);
  assert.ok(newerAccepted > 50, `params with newer fields accepted (${newerAccepted})`);
});

Deno.test("family checks: a refused request still gets the package's words, an accepted one its value", async () => {
  const validators = new ProtocolValidators();
  assert.deepEqual(await validators.check("validateSessionsListParams", { limit: 3 }), {
    ok: true,
    value: { limit: 3 },
  });
  const { guard } = packageGuard("validateSessionsListParams");
  assert.equal(guard({ limit: "three" }), false);
  assert.equal(
    await validators.problem("validateSessionsListParams", { limit: "three" }),
    Protocol.formatValidationErrors(Protocol.validateSessionsListParams.errors),
  );
});

Deno.test("family checks: a newer field of the reference 2026.9.6 passes, and is refused in the package's words when bad", async () => {
  const validators = new ProtocolValidators();
  const { guard } = packageGuard("validateSessionsDescribeParams");
  assert.equal(guard({ key: "main", agentId: "ops" }), false, "the package alone refuses agentId");
  assert.deepEqual(await validators.check("validateSessionsDescribeParams", { key: "main", agentId: "ops" }), {
    ok: true,
    value: { key: "main", agentId: "ops" },
  });
  assert.equal(
    await validators.problem("validateSessionsDescribeParams", { key: "main", agentId: "" }),
    "at /agentId: must not have fewer than 1 characters",
  );
  assert.equal(
    await validators.problem("validateSessionsListParams", { excludeCron: "yes" }),
    "at /excludeCron: must be boolean",
  );
  // A field neither version knows is still the package's refusal.
  assert.equal(
    await validators.problem("validateSessionsDescribeParams", { key: "main", agentId: "ops", nope: 1 }),
    "at root: unexpected property 'nope'",
  );
});
