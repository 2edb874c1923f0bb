// The `openclaw models` command tree as the reference names and flags it (2026.9.6), its config
// side only: set, set-image, aliases, fallbacks, image-fallbacks. Each action imports its command
// file lazily (nothing of it on `gateway run`'s path). list, status, scan, auth, refresh and
// accounts are not served: they fail as an unknown command does.
import type { Command } from "commander";
import type { ModelField } from "../config/model_selection.ts";
import type { GlobalOptions } from "./main.ts";

/** The reference's refusal of `--agent` on its global model commands. */
function agentRefusal(name: string): string {
  return `openclaw models ${name} does not support --agent; it is global and never agent-scoped. Remove --agent, or run openclaw agents list and set the per-agent model in agent config.`;
}

/** Adds `openclaw models [set|set-image|aliases|fallbacks|image-fallbacks]` to `program`. */
export function addModelsCommands(
  program: Command,
  run: (task: () => Promise<number>) => void,
  globals: () => GlobalOptions,
): void {
  const models = program.command("models").description("Model discovery, scanning, and configuration")
    .option("--agent <id>", "Agent id to inspect (overrides OPENCLAW_AGENT_DIR)");
  // Runs `task` unless `--agent` was given to `models` (refused as the reference does: its generic
  // failure block, the envelope too with `--json`). After the subcommand `--agent` is an unknown option.
  const global = (name: string, json: boolean | undefined, task: () => Promise<number>) =>
    run(async () => {
      if (models.opts().agent === undefined) return await task();
      return (await import("./commands/models_common.ts")).failGenerically(agentRefusal(name), json);
    });
  const set = () => import("./commands/models_set.ts");
  for (
    const [name, field, description] of [["set", "model", "Set the default model"], [
      "set-image",
      "imageModel",
      "Set the image model",
    ]] as const
  ) {
    models.command(name).description(description).argument("<model>", "Model id or alias")
      .action((model: string) =>
        global(name, false, async () => (await set()).modelsSetPrimary(model, field, globals()))
      );
  }
  const aliases = () => import("./commands/models_aliases.ts");
  const group = models.command("aliases").description("Manage model aliases");
  group.command("list").description("List model aliases")
    .option("--json", "Output JSON", false)
    .option("--plain", "Plain output", false)
    .action((options) =>
      global(
        "aliases list",
        options.json,
        async () => (await aliases()).modelsAliasesList({ ...globals(), ...options }),
      )
    );
  group.command("add").description("Add or update a model alias")
    .argument("<alias>", "Alias name").argument("<model>", "Model id or alias")
    .action((alias: string, model: string) =>
      global("aliases add", false, async () => (await aliases()).modelsAliasesAdd(alias, model, globals()))
    );
  group.command("remove").description("Remove a model alias").argument("<alias>", "Alias name")
    .action((alias: string) =>
      global("aliases remove", false, async () => (await aliases()).modelsAliasesRemove(alias, globals()))
    );
  addFallbackGroup(models, "fallbacks", "model", run, globals);
  addFallbackGroup(models, "image-fallbacks", "imageModel", run, globals);
  refuseOthers(models, run);
}

/** `fallbacks` / `image-fallbacks`: list, add, remove, clear (`models --agent` is ignored by these, as the reference). */
function addFallbackGroup(
  models: Command,
  name: string,
  field: ModelField,
  run: (task: () => Promise<number>) => void,
  globals: () => GlobalOptions,
): void {
  const [noun, article] = field === "imageModel" ? ["image fallback", "an"] : ["fallback", "a"];
  const load = () => import("./commands/models_fallbacks.ts");
  const group = models.command(name)
    .description(`Manage ${field === "imageModel" ? "image model" : "model"} fallback list`);
  group.command("list").description(`List ${noun} models`)
    .option("--json", "Output JSON", false)
    .option("--plain", "Plain output", false)
    .action((options) => run(async () => (await load()).modelsFallbacksList(field, { ...globals(), ...options })));
  for (const action of ["add", "remove"] as const) {
    group.command(action).description(`${action === "add" ? "Add" : "Remove"} ${article} ${noun} model`)
      .argument("<model>", "Model id or alias")
      .action((model: string) => run(async () => (await load()).modelsFallbacksEdit(field, action, model, globals())));
  }
  group.command("clear").description(`Clear all ${noun} models`)
    .action(() => run(async () => (await load()).modelsFallbacksClear(field, globals())));
}

/** Bare `openclaw models` and the subcommands not served: refused in the reference's unknown-command words. */
function refuseOthers(models: Command, run: (task: () => Promise<number>) => void): void {
  models.allowExcessArguments(true).allowUnknownOption(true).action((_options, command: Command) => {
    const [word] = command.args;
    run(async () => {
      const { printError } = await import("./output.ts");
      printError(
        word === undefined
          ? "openclaw models (status) is not served by this gateway.\nTry: openclaw models --help\nDocs: https://docs.openclaw.ai/cli"
          : `OpenClaw models has no command "${word}".\nTry: openclaw models --help\nDocs: https://docs.openclaw.ai/cli`,
      );
      return 1;
    });
  });
}
