// `backup create`'s archive run: refusals first (nothing to back up, output inside a source, an
// existing archive), then consistent SQLite snapshots into a private scratch dir, one tar walk
// gzip-streamed into a staging file beside the output, and a no-overwrite hard-link publication.
import { basename, dirname, join, resolve } from "node:path";
import { tmpdir } from "node:os";
import { backupArchivePath, isPathWithin } from "./backup_archive_path.ts";
import { type BackupAsset, type BackupPlan, type BackupSkip, canonicalForContainment } from "./backup_plan.ts";
import { outputFailure } from "./backup_output.ts";
import { snapshotPlan } from "./backup_snapshot_plan.ts";
import { recordArchiveLink } from "./backup_symlinks.ts";
import { backupTarStream, writeGzipFile } from "./backup_tar_stream.ts";
import { syncDirectory } from "./sync_directory.ts";
import type { ArchiveLink } from "./backup_manifest.ts";
import { entryExists } from "./entry_exists.ts";

/** What `backup create` prints (text summary or `--json`), in the reference's key order. */
export interface BackupCreateResult {
  createdAt: string;
  archiveRoot: string;
  archivePath: string;
  dryRun: boolean;
  includeWorkspace: boolean;
  onlyConfig: boolean;
  verified: boolean;
  assets: BackupAsset[];
  agentRoots?: { agentId: string; sourcePath: string }[];
  skipped: BackupSkip[];
  skippedVolatileCount: number;
  warnings?: string[];
  externalSymbolicLinks?: ArchiveLink[];
}

/** One archive run's inputs. */
export interface CreateInputs {
  plan: BackupPlan;
  archiveRoot: string;
  nowMs: number;
  outputPath: string;
  dryRun: boolean;
  includeWorkspace: boolean;
  onlyConfig: boolean;
  runtime: { version: string; platform: string; nodeVersion: string };
}

/** Plans, and unless `dryRun` writes, the archive; throws the reference's refusals. */
export async function createBackupArchive(inputs: CreateInputs): Promise<BackupCreateResult> {
  const { plan, outputPath, archiveRoot } = inputs;
  if (plan.included.length === 0) {
    throw new Error(
      inputs.onlyConfig
        ? "No OpenClaw config file was found to back up."
        : "No local OpenClaw state was found to back up.",
    );
  }
  const canonicalOutput = canonicalForContainment(outputPath);
  const overlap = plan.included.find((asset) => isPathWithin(canonicalOutput, asset.sourcePath));
  if (overlap) {
    throw new Error(
      `Backup output must not be written inside a source path: ${outputPath} is inside ${overlap.sourcePath}`,
    );
  }
  if (!inputs.dryRun && await entryExists(outputPath)) {
    throw new Error(`Refusing to overwrite existing backup archive: ${outputPath}`);
  }
  const result: BackupCreateResult = {
    createdAt: new Date(inputs.nowMs).toISOString(),
    archiveRoot,
    archivePath: outputPath,
    dryRun: inputs.dryRun,
    includeWorkspace: inputs.includeWorkspace,
    onlyConfig: inputs.onlyConfig,
    verified: false,
    assets: plan.included,
    ...(inputs.onlyConfig
      ? {}
      : { agentRoots: plan.agentRoots.map(({ agentId, sourcePath }) => ({ agentId, sourcePath })) }),
    skipped: plan.skipped,
    skippedVolatileCount: 0,
  };
  if (inputs.dryRun) return result;
  try {
    await Deno.mkdir(dirname(outputPath), { recursive: true });
  } catch (error) {
    throw outputFailure(error, outputPath, "parent");
  }
  const systemTmp = tmpdir();
  const tempRoot = plan.included.some((asset) => isPathWithin(canonicalForContainment(systemTmp), asset.sourcePath))
    ? dirname(outputPath)
    : systemTmp;
  const parent = await Deno.realPath(dirname(outputPath));
  const finalPath = join(parent, basename(outputPath));
  let staging: string;
  try {
    staging = await Deno.makeTempDir({ dir: parent, prefix: `.openclaw-backup-publish-${crypto.randomUUID()}-` });
  } catch (error) {
    throw outputFailure(error, outputPath, "publication");
  }
  const scratch = await Deno.makeTempDir({ dir: tempRoot, prefix: "openclaw-backup-scratch-" }).catch(async (error) => {
    await Deno.remove(staging).catch(() => {});
    throw error;
  });
  try {
    await Deno.chmod(staging, 0o700);
    const tempArchive = join(staging, "archive.tar.gz.tmp");
    try {
      await writeArchive(inputs, result, scratch, tempArchive);
    } catch (error) {
      throw outputFailure(error, outputPath, "write");
    }
    try {
      await Deno.link(tempArchive, finalPath);
    } catch (error) {
      if (error instanceof Deno.errors.AlreadyExists) {
        throw new Error(`Refusing to overwrite existing backup archive: ${outputPath}`);
      }
      throw new Error(`Atomic backup publication requires hard-link support in ${dirname(outputPath)}.`, {
        cause: error,
      });
    }
    await syncDirectory(parent);
  } finally {
    await Deno.remove(staging, { recursive: true }).catch(() => {});
    await Deno.remove(scratch, { recursive: true }).catch(() => {});
  }
  return result;
}

