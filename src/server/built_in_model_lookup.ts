// The session views' lookup of built-in providers' models (config/built_in_model_entry.ts), imported
// when a view is first built: the generated catalog stays off the gateway's start path
// (tests/integration/start_path_test.ts); later calls get the module already evaluated.
import type { ModelEntry } from "../config/resolve_agents.ts";

/** Loads the built-in model lookup: a built-in provider's model by ref, or undefined for any other. */
export async function builtInModelLookup(): Promise<
  (ref: { provider: string; model: string }) => ModelEntry | undefined
> {
  const { builtInModelEntry } = await import("../config/built_in_model_entry.ts");
  return builtInModelEntry;
}
