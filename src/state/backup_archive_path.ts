// How a backup archive names things, as the reference's archives do: the timestamped root
// (`<local time with offset>-openclaw-backup`), each source's payload path under `<root>/payload/`
// and the rules a path read back from an archive must pass before anything trusts it.
import { posix } from "node:path";

const pad = (value: number, width = 2) => String(value).padStart(width, "0");

/** A filesystem-safe local timestamp with its UTC offset: `2026-03-09T08-00-00.000+08-00`. */
export function backupTimestamp(nowMs: number, offsetMinutes = -new Date(nowMs).getTimezoneOffset()): string {
  const local = new Date(nowMs + offsetMinutes * 60_000);
  const sign = offsetMinutes >= 0 ? "+" : "-";
  const abs = Math.abs(offsetMinutes);
  return `${pad(local.getUTCFullYear(), 4)}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}T` +
    `${pad(local.getUTCHours())}-${pad(local.getUTCMinutes())}-${pad(local.getUTCSeconds())}.` +
    `${pad(local.getUTCMilliseconds(), 3)}${sign}${pad(Math.floor(abs / 60))}-${pad(abs % 60)}`;
}

/** The single directory every entry of an archive lives under. */
export function backupArchiveRoot(nowMs: number): string {
  return `${backupTimestamp(nowMs)}-openclaw-backup`;
}

/** The default archive file name. */
export function backupArchiveBasename(nowMs: number): string {
  return `${backupArchiveRoot(nowMs)}.tar.gz`;
}

/** A source path encoded below `payload/`: `posix/<abs path>`, `windows/<DRIVE>/…` or `relative/…`. */
export function encodeSourcePath(sourcePath: string): string {
  const normalized = sourcePath.replaceAll("\\", "/");
  const drive = normalized.match(/^([A-Za-z]):\/(.*)$/);
  if (drive) return posix.join("windows", drive[1]!.toUpperCase(), drive[2] ?? "");
  if (normalized.startsWith("/")) return posix.join("posix", normalized.slice(1));
  return posix.join("relative", normalized);
}

/** The archive path of one source path. */
export function backupArchivePath(archiveRoot: string, sourcePath: string): string {
  return posix.join(archiveRoot, "payload", encodeSourcePath(sourcePath));
}

function assertPortableRelative(value: string, label: string, reported = value): void {
  if (value.startsWith("/") || /^[A-Za-z]:[\\/]/.test(value)) throw new Error(`${label} must be relative: ${reported}`);
  if (value.includes("\\")) throw new Error(`${label} must use forward slashes: ${reported}`);
}

/** Checks and normalizes a path read from an archive; traversal, absolute and empty paths throw. */
export function normalizeArchivePath(entryPath: string, label: string): string {
  const trimmed = entryPath.replace(/\/+$/u, "");
  if (!trimmed) throw new Error(`${label} is empty.`);
  assertPortableRelative(trimmed, label, entryPath);
  if (trimmed.split("/").some((segment) => segment === "." || segment === "..")) {
    throw new Error(`${label} contains path traversal segments: ${entryPath}`);
  }
  const normalized = posix.normalize(trimmed).replace(/\/+$/u, "");
  if (!normalized || normalized === "." || normalized === ".." || normalized.startsWith("../")) {
    throw new Error(`${label} resolves outside the archive root: ${entryPath}`);
  }
  return normalized;
}

/** The manifest's `archiveRoot`, which must be one safe path segment. */
export function normalizeArchiveRoot(root: string): string {
  const normalized = normalizeArchivePath(root, "Backup manifest archiveRoot");
  if (normalized.includes("/")) throw new Error(`Backup manifest archiveRoot must be a single path segment: ${root}`);
  return normalized;
}

/** True when `child` is `parent` or below it (archive paths, `/`-separated). */
export function isArchivePathWithin(child: string, parent: string): boolean {
  const relative = posix.relative(parent, child);
  return relative === "" || (!relative.startsWith("../") && relative !== "..");
}

/** True when `child` is `parent` or below it (absolute host paths). */
export function isPathWithin(child: string, parent: string): boolean {
  const relative = posix.relative(parent, child);
  return relative === "" || (!relative.startsWith("../") && relative !== ".." && !posix.isAbsolute(relative));
}
