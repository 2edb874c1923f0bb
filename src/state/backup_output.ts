// Where `backup create` writes its archive and how a filesystem failure there reads: the
// reference's `--output` resolution (a file, or a directory the default name goes into; the home
// directory when the working directory is inside a backed-up source) and its failure sentences.
import { dirname, join, resolve } from "node:path";
import { isPathWithin } from "./backup_archive_path.ts";
import { type BackupAsset, canonicalForContainment } from "./backup_plan.ts";

/** The archive path for `--output` (a file, or a directory the default name goes into), as the reference picks it. */
export async function resolveOutputPath(
  output: string | undefined,
  context: { basename: string; cwd: string; home: string | undefined; stateDir: string; assets: BackupAsset[] },
): Promise<string> {
  const raw = output?.trim();
  if (!raw) {
    const cwd = canonicalForContainment(context.cwd);
    const inside = context.assets.some((asset) => isPathWithin(cwd, asset.sourcePath));
    return resolve(inside ? context.home ?? dirname(context.stateDir) : context.cwd, context.basename);
  }
  const expanded = raw === "~"
    ? context.home ?? raw
    : raw.startsWith("~/") && context.home
    ? join(context.home, raw.slice(2))
    : raw;
  const path = resolve(context.cwd, expanded);
  if (raw.endsWith("/")) return join(path, context.basename);
  try {
    if ((await Deno.stat(path)).isDirectory) return join(path, context.basename);
  } catch {
    // Not there yet: the path names the archive itself.
  }
  return path;
}

const RETRY = "run `openclaw backup create --output <archive>` again.";

/**
 * The reference's sentence for a filesystem failure while preparing (`parent`), writing (`write`)
 * or publishing (`publication`) the archive; other errors pass through unchanged.
 */
export function outputFailure(error: unknown, outputPath: string, phase: "parent" | "write" | "publication"): unknown {
  const parent = dirname(outputPath);
  const noSpace = error instanceof Error && /No space left/i.test(error.message);
  // While writing, a failure may come from reading a source; only a full disk is the output's fault.
  if (phase === "write" && !noSpace) return error;
  let detail: string;
  if (error instanceof Deno.errors.NotFound) {
    detail = `Backup output directory could not be created: ${parent}. Check the path and ${RETRY}`;
  } else if (error instanceof Deno.errors.PermissionDenied || error instanceof Deno.errors.NotCapable) {
    detail =
      `Backup output directory is not writable: ${parent}. Check the path and directory permissions, then ${RETRY}`;
  } else if ((error instanceof Deno.errors.AlreadyExists || error instanceof Deno.errors.NotADirectory)) {
    if (phase !== "parent") return error;
    detail = `Backup output parent is not a directory: ${parent}. Choose a directory path and ${RETRY}`;
  } else if (noSpace) {
    detail = `The destination does not have enough free space: ${parent}. Free up disk space and ${RETRY}`;
  } else return error;
  return new Error(`Backup archive creation failed: ${outputPath}. ${detail}`, { cause: error });
}
