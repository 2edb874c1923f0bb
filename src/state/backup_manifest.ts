// The schema-version-1 `manifest.json` at an archive's root, written last and read first: its
// shape, the reference's parse rules (and their words) and the payload checks against the entries.
import { posix } from "node:path";
import { isArchivePathWithin, normalizeArchivePath, normalizeArchiveRoot } from "./backup_archive_path.ts";

/** One archived or skipped source as the manifest records it. */
export interface ManifestAsset {
  kind: string;
  sourcePath: string;
  archivePath: string;
}

/** A symbolic link whose target lies outside the state directory. */
export interface ArchiveLink {
  entryPath: string;
  linkpath: string;
}

/** The manifest as verification reads it (unknown fields ignored, as the reference does). */
export interface BackupManifest {
  schemaVersion: 1;
  archiveRoot: string;
  createdAt: string;
  runtimeVersion: string;
  platform: string;
  nodeVersion: string;
  paths?: { stateDir?: string; agentRoots?: { agentId: string; sourcePath: string }[] } | undefined;
  assets: ManifestAsset[];
  externalSymbolicLinks?: ArchiveLink[] | undefined;
}

/** The reference's manifest size limit (1 MiB). */
export const MANIFEST_MAX_BYTES = 1_048_576;

/** The error for a manifest over the size limit, or undefined. */
export function manifestSizeError(bytes: number): Error | undefined {
  return bytes > MANIFEST_MAX_BYTES
    ? new Error(`Backup manifest exceeds ${MANIFEST_MAX_BYTES} byte limit.`)
    : undefined;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

function sourcePathOf(value: unknown, label: string): string {
  if (typeof value !== "string" || value.includes("\0")) {
    throw new Error(`Backup manifest ${label} has an invalid sourcePath.`);
  }
  if (!value.startsWith("/") || posix.normalize(value) !== value) {
    throw new Error(`Backup manifest ${label} sourcePath must be absolute and normalized.`);
  }
  return value;
}

function agentRootsOf(value: unknown): { agentId: string; sourcePath: string }[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) throw new Error("Backup manifest agentRoots must be an array.");
  const ids = new Set<string>();
  const paths = new Set<string>();
  return value.map((root) => {
    if (!isRecord(root) || Object.keys(root).length !== 2 || !("agentId" in root) || !("sourcePath" in root)) {
      throw new Error("Backup manifest agent root must contain only agentId and sourcePath.");
    }
    const agentId = root.agentId;
    if (typeof agentId !== "string" || !/^[a-z0-9][a-z0-9_-]{0,63}$/.test(agentId)) {
      throw new Error("Backup manifest agent root has an invalid or noncanonical agentId.");
    }
    const sourcePath = sourcePathOf(root.sourcePath, "agent root");
    if (ids.has(agentId) || paths.has(sourcePath)) {
      throw new Error("Backup manifest contains duplicate agent root ownership.");
    }
    ids.add(agentId);
    paths.add(sourcePath);
    return { agentId, sourcePath };
  });
}

const text = (value: unknown) => typeof value === "string" && value.trim() !== "";

/** Parses manifest text with the reference's rules and words. */
export function parseBackupManifest(raw: string): BackupManifest {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (cause) {
    throw new Error("Backup manifest is not valid JSON.", { cause });
  }
  if (!isRecord(parsed)) throw new Error("Backup manifest must be an object.");
  if (parsed.schemaVersion !== 1) {
    throw new Error(`Unsupported backup manifest schemaVersion: ${String(parsed.schemaVersion)}`);
  }
  if (!text(parsed.archiveRoot)) throw new Error("Backup manifest is missing archiveRoot.");
  if (!text(parsed.createdAt)) throw new Error("Backup manifest is missing createdAt.");
  if (!Array.isArray(parsed.assets)) throw new Error("Backup manifest is missing assets.");
  const assets = parsed.assets.map((asset): ManifestAsset => {
    if (!isRecord(asset)) throw new Error("Backup manifest contains a non-object asset.");
    if (!text(asset.kind)) throw new Error("Backup manifest asset is missing kind.");
    if (!text(asset.sourcePath)) throw new Error("Backup manifest asset is missing sourcePath.");
    if (!text(asset.archivePath)) throw new Error("Backup manifest asset is missing archivePath.");
    return { kind: String(asset.kind), sourcePath: String(asset.sourcePath), archivePath: String(asset.archivePath) };
  });
  let links: ArchiveLink[] | undefined;
  if (parsed.externalSymbolicLinks !== undefined) {
    if (!Array.isArray(parsed.externalSymbolicLinks)) {
      throw new Error("Backup manifest externalSymbolicLinks must be an array.");
    }
    links = parsed.externalSymbolicLinks.map((link) => {
      if (!isRecord(link) || typeof link.entryPath !== "string" || typeof link.linkpath !== "string") {
        throw new Error("Backup manifest contains an invalid external symbolic link.");
      }
      return { entryPath: link.entryPath, linkpath: link.linkpath };
    });
  }
  const paths = isRecord(parsed.paths)
    ? {
      ...(parsed.paths.stateDir === undefined
        ? {}
        : { stateDir: sourcePathOf(parsed.paths.stateDir, "state directory") }),
      agentRoots: agentRootsOf(parsed.paths.agentRoots),
    }
    : undefined;
  return {
    schemaVersion: 1,
    archiveRoot: String(parsed.archiveRoot),
    createdAt: String(parsed.createdAt),
    runtimeVersion: text(parsed.runtimeVersion) ? String(parsed.runtimeVersion) : "unknown",
    platform: typeof parsed.platform === "string" ? parsed.platform : "unknown",
    nodeVersion: typeof parsed.nodeVersion === "string" ? parsed.nodeVersion : "unknown",
    paths: paths as BackupManifest["paths"],
    assets,
    ...(links === undefined ? {} : { externalSymbolicLinks: links }),
  };
}

/** True for `<root>/manifest.json`, the only place a manifest may sit. */
export function isRootManifestEntry(entryPath: string): boolean {
  const parts = entryPath.split("/");
  return parts.length === 2 && parts[0] !== "" && parts[1] === "manifest.json";
}

/** Every entry under the root, every asset under `payload/` and present in the archive. */
export function verifyManifestEntries(manifest: BackupManifest, entries: ReadonlySet<string>): void {
  const root = normalizeArchiveRoot(manifest.archiveRoot);
  const manifestPath = posix.join(root, "manifest.json");
  if (!entries.has(manifestPath)) throw new Error(`Archive is missing manifest entry: ${manifestPath}`);
  for (const entry of entries) {
    if (!isArchivePathWithin(entry, root)) {
      throw new Error(`Archive entry is outside the declared archive root: ${entry}`);
    }
  }
  const payload = posix.join(root, "payload");
  for (const asset of manifest.assets) {
    const assetPath = normalizeArchivePath(asset.archivePath, "Backup manifest asset path");
    if (!isArchivePathWithin(assetPath, payload)) {
      throw new Error(`Manifest asset path is outside payload root: ${asset.archivePath}`);
    }
    if (!entries.has(assetPath) && ![...entries].some((entry) => isArchivePathWithin(entry, assetPath))) {
      throw new Error(`Archive is missing payload for manifest asset: ${assetPath}`);
    }
  }
}
