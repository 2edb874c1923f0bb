// `openclaw backup create [--output] [--dry-run] [--json] [--verify] [--no-include-workspace]
// [--only-config]`: plans and writes the archive (src/state/backup_create.ts), optionally verifies
// it, and prints the reference's summary or its JSON result.
import { backupArchiveBasename, backupArchiveRoot } from "../../state/backup_archive_path.ts";
import { type BackupCreateResult, createBackupArchive } from "../../state/backup_create.ts";
import { resolveOutputPath } from "../../state/backup_output.ts";
import { planBackup } from "../../state/backup_plan.ts";
import { type BackupOutcome, recordBackupOutcome } from "../../state/backup_runs.ts";
import { cliWriteAccess } from "./state_write_access.ts";
import { prepareBackupArchive } from "../../state/backup_verify.ts";
import type { GlobalOptions } from "../main.ts";
import { printError, printJson, printLine } from "../output.ts";
import { backupFailed, backupPaths, configuredRoots, runtimeFacts } from "./backup_common.ts";

/** The flags of `backup create`. */
export interface BackupCreateOptions extends GlobalOptions {
  output?: string;
  json?: boolean;
  dryRun?: boolean;
  verify?: boolean;
  onlyConfig?: boolean;
  includeWorkspace?: boolean;
}

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? "" : "s"}`;

/** The reference's text summary of a create run. */
export function createSummary(result: BackupCreateResult): string[] {
  const lines = [`Backup archive: ${result.archivePath}`, `Included ${plural(result.assets.length, "path")}:`];
  for (const asset of result.assets) lines.push(`- ${asset.kind}: ${asset.displayPath}`);
  if (result.skipped.length > 0) {
    lines.push(`Skipped ${plural(result.skipped.length, "path")}:`);
    for (const entry of result.skipped) {
      lines.push(
        entry.reason === "covered" && entry.coveredBy
          ? `- ${entry.kind}: ${entry.displayPath} (${entry.reason} by ${entry.coveredBy})`
          : `- ${entry.kind}: ${entry.displayPath} (${entry.reason})`,
      );
    }
  }
  for (const link of result.externalSymbolicLinks ?? []) {
    lines.push(
      `External link preserved (target not copied through link): ${JSON.stringify(link.entryPath)} -> ${
        JSON.stringify(link.linkpath)
      }`,
    );
  }
  if (result.dryRun) lines.push("Dry run only; archive was not written.");
  else {
    lines.push(`Created ${result.archivePath}`);
    if (result.skippedVolatileCount > 0) {
      lines.push(
        `Skipped ${
          plural(result.skippedVolatileCount, "volatile file")
        } (live sessions, cron logs, queues, managed runtime paths, sockets, pid/tmp).`,
      );
    }
    if (result.verified) lines.push("Archive verification: passed");
  }
  lines.push(...result.warnings ?? []);
  return lines;
}

/** Records the run in the state database; a failure to record only warns, as the reference's does. */
export function record(stateDir: string, outcome: BackupOutcome): void {
  try {
    recordBackupOutcome(stateDir, outcome, { access: cliWriteAccess() });
  } catch (error) {
    printError(`Warning: the backup outcome could not be recorded: ${error instanceof Error ? error.message : error}`);
  }
}

/** `openclaw backup create`. */
export async function backupCreate(options: BackupCreateOptions): Promise<number> {
  const dryRun = Boolean(options.dryRun);
  const paths = backupPaths(options);
  let archivePath = options.output ?? Deno.cwd();
  try {
    const nowMs = Date.now();
    const onlyConfig = Boolean(options.onlyConfig);
    const includeWorkspace = onlyConfig ? false : options.includeWorkspace ?? true;
    const roots = onlyConfig ? { agentRoots: [], workspaceDirs: [] } : await configuredRoots(paths);
    const archiveRoot = backupArchiveRoot(nowMs);
    const plan = planBackup({ ...paths, ...roots, includeWorkspace, onlyConfig, archiveRoot });
    const outputPath = await resolveOutputPath(options.output, {
      basename: backupArchiveBasename(nowMs),
      cwd: Deno.cwd(),
      home: paths.home,
      stateDir: paths.stateDir,
      assets: plan.included,
    });
    const result = await createBackupArchive({
      plan,
      archiveRoot,
      nowMs,
      outputPath,
      dryRun,
      includeWorkspace,
      onlyConfig,
      runtime: runtimeFacts(),
    });
    archivePath = result.archivePath;
    if (options.verify && !dryRun) {
      await prepareBackupArchive(result.archivePath);
      result.verified = true;
    }
    if (!dryRun) record(paths.stateDir, { archivePath, status: "ok" });
    if (options.json) printJson(result);
    else printLine(createSummary(result).join("\n"));
    return 0;
  } catch (error) {
    if (!dryRun) {
      record(paths.stateDir, {
        archivePath,
        status: "failed",
        error: error instanceof Error ? error.message : String(error),
      });
    }
    return backupFailed(error, options.json);
  }
}
