import assert from "node:assert/strict";
import { RawConfigSchema } from "../../src/config/schema.ts";
import { credentialKeyNames, sensitiveLeaves } from "../../src/config/sensitive.ts";
import * as Oracle from "../support/sensitive_zod_oracle.ts";
import { ConfigFuzz } from "../support/config_fuzz.ts";

// The secret walk over the generated shape table against the walk over the zod schema it replaced
// (tests/support/sensitive_zod_oracle.ts, main f2fadef word for word): the same leaves, in the same
// order, on fuzzed configs valid or not, and the same credential key names.

Deno.test("sensitive: the same leaves as the walk over the zod schema (differential fuzz)", () => {
  const fuzz = new ConfigFuzz(7);
  const sections = Object.keys(RawConfigSchema.shape) as (keyof typeof RawConfigSchema.shape)[];
  let compared = 0;
  let withSecrets = 0;
  for (let i = 0; i < 6000; i++) {
    const config = i % 2 === 0
      ? fuzz.value(RawConfigSchema)
      : { [sections[i % sections.length]!]: fuzz.value(RawConfigSchema.shape[sections[i % sections.length]!]) };
    let expected;
    try {
      expected = Oracle.sensitiveLeaves(config);
    } catch {
      // The old walk threw on a key named like an Object.prototype member (see the next test).
      continue;
    }
    compared++;
    if (expected.length > 0) withSecrets++;
    assert.deepStrictEqual(sensitiveLeaves(config), expected, JSON.stringify(config));
  }
  assert.ok(compared > 4000 && withSecrets > 1000, `compared ${compared}, ${withSecrets} with secrets`);
});

Deno.test("sensitive: the same credential key names as the zod schema's marks", () => {
  assert.deepEqual(credentialKeyNames(), Oracle.credentialKeyNames());
});

Deno.test("sensitive: a key named like an Object.prototype member is walked by its name (the zod walk threw)", () => {
  const config = { logging: { toString: "x" }, models: { constructor: { apiKey: "sk-1" } } };
  assert.throws(() => Oracle.sensitiveLeaves(config));
  assert.deepEqual(sensitiveLeaves(config), [{ path: ["models", "constructor", "apiKey"], value: "sk-1" }]);
});
