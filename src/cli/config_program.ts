// The `openclaw config` command tree, named and flagged as the reference names it; each action
// imports its command file lazily (nothing of it on `gateway run`'s path).
import type { Command } from "commander";
import type { GlobalOptions } from "./main.ts";

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** Adds `openclaw config file|get|set|unset|patch|validate|schema` to `program`. */
export function addConfigCommands(
  program: Command,
  run: (task: () => Promise<number>) => void,
  globals: () => GlobalOptions,
): void {
  const read = () => import("./commands/config_read.ts");
  const write = () => import("./commands/config_write.ts");
  const config = program.command("config")
    .description("Non-interactive config helpers (get/set/patch/unset/file/schema/validate).");
  config.command("get").description("Get a config value by dot path")
    .argument("<path>", "Config path (dot or bracket notation)")
    .option("--json", "Output JSON", false)
    .action((path, options) => run(async () => (await read()).configGet(path, { ...globals(), ...options })));
  config.command("set")
    .description("Set config values by path (value mode, SecretRef builder mode, or batch JSON mode).")
    .argument("[path]", "Config path (dot or bracket notation)")
    .argument("[value]", "Value (JSON/JSON5 or raw string)")
    .option("--strict-json", "Strict JSON parsing (error instead of raw string fallback)", false)
    .option("--json", "Legacy alias for --strict-json", false)
    .option("--expect-current-absent", "Write only when the authored path is absent", false)
    .option("--expect-current-json <json>", "Write only when the authored path exactly matches this strict JSON value")
    .option("--dry-run", "Validate changes without writing openclaw.json", false)
    .option("--allow-exec", "Dry-run only: allow exec SecretRef resolvability checks", false)
    .option("--merge", "Merge object/map values instead of replacing the target path", false)
    .option("--replace", "Allow full replacement of protected map/list paths such as agents.defaults.models", false)
    .option("--ref-provider <alias>", "SecretRef builder: provider alias")
    .option("--ref-source <source>", "SecretRef builder: source (env|file|exec|store)")
    .option("--ref-id <id>", "SecretRef builder: ref id")
    .option("--batch-json <json>", "Batch mode: JSON array of set operations")
    .option("--batch-file <path>", "Batch mode: read JSON array of set operations from file")
    .action((path, value, options) =>
      run(async () => (await import("./commands/config_set.ts")).configSet(path, value, { ...globals(), ...options }))
    );
  config.command("patch").description("Patch config from a JSON5 object in one validated write.")
    .option("--file <path>", "Read a JSON5 config patch object from file")
    .option("--stdin", "Read a JSON5 config patch object from stdin", false)
    .option("--dry-run", "Validate changes without writing openclaw.json", false)
    .option("--allow-exec", "Dry-run only: allow exec SecretRef resolvability checks", false)
    .option("--json", "Output dry-run result as JSON", false)
    .option(
      "--replace-path <path>",
      "Replace the object or array at this dot/bracket path instead of recursively applying it (repeatable)",
      collect,
      [],
    )
    .action((options) => run(async () => (await write()).configPatch({ ...globals(), ...options })));
  config.command("unset").description("Remove a config value by dot path")
    .argument("<path>", "Config path (dot or bracket notation)")
    .option("--dry-run", "validate the removal without writing the config file")
    .option("--allow-exec", "allow exec SecretRef providers during --dry-run")
    .option("--json", "print dry-run result as JSON")
    .action((path, options) => run(async () => (await write()).configUnset(path, { ...globals(), ...options })));
  config.command("file").description("Print the active config file path")
    .option("--json", "Output JSON", false)
    .action((options) => run(async () => (await read()).configFile({ ...globals(), ...options })));
  config.command("schema").description("Print the JSON schema for openclaw.json")
    .option("--json", "Output JSON", false)
    .action((options) => run(async () => (await read()).configSchema({ ...globals(), ...options })));
  config.command("validate").description("Validate the current config against the schema without starting the gateway")
    .option("--json", "Output validation result as JSON", false)
    .action((options) => run(async () => (await read()).configValidate({ ...globals(), ...options })));
}
