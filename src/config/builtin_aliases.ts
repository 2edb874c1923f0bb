// The model aliases the reference provides itself (its DEFAULT_MODEL_ALIASES, OpenClaw 2026.9.6): its
// defaults name the model-map entries they point at (model_status_defaults.ts), and `models aliases
// remove` names them. A leaf: the runtime policy reads it without loading the model catalog.

/** The aliases the reference provides itself (its DEFAULT_MODEL_ALIASES); `aliases remove` names them. */
export const BUILTIN_ALIASES: Readonly<Record<string, string>> = {
  opus: "anthropic/claude-opus-5",
  sonnet: "anthropic/claude-sonnet-5",
  gpt: "openai/gpt-5.4",
  "gpt-mini": "openai/gpt-5.4-mini",
  "gpt-nano": "openai/gpt-5.4-nano",
  gemini: "google/gemini-3.1-pro-preview",
  "gemini-flash": "google/gemini-3-flash-preview",
  "gemini-flash-lite": "google/gemini-3.1-flash-lite",
};
