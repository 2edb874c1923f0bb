// `backup restore`: verify first, then extract the whole archive into a fresh staging directory
// (never the live state dir or a live agent dir, never a non-empty directory), links recreated
// after the files so nothing is written through one; a failed extraction is cleaned away.
import * as tar from "tar";
import { dirname, join } from "node:path";
import { isPathWithin } from "./backup_archive_path.ts";
import { canonicalForContainment } from "./backup_plan.ts";
import { type BackupVerifyResult, MAX_DECOMPRESSION_RATIO, prepareBackupArchive } from "./backup_verify.ts";

/** The reference's rollback warnings, printed after every restore. */
export const RESTORE_WARNINGS: readonly string[] = [
  "Restoring an archive is time travel: every restored state surface rolls back to the archive timestamp.",
  "Messaging-channel credentials with ratchet state, especially WhatsApp, may desynchronize after rollback and require relinking.",
  "Approvals and delivery/dedupe state also roll back; review pending approvals before resuming the Gateway.",
  "Plugin node_modules are not archived; after activation, run `openclaw plugins update <id>` or reinstall with `openclaw plugins install <spec> --force`.",
  "Generated plugin-skills links are not archived; after activation, run `openclaw skills list` or start an agent session to rebuild them.",
];

/** What `backup restore --json` prints: the verification result, the target and the warnings. */
export interface BackupRestoreResult extends BackupVerifyResult {
  targetPath: string;
  warnings: string[];
}

/** Live paths a restore target must stay out of. */
export interface LiveRoots {
  stateDir: string;
  agentRoots: string[];
}

async function prepareTarget(target: string): Promise<{ created: boolean }> {
  try {
    const info = await Deno.lstat(target);
    if (!info.isDirectory) throw new Error(`Backup restore target must be a directory: ${target}`);
    for await (const _ of Deno.readDir(target)) {
      throw new Error(`Backup restore target directory must be empty: ${target}`);
    }
    return { created: false };
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  await Deno.mkdir(target, { recursive: true, mode: 0o700 });
  return { created: true };
}

async function cleanup(target: string, created: boolean): Promise<void> {
  if (created) return await Deno.remove(target, { recursive: true });
  for await (const entry of Deno.readDir(target)) await Deno.remove(join(target, entry.name), { recursive: true });
}

/** Verifies `archivePath` and extracts it into `target` (absolute paths). */
export async function restoreBackupArchive(
  archivePath: string,
  target: string,
  live: LiveRoots,
): Promise<BackupRestoreResult> {
  const canonicalTarget = canonicalForContainment(target);
  if (isPathWithin(canonicalTarget, canonicalForContainment(live.stateDir))) {
    throw new Error(`Backup restore target must be outside the live OpenClaw state directory: ${target}`);
  }
  for (const root of live.agentRoots) {
    if (isPathWithin(canonicalTarget, canonicalForContainment(root))) {
      throw new Error(`Backup restore target must be outside the live OpenClaw agent directory: ${target}`);
    }
  }
  const prepared = await prepareBackupArchive(archivePath);
  const { created } = await prepareTarget(target);
  const linkPaths = new Set(prepared.symbolicLinks.map((link) => link.entryPath));
  try {
    let failure: Error | undefined;
    await tar.x({
      file: archivePath,
      gzip: true,
      maxDecompressionRatio: MAX_DECOMPRESSION_RATIO,
      cwd: target,
      strict: false,
      preserveOwner: false,
      filter: (path: string) => !linkPaths.has(path),
      onReadEntry: (entry) => {
        const hardlink = prepared.hardlinkTargets.get(entry.path);
        if (hardlink !== undefined) entry.linkpath = hardlink;
      },
      onwarn: (code: string, text: string | Error, data: unknown) => {
        failure ??= data instanceof Error ? data : new Error(`${code}: ${text instanceof Error ? text.message : text}`);
      },
    } as tar.TarOptionsWithAliasesFile);
    if (failure) throw failure;
    for (const { entryPath } of prepared.symbolicLinks) {
      await Deno.mkdir(dirname(join(target, entryPath)), { recursive: true });
    }
    for (const { entryPath, linkpath } of prepared.symbolicLinks) await Deno.symlink(linkpath, join(target, entryPath));
  } catch (error) {
    try {
      await cleanup(target, created);
    } catch (cleanupError) {
      throw new Error(
        `Backup restore failed and the incomplete target could not be cleaned: ${target}. Cleanup error: ${
          cleanupError instanceof Error ? cleanupError.message : cleanupError
        }`,
        { cause: error },
      );
    }
    throw new Error(`Backup restore failed; the incomplete target was cleaned: ${target}`, { cause: error });
  }
  const external = (prepared.result.externalSymbolicLinks ?? []).map(({ entryPath, linkpath }) =>
    `External link restored (target not copied through link): ${JSON.stringify(entryPath)} -> ${
      JSON.stringify(linkpath)
    }`
  );
  return { ...prepared.result, targetPath: target, warnings: [...RESTORE_WARNINGS, ...external] };
}
