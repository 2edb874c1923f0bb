// The files of an agent's sessions directory as the reference's store maintenance sees them, and its
// unreferenced-artifact rule (recorded in tests/fixtures/sessions/reference_sessions_artifacts.json):
// a legacy transcript (`<id>.jsonl`), a compaction checkpoint (`<id>.checkpoint.<uuid>.jsonl`) or a
// trajectory file (`*.trajectory.jsonl`, `*.trajectory-path.json`) that no session references and was
// last written before `pruneAfter` goes, oldest first; so do store temp files (`sessions.json.<uuid>.tmp`)
// and prompt-blob temp files older than five minutes, and prompt blobs no session references. Archives,
// migration rollbacks and every other file stay.
import { createHash } from "node:crypto";

/** One regular file of the sessions directory (or its prompt-blob tree). */
export interface SessionDirFile {
  path: string;
  name: string;
  size: number;
  mtimeMs: number;
}

/** The session entry fields that reference files. */
export interface ArtifactEntry {
  sessionId?: unknown;
  sessionFile?: unknown;
  compactionCheckpoints?: unknown;
  skillsSnapshot?: unknown;
}

/** The reference's `unreferencedArtifacts` block. */
export interface ArtifactsSummary {
  scannedFiles: number;
  removedFiles: number;
  freedBytes: number;
  olderThanMs: number;
}

