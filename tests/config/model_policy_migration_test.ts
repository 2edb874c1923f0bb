import assert from "node:assert/strict";
import JSON5 from "json5";
import { resolveModelTarget, setPrimary } from "../../src/config/model_selection.ts";
import { isValidPolicyEntry, materializePolicyMigration } from "../../src/config/model_policy_migration.ts";

const base = { agents: { defaults: { model: { primary: "local/m1" } } } };

Deno.test("a write of a config without a restriction marks the migration (what the reference's models set writes)", () => {
  const next = { agents: { defaults: { model: { primary: "local/m2" }, models: { "local/m2": {} } } } };
  assert.deepEqual(materializePolicyMigration(base, next), {
    ...next,
    meta: { migrations: { modelPolicyAllowlist: true } },
  });
});

Deno.test("a legacy restriction of the config before the write becomes modelPolicy.allow", () => {
  const previous = { agents: { defaults: { models: { "local/m1": { alias: "one" }, "other/*": {} } } } };
  const next = { agents: { defaults: { models: { "local/m1": { alias: "one" }, "other/*": {}, "local/m2": {} } } } };
  const written = materializePolicyMigration(previous, next) as { agents: { defaults: Record<string, unknown> } };
  assert.deepEqual(written.agents.defaults.modelPolicy, { allow: ["local/m1", "other/*"] });
  assert.deepEqual((written as Record<string, unknown>).meta, { migrations: { modelPolicyAllowlist: true } });
});

Deno.test("a restriction with an entry that is no valid policy ref is left as written and a stale marker dropped", () => {
  const previous = { agents: { defaults: { models: { "bare-id": {} } } } };
  const next = { ...previous, meta: { migrations: { modelPolicyAllowlist: true, other: true } } };
  assert.deepEqual(materializePolicyMigration(previous, next), { ...previous, meta: { migrations: { other: true } } });
  assert.equal(isValidPolicyEntry("one", { "a/b": { alias: "One" } }), true);
  assert.equal(isValidPolicyEntry("openrouter:free", {}), true);
  assert.equal(isValidPolicyEntry("a/b c", {}), false);
  assert.equal(isValidPolicyEntry("a//b", {}), false);
});

Deno.test("a marked config or one whose write keeps its modelPolicy is only marked", () => {
  const marked = { ...base, meta: { migrations: { modelPolicyAllowlist: true } } };
  assert.deepEqual(materializePolicyMigration(marked, marked), marked);
  const withPolicy = { agents: { defaults: { modelPolicy: { allow: ["x/*"] }, models: { "a/b": {} } } } };
  assert.deepEqual(materializePolicyMigration(withPolicy, withPolicy), {
    ...withPolicy,
    meta: { migrations: { modelPolicyAllowlist: true } },
  });
});

Deno.test("models set on a legacy-restricted config writes the reference's recorded tree, key order included", async () => {
  const text = await Deno.readTextFile(
    new URL("../fixtures/model_policy/legacy_models_set_recording.txt", import.meta.url),
  );
  const before = JSON5.parse(text.split("=== config before\n")[1]!.split("=== output")[0]!);
  const after = JSON.parse(text.split("=== config after\n")[1]!);
  const written = materializePolicyMigration(
    before,
    setPrimary(before, "model", resolveModelTarget(before, "local/m2")),
  );
  // The reference's own stamps (utilityModelSeparation, lastTouchedVersion) are not written here.
  const expected = { ...after, meta: { migrations: { modelPolicyAllowlist: true } } };
  assert.equal(JSON.stringify(written, null, 2), JSON.stringify(expected, null, 2));
});
