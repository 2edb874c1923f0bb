// `openclaw backup sqlite create|list|verify|restore`: portable snapshots of one OpenClaw database
// (the shared state database or one agent's) in a snapshot repository (src/state/sqlite_snapshot_repo.ts),
// printed as the reference prints them.
import { dirname } from "node:path";
import { createSnapshot, listSnapshots, restoreSnapshot, verifySnapshot } from "../../state/sqlite_snapshot_repo.ts";
import { databaseLabel, type SnapshotManifest } from "../../state/sqlite_snapshot_manifest.ts";
import { displayPath } from "../../state/backup_plan.ts";
import type { GlobalOptions } from "../main.ts";
import { printJson, printLine } from "../output.ts";
import { backupFailed, backupPaths, configuredRoots, missingOption, userPath } from "./backup_common.ts";
import { record } from "./backup_create.ts";

type Json = { json?: boolean };

function required(value: string | undefined, label: string, home: string | undefined): string {
  if (!value?.trim()) throw new Error(`Missing required ${label} value.`);
  return userPath(value, home);
}

async function source(options: GlobalOptions & { global?: boolean; agent?: string }) {
  const agent = options.agent?.trim();
  if (options.agent !== undefined && !agent) throw new Error("--agent must not be blank");
  if (options.global && agent) throw new Error("Choose exactly one SQLite snapshot source: --global or --agent <id>.");
  if (!options.global && !agent) throw new Error("Choose a SQLite snapshot source: --global or --agent <id>.");
  const paths = backupPaths(options);
  if (options.global) {
    return { path: await Deno.realPath(`${paths.stateDir}/state/openclaw.sqlite`), owner: { role: "global" as const } };
  }
  const agentId = agent!.toLowerCase();
  const roots = await configuredRoots(paths);
  const root = roots.agentRoots.find((entry) => entry.agentId === agentId);
  if (!root) throw new Error(`Unknown agent id "${agentId}". Run openclaw agents list to see configured agents.`);
  return {
    path: await Deno.realPath(`${root.sourcePath}/openclaw-agent.sqlite`),
    owner: { role: "agent" as const, agentId },
  };
}

/** `openclaw backup sqlite create --global|--agent <id> --repository <dir> [--json]`. */
export async function sqliteCreate(
  options: GlobalOptions & Json & { global?: boolean; agent?: string; repository?: string },
): Promise<number> {
  if (options.repository === undefined) return missingOption("--repository <path>", "backup sqlite create");
  const paths = backupPaths(options);
  let repository: string | undefined;
  try {
    repository = required(options.repository, "--repository", paths.home);
    const created = await createSnapshot(repository, await source(options));
    record(paths.stateDir, { kind: "sqlite-snapshot", archivePath: created.snapshotPath, status: "ok" });
    if (options.json) printJson({ ok: true, ...created });
    else {
      printLine([
        `SQLite snapshot created: ${displayPath(created.snapshotPath, paths.home)}`,
        `Database: ${databaseLabel(created.manifest.database)}`,
        `Size: ${created.manifest.artifact.sizeBytes} bytes`,
      ].join("\n"));
    }
    return 0;
  } catch (error) {
    if (repository) {
      const message = error instanceof Error ? error.message : String(error);
      record(paths.stateDir, { kind: "sqlite-snapshot", archivePath: repository, status: "failed", error: message });
    }
    return backupFailed(error, options.json);
  }
}

/** `openclaw backup sqlite list --repository <dir> [--json]`. */
export async function sqliteList(options: GlobalOptions & Json & { repository?: string }): Promise<number> {
  if (options.repository === undefined) return missingOption("--repository <path>", "backup sqlite list");
  const home = backupPaths(options).home;
  try {
    const repositoryPath = required(options.repository, "--repository", home);
    const snapshots = await listSnapshots(repositoryPath);
    if (options.json) printJson({ ok: true, repositoryPath, snapshots });
    else if (snapshots.length === 0) printLine(`No SQLite snapshots in ${displayPath(repositoryPath, home)}.`);
    else {
      printLine(
        snapshots.map(({ ref, manifest }) =>
          `${manifest.createdAt}  ${databaseLabel(manifest.database)}  ${manifest.artifact.sizeBytes} bytes  ${
            displayPath(ref.path, home)
          }`
        ).join("\n"),
      );
    }
    return 0;
  } catch (error) {
    return backupFailed(error, options.json);
  }
}

/** `openclaw backup sqlite verify <snapshot> [--scratch <dir>] [--json]`. */
export async function sqliteVerify(
  snapshot: string,
  options: GlobalOptions & Json & { scratch?: string },
): Promise<number> {
  const home = backupPaths(options).home;
  try {
    const snapshotPath = required(snapshot, "<snapshot>", home);
    const scratch = options.scratch === undefined
      ? dirname(dirname(snapshotPath))
      : required(options.scratch, "--scratch", home);
    const manifest = await verifySnapshot(snapshotPath, scratch);
    report(
      options,
      { ok: true, snapshotPath, manifest },
      `SQLite snapshot verified: ${displayPath(snapshotPath, home)}`,
    );
    return 0;
  } catch (error) {
    return backupFailed(error, options.json);
  }
}

/** `openclaw backup sqlite restore <snapshot> --target <path> [--json]`. */
export async function sqliteRestore(
  snapshot: string,
  options: GlobalOptions & Json & { target?: string },
): Promise<number> {
  if (options.target === undefined) return missingOption("--target <path>", "backup sqlite restore");
  const home = backupPaths(options).home;
  try {
    const snapshotPath = required(snapshot, "<snapshot>", home);
    const targetPath = required(options.target, "--target", home);
    const manifest = await restoreSnapshot(snapshotPath, targetPath);
    report(
      options,
      { ok: true, snapshotPath, targetPath, manifest } as {
        ok: true;
        snapshotPath: string;
        manifest: SnapshotManifest;
      },
      `SQLite snapshot restored: ${displayPath(targetPath, home)}`,
    );
    return 0;
  } catch (error) {
    return backupFailed(error, options.json);
  }
}

function report(
  options: Json,
  value: { ok: true; snapshotPath: string; manifest: SnapshotManifest },
  line: string,
): void {
  if (options.json) printJson(value);
  else printLine(`${line} (${databaseLabel(value.manifest.database)})`);
}
