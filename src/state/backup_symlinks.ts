// Symbolic links inside an archive: which are allowed, and which point outside the state directory
// (the manifest's `externalSymbolicLinks`). Creation never follows a link; restore recreates it.
import { posix } from "node:path";
import { isArchivePathWithin, normalizeArchivePath, normalizeArchiveRoot } from "./backup_archive_path.ts";
import type { ArchiveLink } from "./backup_manifest.ts";

/** What a link is checked against: the archive root, the assets and the state asset's two paths. */
export interface LinkContext {
  archiveRoot: string;
  assets: readonly { archivePath: string }[];
  state?: { sourcePath: string; archivePath: string } | undefined;
  /** True when the manifest carries an `externalSymbolicLinks` list (newer archives always do). */
  hasExternalLinkReport: boolean;
}

/** Checks one link entry with the reference's rules; returns it with whether it leaves the state dir. */
export function recordArchiveLink(link: ArchiveLink, context: LinkContext): ArchiveLink & { external: boolean } {
  if (!link.linkpath || link.linkpath.includes("\0")) {
    throw new Error(`Archive symbolic link is missing its target: ${link.entryPath}`);
  }
  const entryPath = normalizeArchivePath(link.entryPath, "Archive symbolic link path");
  const inAsset = context.assets.some(({ archivePath }) => isArchivePathWithin(entryPath, archivePath));
  if (!inAsset || !isArchivePathWithin(entryPath, normalizeArchiveRoot(context.archiveRoot))) {
    throw new Error(
      `Archive symbolic link is outside the declared backup assets: ${link.entryPath} -> ${link.linkpath}`,
    );
  }
  if (!context.hasExternalLinkReport) {
    if (link.linkpath.startsWith("/") || link.linkpath.includes("\\")) {
      throw new Error("Backup manifest external symbolic links do not match archive entries.");
    }
    const target = posix.join(posix.dirname(entryPath), link.linkpath);
    if (!context.assets.some(({ archivePath }) => isArchivePathWithin(target, archivePath))) {
      throw new Error("Backup manifest external symbolic links do not match archive entries.");
    }
  } else if (!context.state) throw new Error("Backup manifest is missing the symbolic-link state boundary.");
  const absolute = posix.isAbsolute(link.linkpath);
  const target = absolute ? posix.normalize(link.linkpath) : posix.join(posix.dirname(entryPath), link.linkpath);
  if (!context.state) return { ...link, external: false };
  const relative = posix.relative(absolute ? context.state.sourcePath : context.state.archivePath, target);
  const external = posix.isAbsolute(relative) || relative === ".." || relative.startsWith("../");
  return { ...link, external };
}
