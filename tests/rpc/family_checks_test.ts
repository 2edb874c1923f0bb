import assert from "node:assert/strict";
import * as Protocol from "@openclaw/gateway-protocol";
import { Value } from "typebox/value";
import { FAMILY_CHECKS } from "../../src/rpc/checks/index_gen.ts";
import { ProtocolValidators } from "../../src/rpc/validators.ts";
import { FAMILY_CHECKS_DIR, familyCheckSources } from "../../tools/gen_protocol_checks.ts";

/** The package's validator of that name, with its schema. */
function packageGuard(name: string): { guard: (value: unknown) => boolean; schema: unknown } {
  const guard: unknown = Reflect.get(Protocol, name);
  if (typeof guard !== "function") throw new Error(`the package has no ${name}`);
  return { guard: (value) => Boolean(Reflect.apply(guard, undefined, [value])), schema: Reflect.get(guard, "schema") };
}

/** A small deterministic generator (mulberry32), so a failure names a sample that reproduces. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ODD: unknown[] = [null, undefined, 0, -1, 1.5, 2 ** 53, NaN, "", "x", "a".repeat(600), true, [], [1, "a"], {}, {
  x: 1,
}];

/** `value` with one to three random changes: a key dropped, added or given an odd value, at any depth. */
function mutate(value: unknown, next: () => number): unknown {
  const copy = structuredClone(value);
  const pick = <T>(items: T[]): T => items[Math.floor(next() * items.length)]!;
  // A fresh copy each time: an odd value placed twice must not become one shared (or circular) object.
  const odd = () => structuredClone(pick(ODD));
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
    else if (roll < 0.4) node[pick(["extra", "x", "__proto_", "0"])] = odd();
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
  const next = random(23);
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
    const samples = [base, ...ODD, ...Array.from({ length: 400 }, () => mutate(base, next))];
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
