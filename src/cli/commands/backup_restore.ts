// `openclaw backup restore <archive> --target <dir> [--json]`: verify, then extract into a fresh
// staging directory (src/state/backup_restore.ts); activation stays an explicit operator step.
import { restoreBackupArchive } from "../../state/backup_restore.ts";
import { displayPath } from "../../state/backup_plan.ts";
import type { GlobalOptions } from "../main.ts";
import { printJson, printLine } from "../output.ts";
import { backupFailed, backupPaths, configuredRoots, missingOption, userPath } from "./backup_common.ts";

/** `openclaw backup restore`. */
export async function backupRestore(
  archive: string,
  options: GlobalOptions & { target?: string; json?: boolean },
): Promise<number> {
  if (options.target === undefined) return missingOption("--target <dir>", "backup restore");
  try {
    const paths = backupPaths(options);
    if (!options.target.trim()) throw new Error("Missing required --target value.");
    const target = userPath(options.target, paths.home);
    const roots = await configuredRoots(paths).catch(() => ({ agentRoots: [] }));
    const result = await restoreBackupArchive(userPath(archive, paths.home), target, {
      stateDir: paths.stateDir,
      agentRoots: roots.agentRoots.map((root) => root.sourcePath),
    });
    if (options.json) printJson(result);
    else {
      printLine([
        `Backup archive restored to staging: ${displayPath(result.targetPath, paths.home)}`,
        `Verified archive: ${displayPath(result.archivePath, paths.home)}`,
        `Archive root: ${result.archiveRoot}`,
        `Archive entries restored: ${result.entryCount}`,
        "",
        "Rollback warnings:",
        ...result.warnings.map((warning) => `- ${warning}`),
        "",
        "Activation is explicit: stop the Gateway, move the restored asset tree into place or point OPENCLAW_STATE_DIR at the restored state asset, then run `openclaw doctor`.",
      ].join("\n"));
    }
    return 0;
  } catch (error) {
    return backupFailed(error, options.json);
  }
}
