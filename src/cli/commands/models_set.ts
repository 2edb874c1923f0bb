// `openclaw models set|set-image <model>`: the default (image) model's primary, as the reference
// writes it: the input resolved through aliases, the provider checked against `models.providers`,
// an entry kept under `agents.defaults.models`; "Default model: <key>" / "Image model: <key>".
import {
  inspectSelection,
  type ModelField,
  modelKey,
  resolveModelTarget,
  setPrimary,
} from "../../config/model_selection.ts";
import type { GlobalOptions } from "../main.ts";
import { printError, printLine } from "../output.ts";
import { BUILT_IN_SELECTION, commitModels, loadModelsContext, runModels, selectionOptions } from "./models_common.ts";

/** Sets `agents.defaults.<field>.primary` to the model `raw` names. */
export function modelsSetPrimary(raw: string, field: ModelField, options: GlobalOptions): Promise<number> {
  return runModels(async () => {
    const context = await loadModelsContext(options);
    const target = resolveModelTarget(context.tree, raw, selectionOptions(context));
    const warning = inspectSelection(context.tree, target, BUILT_IN_SELECTION);
    await commitModels(context, setPrimary(context.tree, field, target));
    // As the reference: the catalog warning follows the write (stderr), the summary last (stdout).
    if (warning) printError(warning);
    printLine(`${field === "model" ? "Default model" : "Image model"}: ${modelKey(target)}`);
    return 0;
  });
}
