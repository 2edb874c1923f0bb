// `openclaw models fallbacks|image-fallbacks list|add|remove|clear`: the fallback list of
// `agents.defaults.model` (or `imageModel`), edited and printed as the reference does.
import {
  addFallback,
  clearFallbacks,
  fallbacksOf,
  type ModelField,
  removeFallback,
  resolveModelTarget,
} from "../../config/model_selection.ts";
import type { GlobalOptions } from "../main.ts";
import { printJson, printLine } from "../output.ts";
import { checkOutputFlags, commitModels, loadModelsContext, runModels, selectionOptions } from "./models_common.ts";

/** Flags of `fallbacks list`. */
export interface FallbacksListFlags extends GlobalOptions {
  json?: boolean;
  plain?: boolean;
}

function label(field: ModelField): string {
  return field === "imageModel" ? "Image fallbacks" : "Fallbacks";
}

/** `list`: `{fallbacks: [...]}`, one per line, or the "Fallbacks (n):" list. */
export function modelsFallbacksList(field: ModelField, flags: FallbacksListFlags): Promise<number> {
  return runModels(async () => {
    checkOutputFlags(flags);
    const fallbacks = fallbacksOf((await loadModelsContext(flags)).tree, field);
    if (flags.json) printJson({ fallbacks });
    else if (flags.plain) { for (const entry of fallbacks) printLine(entry); }
    else {
      printLine(`${label(field)} (${fallbacks.length}):`);
      if (fallbacks.length === 0) printLine("- none");
      for (const entry of fallbacks) printLine(`- ${entry}`);
    }
    return 0;
  }, flags.json);
}

/** `add <model>` / `remove <model>`: the list after the edit, comma-separated. */
export function modelsFallbacksEdit(
  field: ModelField,
  action: "add" | "remove",
  raw: string,
  options: GlobalOptions,
): Promise<number> {
  return runModels(async () => {
    const context = await loadModelsContext(options);
    const target = resolveModelTarget(context.tree, raw, selectionOptions(context));
    const next = action === "add"
      ? addFallback(context.tree, field, target)
      : removeFallback(context.tree, field, target);
    await commitModels(context, next);
    printLine(`${label(field)}: ${fallbacksOf(next, field).join(", ")}`);
    return 0;
  });
}

/** `clear`: the list written empty. */
export function modelsFallbacksClear(field: ModelField, options: GlobalOptions): Promise<number> {
  return runModels(async () => {
    const context = await loadModelsContext(options);
    await commitModels(context, clearFallbacks(context.tree, field));
    printLine(field === "imageModel" ? "Image fallback list cleared." : "Fallback list cleared.");
    return 0;
  });
}
