import assert from "node:assert/strict";
import {
  allowedModelKeys,
  boundedDistance,
  resetModelHint,
  resolveModelDirective,
} from "../../src/agent/model_directive.ts";
import { openModelPolicy, resolveModelPolicy } from "../../src/config/model_policy.ts";
import type { RawConfig } from "../../src/config/schema.ts";

const catalog = [
  { provider: "fake", model: "m1" },
  { provider: "fake", model: "m2-mini" },
  { provider: "fake", model: "gpt-large" },
  { provider: "other", model: "o1" },
  { provider: "other", model: "o2" },
];
const defaultRef = { provider: "fake", model: "m1" };
const open = { policy: openModelPolicy(), catalog, defaultRef };

function restricted(allow: string[], models: Record<string, unknown> = {}) {
  const config = { agents: { defaults: { modelPolicy: { allow }, models } } } as RawConfig;
  return { policy: resolveModelPolicy(config, "main", "fake"), catalog, defaultRef };
}

const chosen = (result: ReturnType<typeof resolveModelDirective>) =>
  "selection" in result ? `${result.selection.provider}/${result.selection.model}` : result.error;

Deno.test("boundedDistance() counts edits and gives up past the bound", () => {
  assert.equal(boundedDistance("o1", "o1", 3), 0);
  assert.equal(boundedDistance("o1", "o2", 3), 1);
  assert.equal(boundedDistance("kitten", "sitting", 3), 3);
  assert.equal(boundedDistance("m2", "gpt-large", 3), null);
  assert.equal(boundedDistance("", "abc", 3), null);
});

Deno.test("/model takes an explicit provider/model as written and finds a loosely written one", () => {
  assert.equal(chosen(resolveModelDirective("fake/m2-mini", open)), "fake/m2-mini");
  // An unlisted model on a named provider is taken as written when the policy allows it.
  assert.equal(chosen(resolveModelDirective("other/o", open)), "other/o");
  assert.equal(chosen(resolveModelDirective("m2", open)), "fake/m2-mini");
  assert.equal(chosen(resolveModelDirective("mini", open)), "fake/m2-mini");
  assert.equal(chosen(resolveModelDirective("large", open)), "fake/gpt-large");
  // A bare id of another provider: matched by score, not taken as the default provider's model.
  assert.equal(chosen(resolveModelDirective("o1", open)), "other/o1");
  // Nothing close: a bare id lands on the default provider.
  assert.equal(chosen(resolveModelDirective("zzz", open)), "fake/zzz");
});

Deno.test("/model under a list: forbidden explicit refs are refused with the repair path; fuzzy stays inside the list", () => {
  const ctx = restricted(["fake/m1", "other/o1"], { "fake/m1": { alias: "one" } });
  assert.deepEqual(resolveModelDirective("one", ctx), {
    selection: { provider: "fake", model: "m1", isDefault: true, alias: "one" },
  });
  assert.equal(
    chosen(resolveModelDirective("fake/m2-mini", ctx)),
    'Model "fake/m2-mini" is not allowed. Use /models to list providers, or /models <provider> to list models.\n' +
      'Add "fake/m2-mini" or its provider wildcard to agents.defaults.modelPolicy.allow.\n' +
      "Then retry: /model fake/m2-mini",
  );
  // "other/o2" is forbidden, but o1 of the same provider is within the edit bound.
  assert.equal(chosen(resolveModelDirective("other/o2", ctx)), "other/o1");
  assert.equal(chosen(resolveModelDirective("other", ctx)), "other/o1");
});

Deno.test("allowedModelKeys() expands wildcards over the catalog and keeps exact entries", () => {
  const ctx = restricted(["fake/*", "other/o9"]);
  assert.deepEqual(
    [...allowedModelKeys(ctx.policy, catalog, defaultRef)].sort(),
    ["fake/*", "fake/gpt-large", "fake/m1", "fake/m2-mini", "other/o9"],
  );
  assert.deepEqual(
    [...allowedModelKeys(open.policy, catalog, { provider: "x", model: "y" })].sort(),
    ["fake/gpt-large", "fake/m1", "fake/m2-mini", "other/o1", "other/o2", "x/y"],
  );
});

Deno.test("resetModelHint() reads `provider model`, aliases and explicit refs; ordinary words stay text", () => {
  const ctx = { ...restricted(["fake/*"], { "fake/m1": { alias: "one" } }), providers: ["fake", "other"] };
  assert.deepEqual(resetModelHint(["fake", "m2-mini", "hi"], ctx), {
    ref: { provider: "fake", model: "m2-mini" },
    consumed: 2,
  });
  assert.deepEqual(resetModelHint(["one", "hi"], ctx), { ref: { provider: "fake", model: "m1" }, consumed: 1 });
  assert.equal(resetModelHint(["other/o1", "hi"], ctx), undefined, "outside the list");
  assert.equal(resetModelHint(["hello", "there"], ctx), undefined);
  assert.equal(resetModelHint(["unknown/x"], { ...open, providers: ["fake", "other"] }), undefined);
});
