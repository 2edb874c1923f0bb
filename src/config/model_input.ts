// Whether a model reads images, as the reference decides it: the `input` list its
// `models.providers.<id>.models[]` entry writes (`["text","image"]`), else the reference's built-in
// knowledge of the providers' own catalogs (Anthropic's Claude, OpenAI's GPT-4o/4.1/5 and o-series,
// Google's Gemini read images), else text only (its default for a custom model).
import type { ModelEntry, ModelRef } from "./resolve_agents.ts";

/** Built-in vision families per provider id (the reference's catalogs for its bundled providers). */
const BUILT_IN_VISION: Readonly<Record<string, RegExp>> = {
  anthropic: /^claude-/,
  openai: /^(gpt-4o|gpt-4\.1|gpt-5|o3|o4|chatgpt-4o)/,
  google: /^gemini-/,
};

/** Whether the model `ref` names accepts image input. */
export function modelAcceptsImages(catalog: readonly ModelEntry[], ref: ModelRef | undefined): boolean {
  if (!ref) return false;
  const entry = catalog.find((m) => m.provider === ref.provider && m.id === ref.model);
  if (entry?.input) return entry.input.includes("image");
  return BUILT_IN_VISION[ref.provider]?.test(ref.model) ?? false;
}
