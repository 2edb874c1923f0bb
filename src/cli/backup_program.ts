// The `openclaw backup` command tree: the full-archive `create`, `verify` and `restore` as the
// reference names them, and `sqlite create|list|verify|restore`; each action imports its command
// file lazily (nothing here loads tar or SQLite). The reference's `git`, `enable` and `disable` are
// not served: unknown here.
import type { Command } from "commander";
import type { GlobalOptions } from "./main.ts";

/** Adds `openclaw backup create|verify|restore` and `backup sqlite …` to `program`. */
export function addBackupCommands(
  program: Command,
  run: (task: () => Promise<number>) => void,
  globals: () => GlobalOptions,
): void {
  const backup = program.command("backup")
    .description("Create, verify, and restore backup archives and SQLite snapshots");
  backup.command("create").description("Write a backup archive for config, credentials, sessions, and workspaces")
    .option("--output <path>", "Archive path or destination directory")
    .option("--json", "Output JSON")
    .option("--dry-run", "Print the backup plan without writing the archive")
    .option("--verify", "Verify the archive after writing it")
    .option("--only-config", "Back up only the active JSON config file")
    .option("--no-include-workspace", "Exclude workspace directories from the backup")
    .action((options) =>
      run(async () => (await import("./commands/backup_create.ts")).backupCreate({ ...globals(), ...options }))
    );
  backup.command("verify").description("Validate a backup archive and its embedded manifest")
    .argument("<archive>", "Backup archive (.tar.gz)")
    .option("--json", "Output JSON")
    .action((archive, options) =>
      run(async () => (await import("./commands/backup_verify.ts")).backupVerify(archive, { ...globals(), ...options }))
    );
  backup.command("restore").description("Restore a verified backup archive to a fresh staging directory")
    .argument("<archive>", "Backup archive (.tar.gz)")
    .option("--target <dir>", "Fresh target directory; non-empty directories are refused")
    .option("--json", "Output JSON")
    .action((archive, options) =>
      run(async () =>
        (await import("./commands/backup_restore.ts")).backupRestore(archive, { ...globals(), ...options })
      )
    );
  addSqliteCommands(backup, run, globals);
}

function addSqliteCommands(
  backup: Command,
  run: (task: () => Promise<number>) => void,
  globals: () => GlobalOptions,
): void {
  const commands = () => import("./commands/backup_sqlite.ts");
  const sqlite = backup.command("sqlite").description("Create, list, verify, and restore SQLite snapshots")
    .action(() => {
      sqlite.outputHelp();
      run(() => Promise.resolve(1));
    });
  sqlite.command("create").description("Create a compact, verified snapshot of an OpenClaw SQLite database")
    .option("--global", "Snapshot the shared OpenClaw state database")
    .option("--agent <id>", "Snapshot one per-agent OpenClaw database")
    .option("--repository <path>", "Snapshot repository directory")
    .option("--json", "Output JSON")
    .action((options) => run(async () => (await commands()).sqliteCreate({ ...globals(), ...options })));
  sqlite.command("list").description("List committed snapshots in a repository")
    .option("--repository <path>", "Snapshot repository directory")
    .option("--json", "Output JSON")
    .action((options) => run(async () => (await commands()).sqliteList({ ...globals(), ...options })));
  sqlite.command("verify").description(
    "Verify a snapshot manifest, artifact hash, SQLite integrity, and database owner",
  )
    .argument("<snapshot>", "Snapshot directory")
    .option("--scratch <path>", "Existing private directory for verification copies")
    .option("--json", "Output JSON")
    .action((snapshot, options) =>
      run(async () => (await commands()).sqliteVerify(snapshot, { ...globals(), ...options }))
    );
  sqlite.command("restore").description("Restore a verified snapshot to a new SQLite database path")
    .argument("<snapshot>", "Snapshot directory")
    .option("--target <path>", "Fresh target path; existing files and sidecars are refused")
    .option("--json", "Output JSON")
    .action((snapshot, options) =>
      run(async () => (await commands()).sqliteRestore(snapshot, { ...globals(), ...options }))
    );
}
