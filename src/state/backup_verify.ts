// `backup verify`: an archive is trusted only after these checks, the reference's, with its words:
// exactly one root manifest, no traversal or duplicate or case-colliding paths, every asset's
// payload present, links inside the assets and nothing beneath a link, and the state database
// snapshot (plus the agent snapshots its registry lists) intact, owned and without sidecars.
import * as tar from "tar";
import { posix } from "node:path";
import { tmpdir } from "node:os";
import {
  backupArchivePath,
  isArchivePathWithin,
  normalizeArchivePath,
  normalizeArchiveRoot,
} from "./backup_archive_path.ts";
import {
  type ArchiveLink,
  type BackupManifest,
  isRootManifestEntry,
  manifestSizeError,
  parseBackupManifest,
  verifyManifestEntries,
} from "./backup_manifest.ts";
import { recordArchiveLink } from "./backup_symlinks.ts";
import { verifySnapshots } from "./backup_verify_sqlite.ts";

/** The reference's decompression-ratio guard for archive reads. */
export const MAX_DECOMPRESSION_RATIO = 1100;

/** What `backup verify --json` prints. */
export interface BackupVerifyResult {
  ok: true;
  archivePath: string;
  archiveRoot: string;
  createdAt: string;
  runtimeVersion: string;
  assetCount: number;
  entryCount: number;
  symlinkCount: number;
  externalSymbolicLinks?: ArchiveLink[];
}

/** A verified archive and what extraction needs: hardlink targets and the links to recreate last. */
export interface PreparedArchive {
  result: BackupVerifyResult;
  hardlinkTargets: Map<string, string>;
  symbolicLinks: ArchiveLink[];
}

/** One listed entry, raw and normalized. */
export interface ListedEntry {
  raw: string;
  normalized: string;
  size?: number;
  type?: string;
  linkpath?: string;
}

const portableKey = (value: string) => value.normalize("NFC").toLowerCase();
const message = (error: unknown) => error instanceof Error ? error.message : String(error);

async function listEntries(archivePath: string) {
  const entries: { path: string; linkpath?: string; size?: number; type?: string }[] = [];
  let invalid: string | undefined;
  await tar.t({
    file: archivePath,
    gzip: true,
    maxDecompressionRatio: MAX_DECOMPRESSION_RATIO,
    onwarn: (code: string, text: string | Error) => {
      if (code === "TAR_BAD_ARCHIVE" || code === "TAR_ENTRY_INVALID") invalid ??= message(text);
    },
    onReadEntry: (entry) => {
      entries.push({
        path: entry.path,
        ...(entry.linkpath ? { linkpath: entry.linkpath } : {}),
        ...(Number.isSafeInteger(entry.size) && entry.size >= 0 ? { size: entry.size } : {}),
        ...(entry.type ? { type: entry.type } : {}),
      });
    },
  } as tar.TarOptionsWithAliasesFile);
  return { entries, invalid };
}

async function readManifest(archivePath: string, entryPath: string): Promise<string> {
  let content: Promise<Uint8Array | Error> | undefined;
  await tar.t({
    file: archivePath,
    gzip: true,
    maxDecompressionRatio: MAX_DECOMPRESSION_RATIO,
    filter: (path: string) => path === entryPath,
    onReadEntry: (entry) => {
      const tooBig = manifestSizeError(entry.size);
      content = tooBig ? Promise.resolve(tooBig) : entry.concat().catch((error: unknown) => new Error(message(error)));
    },
  } as tar.TarOptionsWithAliasesFile);
  if (!content) throw new Error(`Archive is missing manifest entry: ${entryPath}`);
  const value = await content;
  if (value instanceof Error) throw value;
  return new TextDecoder().decode(value);
}

function stateOf(manifest: BackupManifest) {
  const asset = manifest.assets.find((a) => a.kind === "state");
  if (asset) return asset;
  const stateDir = manifest.paths?.stateDir;
  return stateDir
    ? { sourcePath: stateDir, archivePath: backupArchivePath(manifest.archiveRoot, stateDir) }
    : undefined;
}

