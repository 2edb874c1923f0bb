// Exporting one session's trajectory bundle into `<workspace>/.openclaw/trajectory-exports/<name>/`, as the
// reference's `sessions export-trajectory` does: the output name must stay inside that folder (refused
// in the reference's words otherwise; symlinked folders refused too), the session's rows are read from its
// agent database, the bundle is built (trajectory_bundle.ts) and written into a new 0700 directory, one
// 0600 file each, never over an existing bundle.
import { basename, dirname, isAbsolute, join, relative, resolve } from "node:path";
import { readTrajectorySources } from "../state/trajectory_sources_read.ts";
import { buildBundle } from "./trajectory_bundle.ts";
import type { TrajectoryEvent } from "./trajectory_captures.ts";
import type { RedactionPlaces } from "./trajectory_redaction.ts";
import { entryExists } from "../state/entry_exists.ts";

/** An export the reference refuses or fails; the message is its wording (the CLI prefixes it). */
export class TrajectoryExportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TrajectoryExportError";
  }
}

/** What one export needs. */
export interface ExportRequest {
  /** The agent database holding the session. */
  storePath: string;
  sessionId: string;
  sessionKey: string;
  workspaceDir: string;
  /** The `--output` name, relative to the exports folder. */
  output: string | undefined;
  stateDir: string;
  home: string | undefined;
  now?: () => Date;
}

/** What the command reports, in the reference's JSON shape. */
export interface ExportSummary {
  outputDir: string;
  displayPath: string;
  sessionId: string;
  eventCount: number;
  runtimeEventCount: number;
  transcriptEventCount: number;
  files: string[];
}

function isInside(base: string, target: string): boolean {
  const rel = relative(base, target);
  return rel === "" || (!rel.startsWith("..") && !isAbsolute(rel));
}

/** Makes `dir` (0700) when missing and checks it is a real directory whose real path stays in the workspace. */
async function ensureRealDir(dir: string, label: string, realWorkspace: string): Promise<string> {
  try {
    await Deno.mkdir(dir, { mode: 0o700 });
  } catch (error) {
    if (!(error instanceof Deno.errors.AlreadyExists)) throw error;
  }
  const stat = await Deno.lstat(dir);
  if (stat.isSymlink || !stat.isDirectory) {
    throw new TrajectoryExportError(`${label} must be a real directory inside the workspace`);
  }
  const real = await Deno.realPath(dir);
  if (!isInside(realWorkspace, real)) {
    throw new TrajectoryExportError("Trajectory exports directory must stay inside the workspace");
  }
  return real;
}

/** The default bundle name: `openclaw-trajectory-<first 8 of the session id>-<UTC time to the second>`. */
export function defaultBundleName(sessionId: string, now: Date): string {
  const safe = sessionId.replaceAll(/[^A-Za-z0-9_-]/g, "_").slice(0, 120);
  const name = /[A-Za-z0-9]/u.test(safe) ? safe : "session";
  const stamp = now.toISOString().replace(/[:.]/g, "-").slice(0, 19);
  return `openclaw-trajectory-${name.slice(0, 8)}-${stamp}`;
}

/** The bundle directory for `output` under the workspace's exports folder, refusing a name that leaves it. */
export async function resolveOutputDir(
  workspaceDir: string,
  output: string | undefined,
  sessionId: string,
  now: Date,
): Promise<string> {
  const workspace = resolve(workspaceDir);
  const realWorkspace = await Deno.realPath(workspace);
  const stateDir = join(workspace, ".openclaw");
  await ensureRealDir(stateDir, "OpenClaw state directory", realWorkspace);
  const base = join(stateDir, "trajectory-exports");
  const realBase = await ensureRealDir(base, "Trajectory exports directory", realWorkspace);
  const raw = output?.trim();
  if (!raw) return join(base, defaultBundleName(sessionId, now));
  if (isAbsolute(raw) || raw.startsWith("~")) {
    throw new TrajectoryExportError("Output path must be relative to the workspace trajectory exports directory");
  }
  const outputDir = resolve(base, raw);
  const rel = relative(base, outputDir);
  if (!rel || rel.startsWith("..") || isAbsolute(rel)) {
    throw new TrajectoryExportError("Output path must stay inside the workspace trajectory exports directory");
  }
  let existing = outputDir;
  while (!(await entryExists(existing))) {
    const parent = dirname(existing);
    if (parent === existing) break;
    existing = parent;
  }
  if (!isInside(realBase, await Deno.realPath(existing))) {
    throw new TrajectoryExportError("Output path must stay inside the real trajectory exports directory");
  }
  return outputDir;
}

/** Writes the files into a new directory; an existing one is refused as Node words EEXIST. */
async function writeBundle(outputDir: string, files: { path: string; content: string }[]): Promise<void> {
  await Deno.mkdir(dirname(outputDir), { recursive: true, mode: 0o700 });
  try {
    await Deno.mkdir(outputDir, { mode: 0o700 });
  } catch (error) {
    if (error instanceof Deno.errors.AlreadyExists) {
      throw new TrajectoryExportError(`EEXIST: file already exists, mkdir '${outputDir}'`);
    }
    throw error;
  }
  for (const file of files) {
    await Deno.writeTextFile(join(outputDir, file.path), file.content, { createNew: true, mode: 0o600 });
  }
}

/** Exports the session's bundle and answers the summary the command prints. */
export async function exportTrajectory(request: ExportRequest): Promise<ExportSummary> {
  const now = request.now ?? (() => new Date());
  const workspaceDir = resolve(request.workspaceDir);
  const outputDir = await resolveOutputDir(workspaceDir, request.output, request.sessionId, now());
  const sources = await readTrajectorySources(request.storePath, request.sessionId);
  const places: RedactionPlaces = { workspaceDir, stateDir: request.stateDir, home: request.home };
  const bundle = buildBundle({
    sessionId: request.sessionId,
    sessionKey: request.sessionKey,
    transcript: sources.transcript,
    runtime: sources.runtime as TrajectoryEvent[],
    places,
    now,
  });
  await writeBundle(outputDir, bundle.files);
  const rel = relative(workspaceDir, outputDir);
  const names = bundle.files.map((f) => f.path);
  return {
    outputDir,
    displayPath: rel && !rel.startsWith("..") && !isAbsolute(rel) ? rel : basename(outputDir),
    sessionId: request.sessionId,
    eventCount: bundle.eventCount,
    runtimeEventCount: bundle.runtimeEventCount,
    transcriptEventCount: bundle.transcriptEventCount,
    files: [...names.filter((n) => !bundle.supplementalFiles.includes(n)), ...bundle.supplementalFiles],
  };
}

/** The summary as the reference prints it without `--json`. */
export function formatExportSummary(summary: ExportSummary): string {
  return [
    "✅ Trajectory exported!",
    "",
    `📦 Bundle: ${summary.displayPath}`,
    `🧵 Session: ${summary.sessionId}`,
    `📊 Events: ${summary.eventCount}`,
    `🧪 Runtime events: ${summary.runtimeEventCount}`,
    `📝 Transcript events: ${summary.transcriptEventCount}`,
    `📁 Files: ${summary.files.join(", ")}`,
  ].join("\n");
}
