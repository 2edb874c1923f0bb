import assert from "node:assert/strict";
import * as Protocol from "@openclaw/gateway-protocol";
import { Value } from "typebox/value";
import { FAMILY_CHECKS } from "../../src/rpc/checks/index_gen.ts";
import { ProtocolValidators } from "../../src/rpc/validators.ts";
import { FAMILY_CHECKS_DIR, familyCheckSources } from "../../tools/gen_protocol_checks.ts";
import { prng } from "../support/prng.ts";

/** The package's validator of that name, with its schema. */
function packageGuard(name: string): { guard: (value: unknown) => boolean; schema: unknown } {
  const guard: unknown = Reflect.get(Protocol, name);
  if (typeof guard !== "function") throw new Error(`the package has no ${name}`);
  return { guard: (value) => Boolean(Reflect.apply(guard, undefined, [value])), schema: Reflect.get(guard, "schema") };
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

Deno.test("family checks: each precompiled check decides fuzzed params exactly as the package's validator", async () => {
  const next = prng(23);
  let accepted = 0, refused = 0;
  for (const [name, load] of Object.entries(FAMILY_CHECKS)) {
    const check = await load();
    const { guard, schema } = packageGuard(name);
    let base: unknown = {};
    try {
      base = Value.Create(schema as never);
    } catch {
      // Some schemas have no default value; mutations of {} still cover their refusals.
    }
    const edges = schemaEdges(schema);
    const samples = [base, ...ODD, ...Array.from({ length: 1200 }, () => mutate(base, next, edges))];
    for (const [index, sample] of samples.entries()) {
      const verdict = guard(sample);
      if (check(sample) !== verdict) {
        assert.fail(`${name}, sample ${index}: package ${verdict}, precompiled ${!verdict}: ${Deno.inspect(sample)}`);
      }
      verdict ? accepted++ : refused++;
    }
  }
  assert.ok(Object.keys(FAMILY_CHECKS).length > 100, "every family's validators are precompiled");
  assert.ok(accepted > 1000 && refused > 1000, `both outcomes sampled (${accepted} accepted, ${refused} refused)`);
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