async function verifyResolved(archivePath: string): Promise<PreparedArchive> {
  let info: Deno.FileInfo;
  try {
    info = await Deno.stat(archivePath);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new Error("Archive does not exist. Check the path and run `openclaw backup verify <archive>` again.");
    }
    throw new Error(
      `Archive could not be inspected. ${message(error)} Check the path and file permissions, then try again.`,
    );
  }
  if (!info.isFile) {
    throw new Error(
      "Archive must be a regular file. Choose a backup archive created by `openclaw backup create` and try again.",
    );
  }
  const listing = await listEntries(archivePath).catch((error) => {
    throw new Error(
      `Archive could not be read or parsed. ${
        message(error)
      } Check the file permissions and archive integrity, then try again.`,
    );
  });
  if (listing.invalid) {
    throw new Error(
      `Archive is not a valid OpenClaw backup. ${
        listing.invalid.replace(/[.!?]*$/u, ".")
      } Choose another archive or create a new one with \`openclaw backup create\`.`,
    );
  }
  const raw = listing.entries;
  const entries: ListedEntry[] = raw.map((entry) => ({
    raw: entry.path,
    normalized: normalizeArchivePath(entry.path, "Archive entry"),
    ...(entry.size !== undefined ? { size: entry.size } : {}),
    ...(entry.type ? { type: entry.type } : {}),
  }));
  const rawByNormalized = new Map<string, string>();
  let duplicate: string | undefined;
  for (const entry of entries) {
    if (rawByNormalized.has(entry.normalized)) duplicate ??= entry.normalized;
    rawByNormalized.set(entry.normalized, entry.raw);
  }
  const manifests = entries.filter((entry) => isRootManifestEntry(entry.normalized));
  if (manifests.length !== 1) throw new Error(`Expected exactly one backup manifest entry, found ${manifests.length}.`);
  if (duplicate) throw new Error(`Archive contains duplicate entry path: ${duplicate}`);
  const seen = new Map<string, string>();
  for (const entry of entries) {
    const key = portableKey(entry.normalized);
    const first = seen.get(key);
    if (first && first !== entry.normalized) {
      throw new Error(`Archive contains a portable path collision: ${first} and ${entry.normalized}`);
    }
    seen.set(key, entry.normalized);
  }
  const manifest = parseBackupManifest(await readManifest(archivePath, manifests[0]!.raw));
  verifyManifestEntries(manifest, new Set(rawByNormalized.keys()));
  const root = normalizeArchiveRoot(manifest.archiveRoot);
  const hardlinkTargets = new Map<string, string>();
  for (const entry of raw) {
    if (entry.type !== "Link") continue;
    const target = normalizeArchivePath(entry.linkpath ?? "", `Archive hardlink target for ${entry.path}`);
    const resolved = isArchivePathWithin(target, root) ? target : posix.join(root, target);
    const rawTarget = rawByNormalized.get(resolved);
    if (!rawTarget) {
      throw new Error(`Archive hardlink target is missing from archive entries: ${entry.path} -> ${resolved}`);
    }
    hardlinkTargets.set(entry.path, rawTarget);
  }
  const links = raw.filter((entry) => entry.type === "SymbolicLink").map((entry) => ({
    entryPath: entry.path,
    linkpath: entry.linkpath ?? "",
  }));
  const linkKeys = new Set(
    links.map((l) => portableKey(normalizeArchivePath(l.entryPath, "Archive symbolic link path"))),
  );
  for (const entry of entries) {
    for (let parent = posix.dirname(entry.normalized); parent !== "."; parent = posix.dirname(parent)) {
      if (linkKeys.has(portableKey(parent))) throw new Error(`Archive entry is beneath a symbolic link: ${entry.raw}`);
    }
  }
  const context = {
    archiveRoot: manifest.archiveRoot,
    assets: manifest.assets,
    state: stateOf(manifest),
    hasExternalLinkReport: manifest.externalSymbolicLinks !== undefined,
  };
  const prepared: ArchiveLink[] = [];
  const external: ArchiveLink[] = [];
  for (const link of links) {
    const { external: isExternal, ...record } = recordArchiveLink(link, context);
    prepared.push(record);
    if (isExternal) external.push(record);
  }
  const reported = new Map((manifest.externalSymbolicLinks ?? []).map((l) => [l.entryPath, l.linkpath]));
  if (
    manifest.externalSymbolicLinks !== undefined &&
    (reported.size !== external.length || external.some((l) => reported.get(l.entryPath) !== l.linkpath))
  ) throw new Error("Backup manifest external symbolic links do not match archive entries.");
  await verifySnapshots({ archivePath, entries, manifest, tempRoot: tmpdir() });
  return {
    result: {
      ok: true,
      archivePath,
      archiveRoot: manifest.archiveRoot,
      createdAt: manifest.createdAt,
      runtimeVersion: manifest.runtimeVersion,
      assetCount: manifest.assets.length,
      entryCount: raw.length,
      symlinkCount: links.length,
      ...(external.length ? { externalSymbolicLinks: external } : {}),
    },
    hardlinkTargets,
    symbolicLinks: prepared,
  };
}

/** Verifies the archive at `archivePath` (absolute); every failure names the archive first. */
export async function prepareBackupArchive(archivePath: string): Promise<PreparedArchive> {
  try {
    return await verifyResolved(archivePath);
  } catch (error) {
    throw new Error(`Backup archive verification failed: ${archivePath}. ${message(error)}`);
  }
}
