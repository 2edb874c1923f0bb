// What the reference's bundled provider plugins say of their models beyond the manifest rows
// (built_in_model_catalog.ts): the anthropic plugin's thinking profiles and fast-mode support, and the
// model it resolves that its manifest does not list. Facts recorded from the reference OpenClaw
// 2026.9.6 gateway's `models.list` after an Anthropic API-key onboard
// (tests/fixtures/model_catalog/gateway_models_list.json); its code derives them from model families
// (provider-claude-thinking, fast-mode-policy), which this table writes out per model instead.
import type { BuiltInModel } from "./built_in_model_catalog.ts";

/** A model's thinking levels (lowest first, as listed) and the level it runs at by default. */
export interface BuiltInThinking {
  levels: readonly string[];
  defaultLevel: string;
}

/** What a provider plugin adds to a model's row: its thinking profile and, with an API key, fast mode. */
export interface BuiltInTraits {
  thinking: BuiltInThinking;
  /** Whether fast mode applies under API-key auth (unknown, and not listed, under any other). */
  fastModeWithApiKey: boolean;
}

const FULL: readonly string[] = ["off", "minimal", "low", "medium", "adaptive", "high", "xhigh", "max"];
const EFFORT: readonly string[] = ["low", "medium", "high", "xhigh", "max"];

/** The anthropic plugin's traits by model id (Opus 5.5, the Fables and Mythos take effort levels only). */
const ANTHROPIC_TRAITS: Readonly<Record<string, BuiltInTraits>> = {
  "claude-opus-5-5": { thinking: { levels: EFFORT, defaultLevel: "medium" }, fastModeWithApiKey: true },
  "claude-fable-5-1": { thinking: { levels: EFFORT, defaultLevel: "medium" }, fastModeWithApiKey: true },
  "claude-fable-5": { thinking: { levels: EFFORT, defaultLevel: "medium" }, fastModeWithApiKey: true },
  "claude-mythos-5": { thinking: { levels: EFFORT, defaultLevel: "high" }, fastModeWithApiKey: true },
  "claude-opus-5": { thinking: { levels: FULL, defaultLevel: "high" }, fastModeWithApiKey: true },
  // Sonnet 5 has neither the native fast mode nor the priority service tier.
  "claude-sonnet-5": { thinking: { levels: FULL, defaultLevel: "high" }, fastModeWithApiKey: false },
  "claude-opus-4-8": { thinking: { levels: FULL, defaultLevel: "off" }, fastModeWithApiKey: true },
  "claude-haiku-4-5": {
    thinking: { levels: ["off", "minimal", "low", "medium", "high"], defaultLevel: "medium" },
    fastModeWithApiKey: true,
  },
  "claude-sonnet-4-6": {
    thinking: { levels: ["off", "minimal", "low", "medium", "adaptive", "high", "max"], defaultLevel: "adaptive" },
    fastModeWithApiKey: true,
  },
};

/** The traits the reference's plugin gives a built-in provider's model, when recorded. */
export function builtInTraits(provider: string, id: string): BuiltInTraits | undefined {
  return provider === "anthropic" && Object.hasOwn(ANTHROPIC_TRAITS, id) ? ANTHROPIC_TRAITS[id] : undefined;
}

/**
 * Models a built-in provider resolves though its manifest does not list them, listed only when a
 * config names one: `anthropic/claude-sonnet-4-6`, which the Anthropic API-key defaults add.
 */
const BEYOND_MANIFEST: Readonly<Record<string, readonly BuiltInModel[]>> = {
  anthropic: [{
    id: "claude-sonnet-4-6",
    name: "claude-sonnet-4-6",
    input: ["text", "image"],
    contextWindow: 1_000_000,
    contextTokens: 1_000_000,
    reasoning: true,
  }],
};

/** The row a built-in provider resolves for a model its manifest does not list, if it knows one. */
export function beyondManifestModel(provider: string, id: string): BuiltInModel | undefined {
  return Object.hasOwn(BEYOND_MANIFEST, provider)
    ? BEYOND_MANIFEST[provider]!.find((model) => model.id === id)
    : undefined;
}
