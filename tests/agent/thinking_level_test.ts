import assert from "node:assert/strict";
import {
  explicitThinkingLevel,
  normalizeThinkLevel,
  resolveThinkingLevel,
  supportedLevel,
  thinkingProfile,
  thinkingRequest,
  thinkingView,
} from "../../src/agent/thinking_level.ts";

Deno.test("normalizeThinkLevel() reads the reference's levels and aliases", () => {
  const cases: [string, string | undefined][] = [
    ["off", "off"],
    ["none", "off"],
    ["on", "low"],
    ["think", "minimal"],
    ["min", "minimal"],
    ["think-hard", "low"],
    ["MED", "medium"],
    ["harder", "medium"],
    ["ultrathink", "high"],
    ["highest", "high"],
    ["x-high", "xhigh"],
    ["extra high", "xhigh"],
    ["auto", "adaptive"],
    ["max", "max"],
    ["big", undefined],
    ["", undefined],
  ];
  for (const [raw, level] of cases) assert.equal(normalizeThinkLevel(raw), level, raw);
  assert.equal(normalizeThinkLevel(3), undefined);
});

Deno.test("a reasoning model offers the base levels (medium by default); any other model only off", () => {
  assert.deepEqual(thinkingProfile({ reasoning: true }), {
    levels: ["off", "minimal", "low", "medium", "high"],
    defaultLevel: "medium",
  });
  assert.deepEqual(thinkingProfile({ reasoning: false }), { levels: ["off"], defaultLevel: "off" });
  assert.deepEqual(thinkingProfile(undefined).levels, ["off"]);
  const base = thinkingProfile({ reasoning: true });
  assert.equal(supportedLevel(base, "xhigh"), "high");
  assert.equal(supportedLevel(base, "max"), "high");
  assert.equal(supportedLevel(base, "adaptive"), "medium");
  assert.equal(supportedLevel(thinkingProfile(undefined), "high"), "off");
});

Deno.test("resolveThinkingLevel(): the run's own level, else the session's, else the configured one, else the model's", () => {
  const reasoning = { reasoning: true };
  assert.equal(resolveThinkingLevel({ request: "low", session: "high", configured: "minimal" }, reasoning), "low");
  assert.equal(resolveThinkingLevel({ request: "nonsense", session: "high" }, reasoning), "high");
  assert.equal(resolveThinkingLevel({ configured: "minimal" }, reasoning), "minimal");
  assert.equal(resolveThinkingLevel({}, reasoning), "medium");
  assert.equal(resolveThinkingLevel({ session: "high" }, { reasoning: false }), "off");
});

Deno.test("levels map to reasoning_effort (only where the model declares it) and to Anthropic budgets inside maxTokens", () => {
  const effort = { supportsReasoningEffort: true };
  assert.deepEqual(thinkingRequest("openai", "off", effort), {});
  assert.deepEqual(thinkingRequest("anthropic", "off", undefined), {});
  for (const level of ["minimal", "low", "medium", "high"] as const) {
    assert.deepEqual(thinkingRequest("openai", level, effort), {
      providerOptions: { openaiCompatible: { reasoningEffort: level } },
    });
  }
  // A custom endpoint gets no reasoning_effort unless its model says it takes one, as the reference.
  assert.deepEqual(thinkingRequest("openai", "high", { supportsReasoningEffort: false }), {});
  assert.deepEqual(thinkingRequest("openai", "high", undefined), {});
  const budgets = { minimal: 1024, low: 2048, medium: 8192, high: 16384, xhigh: 16384, max: 32768 } as const;
  for (const [level, budgetTokens] of Object.entries(budgets)) {
    assert.deepEqual(thinkingRequest("anthropic", level as keyof typeof budgets, { maxTokens: 64_000 }), {
      providerOptions: { anthropic: { thinking: { type: "enabled", budgetTokens } } },
      maxOutputTokens: 64_000 - budgetTokens,
    });
  }
  // Inside the default 8192 (the reference: max_tokens 8192, budget 7168 at medium).
  assert.deepEqual(thinkingRequest("anthropic", "medium", undefined), {
    providerOptions: { anthropic: { thinking: { type: "enabled", budgetTokens: 7168 } } },
    maxOutputTokens: 1024,
  });
  assert.deepEqual(thinkingRequest("anthropic", "low", { maxTokens: 4096 }), {
    providerOptions: { anthropic: { thinking: { type: "enabled", budgetTokens: 2048 } } },
    maxOutputTokens: 2048,
  });
  assert.deepEqual(thinkingRequest("anthropic", "high", { maxTokens: 1500 }), {}, "no room for a budget: off");
});

Deno.test("thinkingView(): the levels, options and default rows and model lists show", () => {
  assert.deepEqual(thinkingView({ reasoning: false }), {
    thinkingLevels: [{ id: "off", label: "off" }],
    thinkingOptions: ["off"],
    thinkingDefault: "off",
  });
  const view = thinkingView({ reasoning: true }, "ultrathink");
  assert.deepEqual(view.thinkingOptions, ["off", "minimal", "low", "medium", "high"]);
  assert.equal(view.thinkingDefault, "high");
});

Deno.test("explicitThinkingLevel: an agent request's level is checked against the model in the reference's words", () => {
  const ref = { provider: "p", model: "m" };
  assert.deepEqual(explicitThinkingLevel("ultrathink", { reasoning: true }, ref), { level: "high" });
  assert.deepEqual(explicitThinkingLevel("banana", { reasoning: true }, ref), {
    error: "Invalid thinking level. Use one of: off, minimal, low, medium, high.",
  });
  assert.deepEqual(explicitThinkingLevel("high", undefined, ref), {
    error: 'Thinking level "high" is not supported for p/m. Use one of: off.',
  });
  assert.deepEqual(explicitThinkingLevel("off", undefined, ref), { level: "off" });
});

Deno.test("a provider plugin's thinking profile wins over the generic reasoning rule, for views and runs", () => {
  const opus = {
    reasoning: true,
    thinking: { levels: ["off", "minimal", "low", "medium", "adaptive", "high", "xhigh", "max"], defaultLevel: "high" },
  };
  assert.deepEqual(thinkingProfile(opus), { levels: opus.thinking.levels, defaultLevel: "high" });
  assert.equal(thinkingView(opus).thinkingDefault, "high");
  assert.deepEqual(thinkingView(opus).thinkingOptions, opus.thinking.levels);
  // A run with nothing chosen takes the plugin's default; a session's or agent's level still wins.
  assert.equal(resolveThinkingLevel({}, opus), "high");
  assert.equal(resolveThinkingLevel({ configured: "low" }, opus), "low");
  assert.equal(resolveThinkingLevel({ session: "xhigh", configured: "low" }, opus), "xhigh");
  // Effort-only models (no `off`): an unoffered level falls to the nearest lower one offered.
  const effort = {
    reasoning: true,
    thinking: { levels: ["low", "medium", "high", "xhigh", "max"], defaultLevel: "medium" },
  };
  assert.equal(resolveThinkingLevel({}, effort), "medium");
  assert.equal(resolveThinkingLevel({ configured: "minimal" }, effort), "low");
  assert.deepEqual(explicitThinkingLevel("off", effort, { provider: "anthropic", model: "claude-opus-5-5" }), {
    error:
      'Thinking level "off" is not supported for anthropic/claude-opus-5-5. Use one of: low, medium, high, xhigh, max.',
  });
});
