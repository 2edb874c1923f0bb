// The `openclaw backup` command tree: the full-archive `create`, `verify` and `restore` as the
// reference names them; each action imports its command file lazily (nothing here loads tar or
// SQLite). The reference's `sqlite`, `git`, `enable` and `disable` are not served: unknown here.
import type { Command } from "commander";
import type { GlobalOptions } from "./main.ts";

/** Adds `openclaw backup create|verify|restore` to `program`. */
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
}
