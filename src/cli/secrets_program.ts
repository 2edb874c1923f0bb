// The `openclaw secrets` command tree, as the reference names it; each action imports its command file
// lazily. `configure` answers only its non-interactive refusals (the interactive planner is not built).
import type { Command } from "commander";
import type { GlobalOptions } from "./main.ts";
import { addRpcOptions } from "./rpc_options.ts";

/** Adds `openclaw secrets reload|audit|configure|apply` and `openclaw secrets store list|get|set|rm|import` to `program`. */
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
  secrets.command("audit").description("Audit plaintext secrets, unresolved refs, and precedence drift")
    .option("--check", "Exit non-zero when findings are present", false)
    .option("--allow-exec", "Allow exec SecretRef resolution during audit (may execute provider commands)", false)
    .option("--json", "Output JSON", false)
    .action((options) =>
      run(async () => (await import("./commands/secrets_audit.ts")).secretsAudit({ ...globals(), ...options }))
    );
  secrets.command("configure")
    .description("Interactive secrets helper (provider setup + SecretRef mapping + preflight)")
    .option("--apply", "Apply changes immediately after preflight", false)
    .option("--yes", "Skip apply confirmation prompt", false)
    .option("--providers-only", "Configure secrets.providers only, skip credential mapping", false)
    .option("--skip-provider-setup", "Skip provider setup and only map credential fields to existing providers", false)
    .option("--agent <id>", "Agent id for auth-profiles targets (default: configured default agent)")
    .option("--allow-exec", "Allow exec SecretRef preflight checks (may execute provider commands)", false)
    .option("--plan-out <path>", "Write generated plan JSON to a file (max 16 MiB)")
    .option("--json", "Output JSON", false)
    .action((options) =>
      run(async () => (await import("./commands/secrets_configure.ts")).secretsConfigure({ ...globals(), ...options }))
    );
  secrets.command("apply").description("Apply a previously generated secrets plan")
    .requiredOption("--from <path>", "Path to plan JSON (max 16 MiB)")
    .option("--dry-run", "Validate/preflight only", false)
    .option("--allow-exec", "Allow exec SecretRef checks (may execute provider commands)", false)
    .option("--json", "Output JSON", false)
    .action((options) =>
      run(async () => (await import("./commands/secrets_apply.ts")).secretsApply({ ...globals(), ...options }))
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