async function writeArchive(inputs: CreateInputs, result: BackupCreateResult, scratch: string, tempArchive: string) {
  const { plan, archiveRoot } = inputs;
  const snapshots = inputs.onlyConfig ? undefined : await snapshotPlan(plan, scratch);
  const remap = new Map(snapshots?.files.map((file) => [file.snapshotPath, file.sourcePath]) ?? []);
  const required = new Set([...remap.keys(), ...plan.included.map((asset) => asset.sourcePath)]);
  const entries = new Map<string, "volatile" | "vanished">();
  const warnings: string[] = [];
  const links: ArchiveLink[] = [];
  const stateAsset = plan.included.find((asset) => asset.kind === "state");
  const state = stateAsset
    ? { sourcePath: stateAsset.sourcePath, archivePath: backupArchivePath(archiveRoot, stateAsset.sourcePath) }
    : { sourcePath: plan.stateDir, archivePath: backupArchivePath(archiveRoot, plan.stateDir) };
  const policy = plan.policy;
  const configPaths = new Set([resolve(plan.configPath), canonicalForContainment(plan.configPath)]);
  await writeGzipFile(
    tempArchive,
    backupTarStream({
      paths: [...required],
      skip: (path) => {
        if (!required.has(path) && !inputs.onlyConfig && policy.isVolatile(path)) {
          entries.set(path, "volatile");
          return true;
        }
        return snapshots?.skippedPaths.has(path) ?? false;
      },
      filter: (path, info) => {
        if (inputs.onlyConfig || required.has(path)) return true;
        if (info.isDirectory ? !policy.isTraversable(path) : !policy.isIncluded(path)) return false;
        if (info.isDirectory && policy.isPackageContent(path)) return false;
        const kind = snapshots?.classify(path);
        if (kind === "excluded") return false;
        if (kind === "opaque" && info.isFile) {
          warnings.push(`SQLite file archived as opaque bytes without a live snapshot or integrity checks: ${path}`);
        }
        return true;
      },
      archivePathOf: (path) => backupArchivePath(archiveRoot, remap.get(path) ?? path),
      onEntry: (path, header) => {
        entries.delete(path);
        // The reference archives a private capture of the config (mode 0600) in full archives.
        if (!inputs.onlyConfig && configPaths.has(path) && header.type === "File") header.mode = 0o600;
        if (header.type !== "SymbolicLink") return;
        const { external, ...link } = recordArchiveLink(
          { entryPath: header.path, linkpath: header.linkpath ?? "" },
          { archiveRoot, assets: result.assets, state, hasExternalLinkReport: true },
        );
        if (external) links.push(link);
      },
      onVanished: (path) => entries.set(path, "vanished"),
      manifest: () => ({
        entryPath: `${archiveRoot}/manifest.json`,
        contents: new TextEncoder().encode(`${JSON.stringify(buildManifest(inputs, result, links), null, 2)}\n`),
      }),
    }),
  );
  const skippedEntries = [...entries].map(([sourcePath, reason]) => ({
    kind: "entry",
    sourcePath,
    displayPath: sourcePath,
    reason,
  }));
  result.skipped = [...plan.skipped, ...skippedEntries];
  result.skippedVolatileCount = skippedEntries.filter((entry) => entry.reason === "volatile").length;
  const vanished = skippedEntries.filter((e) => e.reason === "vanished").map((e) =>
    `Skipped vanished entry (ENOENT): ${e.sourcePath}`
  );
  if (warnings.length + vanished.length > 0) result.warnings = [...warnings.sort(), ...vanished];
  if (links.length) result.externalSymbolicLinks = links;
}

function buildManifest(inputs: CreateInputs, result: BackupCreateResult, links: ArchiveLink[]) {
  const { plan } = inputs;
  return {
    schemaVersion: 1,
    createdAt: result.createdAt,
    archiveRoot: result.archiveRoot,
    runtimeVersion: inputs.runtime.version,
    platform: inputs.runtime.platform,
    nodeVersion: inputs.runtime.nodeVersion,
    options: { includeWorkspace: result.includeWorkspace, onlyConfig: result.onlyConfig },
    paths: {
      stateDir: plan.stateDir,
      configPath: plan.configPath,
      oauthDir: plan.oauthDir,
      workspaceDirs: plan.workspaceDirs,
      ...(result.agentRoots ? { agentRoots: result.agentRoots } : {}),
    },
    assets: result.assets.map(({ kind, sourcePath, archivePath }) => ({ kind, sourcePath, archivePath })),
    skipped: plan.skipped.map(({ kind, sourcePath, reason, coveredBy }) => ({ kind, sourcePath, reason, coveredBy })),
    externalSymbolicLinks: links,
  };
}
