// The `openclaw database` command tree as the reference 2026.9.6 names it: `ownership status|claim`,
// `preflight <path>` and `preflight-agent <path> --agent-id <id>`. A parent run bare prints its help
// and exits 0, as the reference's parents do. Each action imports its command file lazily.
import type { Command } from "commander";
import type { GlobalOptions } from "./main.ts";

const DOCS = "https://docs.openclaw.ai/reference/database-schemas";

/** Prints the parent's help on stdout and exits 0 (commander's default would exit 1). */
function helpByDefault(parent: Command, run: (task: () => Promise<number>) => void): void {
  parent.action(() => {
    parent.outputHelp();
    run(() => Promise.resolve(0));
  });
}

/** Adds `openclaw database …` to `program`. */
export function addDatabaseCommands(
  program: Command,
  run: (task: () => Promise<number>) => void,
  globals: () => GlobalOptions,
): void {
  const command = () => import("./commands/database.ts");
  const database = program.command("database")
    .description("Inspect database schema compatibility and shared-state write ownership")
    .addHelpText("after", `\nDocs: ${DOCS}\n`)
    // The reference's help layout for this family: sorted, subcommands by bare name; children inherit it.
    .configureHelp({ sortSubcommands: true, sortOptions: true, subcommandTerm: (sub) => sub.name() })
    .helpOption("-h, --help", "Display help for command");
  database.command("preflight").description("Compare one copied SQLite file with this release's state schema")
    .argument("<path>", "explicit copied SQLite database path")
    .option("--json", "emit machine-readable JSON", false)
    .action((path: string, options) => run(async () => (await command()).databasePreflight(path, options)));
  database.command("preflight-agent")
    .description("Compare one copied agent SQLite file with this release's agent schema and owner")
    .argument("<path>", "explicit copied agent SQLite database path")
    .requiredOption("--agent-id <id>", "exact canonical agent owner ID")
    .option("--json", "emit machine-readable JSON", false)
    .action((path: string, options) => run(async () => (await command()).databasePreflightAgent(path, options)));
  const ownership = database.command("ownership").description("Inspect or claim write ownership");
  ownership.command("status").description("Show durable shared-state write ownership")
    .option("--json", "emit machine-readable JSON", false)
    .action((options) => run(async () => (await command()).ownershipStatus({ ...globals(), ...options })));
  ownership.command("claim").description("Claim shared-state writes for the active external supervisor")
    .requiredOption("--manager <id>", "stable external manager identifier")
    .option("--json", "emit machine-readable JSON", false)
    .action((options) => run(async () => (await command()).ownershipClaim({ ...globals(), ...options })));
  helpByDefault(ownership, run);
  helpByDefault(database, run);
}
