import assert from "node:assert/strict";
import {
  addAlias,
  addFallback,
  clearFallbacks,
  configuredAliases,
  fallbacksOf,
  inspectSelection,
  ModelSelectionError,
  removeAlias,
  removeFallback,
  resolveModelTarget,
  setPrimary,
} from "../../src/config/model_selection.ts";

const TREE = {
  models: { providers: { local: { baseUrl: "http://127.0.0.1:9/v1", models: [{ id: "m1" }, { id: "m2" }] } } },
  agents: { defaults: { model: "local/m1", models: { "local/m2": { alias: "fast" } } } },
};

Deno.test("a model input resolves through aliases (any case), provider/model, or a bare id under openai", () => {
  assert.deepEqual(resolveModelTarget(TREE, "FAST"), { provider: "local", model: "m2" });
  assert.deepEqual(resolveModelTarget(TREE, "Local/m1"), { provider: "local", model: "m1" });
  assert.deepEqual(resolveModelTarget(TREE, "m2"), { provider: "openai", model: "m2" });
  assert.throws(() => resolveModelTarget(TREE, ""), /^ModelSelectionError: Invalid model reference: $/);
  assert.throws(() => resolveModelTarget(TREE, "local/"), ModelSelectionError);
});

Deno.test("a selection's provider must be configured; an uncatalogued id is saved with the reference's warning", () => {
  assert.throws(() => inspectSelection(TREE, { provider: "nope", model: "x" }), /Unknown model provider "nope"/);
  assert.equal(inspectSelection(TREE, { provider: "local", model: "m1" }), undefined);
  assert.match(inspectSelection(TREE, { provider: "local", model: "zz" }) ?? "", /^Warning: Model "local\/zz"/);
});

Deno.test("set keeps a string default's shape as {primary} and adds the key's entry", () => {
  const next = setPrimary(TREE, "model", { provider: "local", model: "m2" });
  const defaults = (next.agents as { defaults: Record<string, unknown> }).defaults;
  assert.deepEqual(defaults.model, { primary: "local/m2" });
  assert.deepEqual(defaults.models, { "local/m2": { alias: "fast" } });
});

Deno.test("aliases: add moves an alias, a taken one is refused, remove drops it or names the miss", () => {
  const added = addAlias(TREE, "slow", { provider: "local", model: "m1" });
  assert.deepEqual(configuredAliases(added), [["fast", "local/m2"], ["slow", "local/m1"]]);
  assert.throws(
    () => addAlias(TREE, "Fast", { provider: "local", model: "m1" }),
    /Alias Fast already points to local\/m2\./,
  );
  assert.deepEqual(configuredAliases(removeAlias(added, "fast")), [["slow", "local/m1"]]);
  assert.throws(() => removeAlias(TREE, "nope"), /^ModelSelectionError: Alias not found: nope\./);
});

Deno.test("fallbacks: add once (by resolved key), remove by alias, clear to []", () => {
  const once = addFallback(addFallback(TREE, "model", { provider: "local", model: "m2" }), "model", {
    provider: "local",
    model: "m2",
  });
  assert.deepEqual(fallbacksOf(once, "model"), ["local/m2"]);
  assert.deepEqual(fallbacksOf(removeFallback(once, "model", resolveModelTarget(once, "fast")), "model"), []);
  assert.throws(
    () => removeFallback(TREE, "imageModel", { provider: "a", model: "b" }),
    /^ModelSelectionError: Image fallback not found: a\/b\./,
  );
  assert.deepEqual(fallbacksOf(clearFallbacks(once, "model"), "model"), []);
});

Deno.test("a field the command writes keeps its refs as the reference stores them: trimmed, provider lowercased", () => {
  const tree = { agents: { defaults: { model: { primary: " Local/M1", fallbacks: ["Local/M2", "fast", 7] } } } };
  const target = { provider: "local", model: "m3" };
  const field = (next: Record<string, unknown>) =>
    (next.agents as { defaults: Record<string, unknown> }).defaults.model;
  // Recorded: the reference's `fallbacks add`/`remove`/`set` rewrite `Local/M2` as `local/M2`, aliases untouched.
  assert.deepEqual(field(addFallback(tree, "model", target)), {
    primary: "local/M1",
    fallbacks: ["local/M2", "fast", "local/m3"],
  });
  assert.deepEqual(field(setPrimary(tree, "model", target)), {
    primary: "local/m3",
    fallbacks: ["local/M2", "fast", 7],
  });
  assert.deepEqual(field(clearFallbacks(tree, "model")), { primary: "local/M1", fallbacks: [] });
});

Deno.test("an entry under another spelling of the selected key is folded into the canonical one", () => {
  const tree = { agents: { defaults: { models: { "Local/m2": { alias: "fast", params: { a: 1 } }, "x/y": {} } } } };
  const models = (next: Record<string, unknown>) =>
    (next.agents as { defaults: Record<string, unknown> }).defaults.models;
  // Recorded: the reference's `models set local/m2` leaves one `local/m2` entry carrying `fast`.
  assert.deepEqual(models(setPrimary(tree, "model", { provider: "local", model: "m2" })), {
    "x/y": {},
    "local/m2": { alias: "fast", params: { a: 1 } },
  });
  // ...and `aliases add quick local/m2` gives the model one alias, not two.
  const aliased = addAlias(tree, "quick", { provider: "local", model: "m2" });
  assert.deepEqual(configuredAliases(aliased), [["quick", "local/m2"]]);
});

Deno.test("aliases remove of a built-in alias whose model is listed without one names it as built-in", () => {
  const tree = { agents: { defaults: { models: { "anthropic/claude-opus-5": {} } } } };
  // Recorded from the reference's `models aliases remove opus` on this config.
  assert.throws(
    () => removeAlias(tree, "opus"),
    /^ModelSelectionError: Cannot remove "opus": it is a built-in alias for "anthropic\/claude-opus-5" provided automatically by OpenClaw and is not stored in your config file\. To shadow it with a different target, run openclaw models aliases add opus <model>\.$/,
  );
  assert.throws(() => removeAlias(tree, "sonnet"), /^ModelSelectionError: Alias not found: sonnet\./);
});

Deno.test("a ${VAR} ref in a written field stays as written", () => {
  const tree = { agents: { defaults: { model: { primary: "${PROV}/m1", fallbacks: ["${PROV}/m1"] } } } };
  const field = (next: Record<string, unknown>) =>
    (next.agents as { defaults: Record<string, unknown> }).defaults.model;
  // Recorded: the reference's `fallbacks add local/m2` (PROV=local) keeps `${PROV}/m1` in both places.
  assert.deepEqual(field(addFallback(tree, "model", { provider: "local", model: "m2" })), {
    primary: "${PROV}/m1",
    fallbacks: ["${PROV}/m1", "local/m2"],
  });
});
