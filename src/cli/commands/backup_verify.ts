// `openclaw backup verify <archive> [--json]`: the archive's structure, manifest, links and SQLite
// snapshots checked (src/state/backup_verify.ts), printed as the reference prints them.
import { prepareBackupArchive } from "../../state/backup_verify.ts";
import type { GlobalOptions } from "../main.ts";
import { printJson, printLine } from "../output.ts";
import { backupFailed, userPath } from "./backup_common.ts";

/** `openclaw backup verify`. */
export async function backupVerify(archive: string, options: GlobalOptions & { json?: boolean }): Promise<number> {
  try {
    const { result } = await prepareBackupArchive(userPath(archive, Deno.env.get("HOME")));
    if (options.json) printJson(result);
    else {
      printLine([
        `Backup archive OK: ${result.archivePath}`,
        `Archive root: ${result.archiveRoot}`,
        `Created at: ${result.createdAt}`,
        `Runtime version: ${result.runtimeVersion}`,
        `Assets verified: ${result.assetCount}`,
        `Archive entries scanned: ${result.entryCount}`,
        `Symbolic links checked: ${result.symlinkCount}`,
      ].join("\n"));
    }
    return 0;
  } catch (error) {
    return backupFailed(error, options.json);
  }
}
