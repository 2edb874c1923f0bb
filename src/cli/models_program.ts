// The `openclaw models` command tree as the reference names and flags it (2026.9.6), its config
// config side (set, set-image, aliases, fallbacks, image-fallbacks) and its read-only views (list,
// status; bare `models` is status). Each action imports its command file lazily (nothing of it on
// `gateway run`'s path). scan, auth, refresh and accounts are not served: they fail as an unknown
// command does.
import type { Command } from "commander";
import type { ModelField } from "../config/model_selection.ts";
import type { GlobalOptions } from "./main.ts";
import { refuseUnknownSubcommand } from "./openclaw_command.ts";

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
    .option("--agent <id>", "Agent id to inspect (overrides OPENCLAW_AGENT_DIR)")
    .option("--json", "Output JSON (alias for `models status --json`)", false)
    .option("--status-json", "Output JSON (alias for `models status --json`)", false)
    .option("--status-plain", "Plain output (alias for `models status --plain`)", false);
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
  addInspectCommands(models, run, globals);
  addFallbackGroup(models, "fallbacks", "model", run, globals);
  addFallbackGroup(models, "image-fallbacks", "imageModel", run, globals);
  refuseOthers(models, run, globals);
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

/** `--agent` on `list`/`status`: agent targeting is not served (the default agent is inspected). */
function agentNotServed(name: string): string {
  return `openclaw models ${name} --agent is not served by this gateway; it inspects the default agent. Run it without --agent.`;
}

/**
 * Refuses `--agent` on `list`/`status` (given to `models` or to the subcommand) as the reference's
 * generic failure; undefined when it was not given.
 */
async function refuseAgent(
  models: Command,
  name: string,
  agent: unknown,
  json: boolean | undefined,
): Promise<number | undefined> {
  if (agent === undefined && models.opts().agent === undefined) return undefined;
  return (await import("./commands/models_common.ts")).failGenerically(agentNotServed(name), json);
}

/** `list` and `status`: read-only views of the configured catalog and its auth (models_list.ts, models_status.ts). */
function addInspectCommands(
  models: Command,
  run: (task: () => Promise<number>) => void,
  globals: () => GlobalOptions,
): void {
  // `--agent` may precede (`models --agent x list`) or follow the subcommand.
  const refused = (name: string, agent: unknown, json: boolean | undefined) => refuseAgent(models, name, agent, json);
  models.command("list").description("List models (configured by default)")
    .option("--agent <id>", "Agent id to inspect (overrides OPENCLAW_AGENT_DIR)")
    .option("--all", "Show full model catalog", false)
    .option("--json", "Output JSON", false)
    .option("--local", "Filter to local models", false)
    .option("--plain", "Plain line output", false)
    .option("--provider <id>", "Filter by provider id")
    .action((options) =>
      run(async () =>
        await refused("list", options.agent, options.json) ??
          (await import("./commands/models_list.ts")).modelsList({ ...globals(), ...options })
      )
    );
  models.command("status").description("Show configured model state")
    .option("--agent <id>", "Agent id to inspect (overrides OPENCLAW_AGENT_DIR)")
    .option(
      "--check",
      "Check auth/runtime readiness (1=missing/expired/unavailable/incompatible/indeterminate, 2=expiring)",
      false,
    )
    .option("--json", "Output JSON", false)
    .option("--plain", "Plain output", false)
    .action((options) =>
      run(async () =>
        await refused("status", options.agent, options.json) ??
          (await import("./commands/models_status.ts")).modelsStatus({ ...globals(), ...options })
      )
    );
}

/** Bare `openclaw models` and the subcommands not served: refused in the reference's unknown-command words. */
function refuseOthers(
  models: Command,
  run: (task: () => Promise<number>) => void,
  globals: () => GlobalOptions,
): void {
  models.allowExcessArguments(true).allowUnknownOption(true).action((_options, command: Command) => {
    const [word] = command.args;
    run(async () => {
      // Bare `openclaw models` is `models status`, as the reference's.
      if (word === undefined) {
        const { json, statusJson, statusPlain } = models.opts();
        const refusal = await refuseAgent(models, "status", undefined, json || statusJson);
        if (refusal !== undefined) return refusal;
        const flags = { ...globals(), json: json || statusJson, plain: statusPlain };
        return (await import("./commands/models_status.ts")).modelsStatus(flags);
      }
      return refuseUnknownSubcommand(models, word);
    });
  });
}
