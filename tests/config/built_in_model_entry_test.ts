import assert from "node:assert/strict";
import { builtInModelEntry } from "../../src/config/built_in_model_entry.ts";

Deno.test("builtInModelEntry() gives a manifest model its window and the anthropic plugin's thinking profile", () => {
  const opus = builtInModelEntry({ provider: "anthropic", model: "claude-opus-5" });
  assert.equal(opus?.contextWindow, 1_000_000);
  assert.equal(opus?.contextTokens, undefined);
  assert.equal(opus?.reasoning, true);
  assert.deepEqual(opus?.thinking, {
    levels: ["off", "minimal", "low", "medium", "adaptive", "high", "xhigh", "max"],
    defaultLevel: "high",
  });
  const haiku = builtInModelEntry({ provider: "anthropic", model: "claude-haiku-4-5" });
  assert.deepEqual([haiku?.contextWindow, haiku?.thinking?.defaultLevel], [200_000, "medium"]);
});

Deno.test("builtInModelEntry() knows the model a provider resolves beyond its manifest, and an OpenAI row's runtime cap", () => {
  const sonnet = builtInModelEntry({ provider: "anthropic", model: "claude-sonnet-4-6" });
  assert.deepEqual([sonnet?.contextTokens, sonnet?.thinking?.defaultLevel], [1_000_000, "adaptive"]);
  const astra = builtInModelEntry({ provider: "openai", model: "gpt-6-astra" });
  assert.deepEqual([astra?.contextWindow, astra?.contextTokens], [1_050_000, 272_000]);
});

Deno.test("builtInModelEntry() knows nothing of a model no built-in catalog lists", () => {
  assert.equal(builtInModelEntry({ provider: "anthropic", model: "claude-unknown-9" }), undefined);
  assert.equal(builtInModelEntry({ provider: "fake", model: "m1" }), undefined);
});
