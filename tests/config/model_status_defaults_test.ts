// The reference's config defaults `models status` shows (recorded against 2026.9.6): the Anthropic
// API-key model entries, the built-in aliases and a bundled provider's utility model.
import assert from "node:assert/strict";
import {
  anthropicAuthMode,
  providerUtilityModel,
  referenceAliases,
  referenceModelMap,
} from "../../src/config/model_status_defaults.ts";
import type { RawConfig } from "../../src/config/schema.ts";

const none = () => undefined;
const onboarded = {
  agents: { defaults: { model: { primary: "anthropic/claude-opus-5" }, models: { "anthropic/claude-opus-5": {} } } },
  auth: { profiles: { "anthropic:default": { provider: "anthropic", mode: "api_key" } } },
} as RawConfig;

Deno.test("after onboard the aliases are opus and sonnet (the recorded Aliases (2) line)", () => {
  assert.deepEqual(referenceAliases(onboarded, none), [
    ["opus", "anthropic/claude-opus-5"],
    ["sonnet", "anthropic/claude-sonnet-5"],
  ]);
  assert.deepEqual(Object.keys(referenceModelMap(onboarded, none)), [
    "anthropic/claude-opus-5",
    "anthropic/claude-sonnet-5",
    "anthropic/claude-sonnet-4-6",
  ]);
});

Deno.test("the Anthropic auth mode: a declared API-key profile, else the environment; none adds nothing", () => {
  assert.equal(anthropicAuthMode(onboarded, none), "api_key");
  const bare = { agents: onboarded.agents } as RawConfig;
  assert.equal(anthropicAuthMode(bare, none), undefined);
  assert.deepEqual(referenceAliases(bare, none), [["opus", "anthropic/claude-opus-5"]]);
  assert.equal(anthropicAuthMode(bare, (n) => n === "ANTHROPIC_API_KEY" ? "k" : undefined), "api_key");
  assert.equal(anthropicAuthMode(bare, (n) => n === "ANTHROPIC_OAUTH_TOKEN" ? "k" : undefined), "oauth");
});

Deno.test("a configured alias wins over a built-in one naming the same entry or word", () => {
  const config = {
    agents: { defaults: { models: { "anthropic/claude-opus-5": { alias: "big" }, "x/y": { alias: "sonnet" } } } },
  } as RawConfig;
  assert.deepEqual(referenceAliases(config, none), [["big", "anthropic/claude-opus-5"], ["sonnet", "x/y"]]);
});

Deno.test("a default on anthropic or openai brings its utility model; others none", () => {
  assert.deepEqual(providerUtilityModel({ provider: "anthropic", model: "claude-opus-5" }), {
    provider: "anthropic",
    model: "claude-haiku-4-5",
  });
  assert.deepEqual(providerUtilityModel({ provider: "openai", model: "gpt-6-astra" }), {
    provider: "openai",
    model: "gpt-5.6-luna",
  });
  assert.equal(providerUtilityModel({ provider: "local", model: "m1" }), undefined);
});
