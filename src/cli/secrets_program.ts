// The `openclaw secrets` command tree, as the reference names it; each action imports its command file
// lazily. `configure`, `apply` (the interactive planner) and `audit` are not offered.
import type { Command } from "commander";
import type { GlobalOptions } from "./main.ts";
import { addRpcOptions } from "./rpc_options.ts";

/** Adds `openclaw secrets reload` and `openclaw secrets store list|get|set|rm|import` to `program`. */
export function addSecretsCommands(
  program: Command,
  run: (task: () => Promise<number>) => void,
  globals: () => GlobalOptions,
): void {
  const secrets = program.command("secrets").description("Secrets runtime controls");
  addRpcOptions(
    secrets.command("reload").description("Re-resolve secret references and atomically swap runtime snapshot"),
    "30000",
  )
    .option("--expect-final", "Wait for final response (agent)", false)
    .action((options) =>
      run(async () => (await import("./commands/secrets_reload.ts")).secretsReload({ ...globals(), ...options }))
    );
  const store = secrets.command("store").description("Manage the team-scoped SQLite secret and environment store");
  const command = () => import("./commands/secrets_store.ts");
  store.command("list").description("List stored names and non-secret metadata")
    .option("--scope <team>", "Store scope", "team")
    .option("--json", "Output JSON", false)
    .option("--plain", "Output tab-separated rows", false)
    .action((options) => run(async () => (await command()).storeList({ ...globals(), ...options })));
  store.command("set <NAME>").description("Create or update one store entry")
    .option("--value <value>", "Literal value (env kind only)")
    .option("--value-file <path>", "Read value from a file; use - for stdin")
    .option("--kind <secret|env>", "Entry kind (defaults from NAME)")
    .option(
      "--allow-host <host>",
      "Allow substitution only for this exact host (repeatable)",
      (host: string, hosts: string[]) => [...hosts, host],
      [],
    )
    .option("--clear-allowed-hosts", "Remove all allowed hosts", false)
    .option("--scope <team>", "Store scope", "team")
    .option("--dry-run", "Validate without writing", false)
    .action((name: string, options) => run(async () => (await command()).storeSet(name, { ...globals(), ...options })));
  store.command("get <NAME>").description("Read an env-kind value; secret-kind values are write-only")
    .option("--scope <team>", "Store scope", "team")
    .option("--json", "Output JSON", false)
    .option("--plain", "Output only the env value", false)
    .action((name: string, options) => run(async () => (await command()).storeGet(name, { ...globals(), ...options })));
  store.command("rm <NAME...>").description("Soft-delete one or more entries")
    .option("--scope <team>", "Store scope", "team")
    .option("--dry-run", "Show what would be removed", false)
    .option("--yes", "Skip confirmation", false)
    .action((names: string[], options) =>
      run(async () => (await command()).storeRm(names, { ...globals(), ...options }))
    );
  store.command("import").description("Import dotenv-formatted entries from a file or stdin")
    .option("--from <file>", "Dotenv file; use - or omit for stdin")
    .option("--kind <secret|env>", "Override the detected kind for all entries")
    .option("--scope <team>", "Store scope", "team")
    .option("--dry-run", "Validate without writing", false)
    .option("--yes", "Skip confirmation", false)
    .action((options) => run(async () => (await command()).storeImport({ ...globals(), ...options })));
}