/** How old a store or prompt-blob temp file must be to go (the reference's five minutes). */
export const TEMP_STALE_MS = 300_000;
const STORE_BASENAME = "sessions.json";
const ARCHIVE_SUFFIX = /^(\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}(?:\.\d{3})?Z)(?:\.([0-9a-f]{32}))?$/;
const CHECKPOINT =
  /^(.+)\.checkpoint\.[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\.jsonl$/i;
const MIGRATION = /\.migrated(?:\.\d+)?$/u;
const PRE_DOCTOR =
  /\.jsonl\.pre-doctor-(?:branch|openai-codex)-repair-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z\.bak$/u;
const STORE_TEMP = /^sessions\.json\.(?:\d+\.)?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.tmp$/i;
const BLOB = /^[a-f0-9]{64}\.txt$/u;
const BLOB_TEMP = /^[a-f0-9]{64}\.txt\.(?:\d+\.)?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.tmp$/u;

function hasArchiveSuffix(name: string, reason: string): boolean {
  const plain = name.endsWith(".zst") ? name.slice(0, -4) : name;
  const index = plain.lastIndexOf(`.${reason}.`);
  return index >= 0 && ARCHIVE_SUFFIX.test(plain.slice(index + reason.length + 2));
}

/** A retained transcript archive (`.deleted.`, `.reset.` or `.bak.` with a timestamp), which the disk budget may prune. */
export function isRetainedArchiveName(name: string): boolean {
  return ["deleted", "reset", "bak"].some((reason) => hasArchiveSuffix(name, reason));
}

function isArchiveName(name: string): boolean {
  return /^sessions\.json\.bak\.\d+$/.test(name) || isRetainedArchiveName(name);
}

function isTrajectoryName(name: string): boolean {
  return name.endsWith(".trajectory.jsonl") || name.endsWith(".trajectory-path.json");
}

/** A file the artifact rule may remove when nothing references it. */
function isArtifactName(name: string): boolean {
  if (CHECKPOINT.test(name) || isTrajectoryName(name)) return true;
  return name !== STORE_BASENAME && name.endsWith(".jsonl") && !isArchiveName(name);
}

async function statFile(path: string, name: string): Promise<SessionDirFile | undefined> {
  try {
    const stat = await Deno.lstat(path);
    return stat.isFile ? { path, name, size: stat.size, mtimeMs: stat.mtime?.getTime() ?? 0 } : undefined;
  } catch {
    return undefined;
  }
}

async function entriesOf(dir: string): Promise<Deno.DirEntry[]> {
  try {
    return await Array.fromAsync(Deno.readDir(dir));
  } catch {
    return [];
  }
}

/** The regular files of `dir` the reference counts (migration rollback archives are not). */
export async function readSessionDirFiles(dir: string): Promise<SessionDirFile[]> {
  const files: SessionDirFile[] = [];
  for (const item of await entriesOf(dir)) {
    if (!item.isFile || MIGRATION.test(item.name) || PRE_DOCTOR.test(item.name)) continue;
    const file = await statFile(`${dir}/${item.name}`, item.name);
    if (file) files.push(file);
  }
  return files;
}

/** The prompt blobs (`skills-prompts/sha256/<xx>/<hash>.txt`) and their temp files. */
export async function readPromptBlobFiles(sessionsDir: string): Promise<SessionDirFile[]> {
  const root = `${sessionsDir}/skills-prompts/sha256`;
  const files: SessionDirFile[] = [];
  for (const prefix of await entriesOf(root)) {
    if (!prefix.isDirectory || !/^[a-f0-9]{2}$/u.test(prefix.name)) continue;
    for (const item of await entriesOf(`${root}/${prefix.name}`)) {
      if (!item.isFile || !(BLOB.test(item.name) || BLOB_TEMP.test(item.name))) continue;
      const file = await statFile(`${root}/${prefix.name}/${item.name}`, item.name);
      if (file) files.push(file);
    }
  }
  return files;
}

function withinDir(dir: string, path: string): boolean {
  return path.startsWith(`${dir}/`) && !path.slice(dir.length + 1).split("/").includes("..");
}

/** The files an entry references: its transcript file and that file's trajectory pair. */
export function entryArtifactPaths(sessionsDir: string, entry: ArtifactEntry): string[] {
  const id = typeof entry.sessionId === "string" ? entry.sessionId.trim() : "";
  if (!id) return [];
  const file = typeof entry.sessionFile === "string" ? entry.sessionFile.trim() : "";
  // A `sqlite:` transcript marker resolves outside the directory: the reference references no file for it.
  if (file.startsWith("sqlite:")) return [];
  const candidate = file ? (file.startsWith("/") ? file : `${sessionsDir}/${file}`) : "";
  const transcript = candidate && withinDir(sessionsDir, candidate) ? candidate : `${sessionsDir}/${id}.jsonl`;
  if (!withinDir(sessionsDir, transcript)) return [];
  const base = transcript.endsWith(".jsonl") ? transcript.slice(0, -6) : transcript;
  return [transcript, `${base}.trajectory-path.json`, `${base}.trajectory.jsonl`];
}

function checkpointPaths(sessionsDir: string, entry: ArtifactEntry): string[] {
  if (!Array.isArray(entry.compactionCheckpoints)) return [];
  return entry.compactionCheckpoints.flatMap((c: unknown) => {
    const record = typeof c === "object" && c !== null ? c as Record<string, unknown> : {};
    return [record.preCompaction, record.postCompaction].flatMap((side) => {
      const f = typeof side === "object" && side !== null ? (side as Record<string, unknown>).sessionFile : undefined;
      return typeof f === "string" && withinDir(sessionsDir, f.trim()) ? [f.trim()] : [];
    });
  });
}

/**
 * The prompt-blob hashes the entries reference: a stored `promptRef`, and (safer than the reference,
 * which hashes only prompts it would move out) the hash of any inline prompt.
 */
function promptHashes(entries: readonly ArtifactEntry[]): Set<string> {
  const hashes = new Set<string>();
  for (const entry of entries) {
    const snapshot = entry.skillsSnapshot as { promptRef?: { hash?: unknown }; prompt?: unknown } | undefined;
    if (typeof snapshot?.promptRef?.hash === "string") hashes.add(snapshot.promptRef.hash);
    if (typeof snapshot?.prompt === "string") {
      hashes.add(createHash("sha256").update(snapshot.prompt).digest("hex"));
    }
  }
  return hashes;
}

/** Which files the artifact rule removes, oldest first; `exclude` (paths) stays whatever it is. */
export function unreferencedArtifacts(options: {
  sessionsDir: string;
  files: readonly SessionDirFile[];
  blobs: readonly SessionDirFile[];
  entries: readonly ArtifactEntry[];
  olderThanMs: number;
  now: number;
  exclude?: ReadonlySet<string>;
}): SessionDirFile[] {
  const olderThan = Number.isFinite(options.olderThanMs) && options.olderThanMs > 0 ? options.olderThanMs : 0;
  const cutoff = options.now - olderThan;
  const tempCutoff = options.now - TEMP_STALE_MS;
  const blobCutoff = options.now - Math.max(olderThan, TEMP_STALE_MS);
  const referenced = new Set<string>();
  for (const entry of options.entries) {
    for (const path of entryArtifactPaths(options.sessionsDir, entry)) referenced.add(path);
    for (const path of checkpointPaths(options.sessionsDir, entry)) referenced.add(path);
  }
  const hashes = promptHashes(options.entries);
  const excluded = (f: SessionDirFile) => options.exclude?.has(f.path) ?? false;
  const store = options.files.filter((f) => {
    if (excluded(f)) return false;
    if (STORE_TEMP.test(f.name)) return f.mtimeMs <= tempCutoff;
    return f.mtimeMs <= cutoff && isArtifactName(f.name) && !referenced.has(f.path);
  });
  const blobs = options.blobs.filter((f) => {
    if (excluded(f)) return false;
    if (BLOB_TEMP.test(f.name)) return f.mtimeMs <= tempCutoff;
    return f.mtimeMs <= blobCutoff && !hashes.has(f.name.slice(0, -4));
  });
  return [...store, ...blobs].toSorted((a, b) => a.mtimeMs - b.mtimeMs);
}

/**
 * Prunes (or, with `dryRun`, counts) the unreferenced artifacts of one sessions directory, as the
 * reference's `pruneUnreferencedSessionArtifacts` does: each file is re-checked (still a regular file)
 * just before it goes.
 */
export async function pruneUnreferencedArtifacts(options: {
  sessionsDir: string;
  entries: readonly ArtifactEntry[];
  olderThanMs: number;
  dryRun: boolean;
  exclude?: ReadonlySet<string>;
}): Promise<ArtifactsSummary> {
  const files = await readSessionDirFiles(options.sessionsDir);
  const blobs = await readPromptBlobFiles(options.sessionsDir);
  const olderThanMs = Number.isFinite(options.olderThanMs) && options.olderThanMs > 0 ? options.olderThanMs : 0;
  const doomed = unreferencedArtifacts({ ...options, files, blobs, now: Date.now() });
  let removedFiles = 0;
  let freedBytes = 0;
  for (const file of doomed) {
    if (!options.dryRun) {
      const current = await statFile(file.path, file.name);
      if (!current) continue;
      try {
        await Deno.remove(file.path);
      } catch {
        continue;
      }
      freedBytes += current.size;
    } else {
      freedBytes += file.size;
    }
    removedFiles += 1;
  }
  return { scannedFiles: files.length + blobs.length, removedFiles, freedBytes, olderThanMs };
}
