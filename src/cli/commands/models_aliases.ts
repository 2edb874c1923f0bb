// `openclaw models aliases list|add|remove`: aliases live per model entry as
// `agents.defaults.models.<key>.alias`; output and refusals in the reference's words.
import {
  addAlias,
  configuredAliases,
  modelKey,
  normalizeAlias,
  removeAlias,
  resolveModelTarget,
} from "../../config/model_selection.ts";
import type { GlobalOptions } from "../main.ts";
import { printJson, printLine } from "../output.ts";
import { checkOutputFlags, commitModels, loadModelsContext, runModels } from "./models_common.ts";

/** Flags of `aliases list`. */
export interface AliasesListFlags extends GlobalOptions {
  json?: boolean;
  plain?: boolean;
}

/** `aliases list`: `{aliases: {alias: key}}`, `alias key` lines, or the "Aliases (n):" list. */
export function modelsAliasesList(flags: AliasesListFlags): Promise<number> {
  return runModels(async () => {
    checkOutputFlags(flags);
    const aliases = configuredAliases((await loadModelsContext(flags)).tree);
    if (flags.json) printJson({ aliases: Object.fromEntries(aliases) });
    else if (flags.plain) { for (const [alias, key] of aliases) printLine(`${alias} ${key}`); }
    else {
      printLine(`Aliases (${aliases.length}):`);
      if (aliases.length === 0) printLine("- none");
      for (const [alias, key] of aliases) printLine(`- ${alias} -> ${key}`);
    }
    return 0;
  }, flags.json);
}

/** `aliases add <alias> <model>`: the alias moves to the model's entry (replacing its old one). */
export function modelsAliasesAdd(rawAlias: string, raw: string, options: GlobalOptions): Promise<number> {
  return runModels(async () => {
    const alias = normalizeAlias(rawAlias);
    const context = await loadModelsContext(options);
    const target = resolveModelTarget(context.tree, raw);
    await commitModels(context, addAlias(context.tree, alias, target));
    printLine(`Alias ${alias} -> ${modelKey(target)}`);
    return 0;
  });
}

/** `aliases remove <alias>`: says so when no alias is left. */
export function modelsAliasesRemove(rawAlias: string, options: GlobalOptions): Promise<number> {
  return runModels(async () => {
    const alias = normalizeAlias(rawAlias);
    const context = await loadModelsContext(options);
    const next = removeAlias(context.tree, alias);
    await commitModels(context, next);
    if (configuredAliases(next).length === 0) printLine("No aliases configured.");
    return 0;
  });
}
