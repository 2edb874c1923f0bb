// `openclaw sessions cleanup` over agent stores, for the CLI (through server/local_sessions_cleanup.ts)
// and the gateway's `sessions.cleanup`: the preview (read-only, nothing written) and the real run
// (SessionStore.maintainArchiving: one transaction per store, removed sessions' transcripts archived as a
// delete archives them and published after the commit), each summarised in the reference's JSON shape. Artifact pruning and disk-budget eviction are measured, never acted on: this gateway keeps
// transcripts in the database, and no file here is an unreferenced artifact it may remove.
import type { SessionMaintenance } from "../config/session_maintenance.ts";
import { type CleanupAction, type CleanupPlan, planCleanup, type PlanCounts, type PlanEntry } from "./cleanup_plan.ts";
import { ArchivesPendingError } from "./archive_errors.ts";
import type { SessionStore } from "./store.ts";

/** One agent store to clean: its agent and its database file (`<stateDir>/agents/<id>/agent/…`). */
export interface CleanupTarget {
  agentId: string;
  path: string;
}

/** The flags and settings of one run. */
export interface CleanupRunOptions {
  maintenance: SessionMaintenance;
  mode: "enforce" | "warn";
  activeKey?: string | undefined;
  /** Whether a run is in flight on a session (the gateway's runs): such a session is never touched. */
  busy?: ((key: string) => boolean) | undefined;
  fixMissing: boolean;
  fixDmScope: boolean;
  /** `session.dmScope` is `main` (unset counts): only then does `--fix-dm-scope` retire anything. */
  dmScopeMain: boolean;
}

/** The reference's `unreferencedArtifacts` block. */
export interface ArtifactsSummary {
  scannedFiles: number;
  removedFiles: number;
  freedBytes: number;
  olderThanMs: number;
}

/** The reference's `diskBudget` block. */
export interface DiskBudgetSummary {
  totalBytesBefore: number;
  totalBytesAfter: number;
  removedFiles: number;
  removedEntries: number;
  freedBytes: number;
  maxBytes: number;
  highWaterBytes: number;
  overBudget: boolean;
}

/** One store's summary: the plan's counts and the rest (the code that builds it writes the reference's key order). */
export interface CleanupSummary extends PlanCounts {
  agentId: string;
  storePath: string;
  mode: "enforce" | "warn";
  dryRun: boolean;
  beforeCount: number;
  afterCount: number;
  unreferencedArtifacts: ArtifactsSummary;
  diskBudget: DiskBudgetSummary | null;
  wouldMutate: boolean;
  applied?: true;
  appliedCount?: number;
}

/** A preview: the summary and, for the table, the entries and each key's action. */
export interface CleanupPreview {
  summary: CleanupSummary;
  entries: PlanEntry[];
  actions: Map<string, CleanupAction>;
}

async function sizeOf(path: string): Promise<number> {
  try {
    return (await Deno.stat(path)).size;
  } catch {
    return 0;
  }
}

/** The regular files of the agent's sessions directory, with their sizes. */
async function sessionFiles(target: CleanupTarget): Promise<number[]> {
  // The agent's sessions directory sits beside its `agent/` directory.
  const dir = `${target.path.slice(0, target.path.lastIndexOf("/"))}/../sessions`;
  try {
    const sizes: number[] = [];
    for await (const item of Deno.readDir(dir)) {
      if (item.isFile) sizes.push(await sizeOf(`${dir}/${item.name}`));
    }
    return sizes;
  } catch {
    return [];
  }
}

async function measure(target: CleanupTarget, options: CleanupRunOptions) {
  const files = await sessionFiles(target);
  const artifacts: ArtifactsSummary = {
    scannedFiles: files.length,
    removedFiles: 0,
    freedBytes: 0,
    olderThanMs: options.maintenance.pruneAfterMs,
  };
  const { maxDiskBytes, highWaterBytes } = options.maintenance;
  let disk: DiskBudgetSummary | null = null;
  if (maxDiskBytes !== null && highWaterBytes !== null) {
    // The database and its write-ahead log, as the reference counts them (its shared-memory index is not data).
    const db = (await Promise.all(["", "-wal"].map((s) => sizeOf(`${target.path}${s}`))))
      .reduce((a, b) => a + b, 0);
    const total = db + files.reduce((a, b) => a + b, 0);
    disk = {
      totalBytesBefore: total,
      totalBytesAfter: total,
      removedFiles: 0,
      removedEntries: 0,
      freedBytes: 0,
      maxBytes: maxDiskBytes,
      highWaterBytes,
      overBudget: total > maxDiskBytes,
    };
  }
  return { artifacts, disk };
}

/** The maintenance a real run applies: in `warn` mode only the `--fix-*` removals act. */
function planMaintenance(options: CleanupRunOptions) {
  const m = options.maintenance;
  return options.mode === "warn"
    ? { ...m, pruneAfterMs: 0, archiveDashboardAfterMs: null, maxEntries: Number.POSITIVE_INFINITY }
    : m;
}

function exists(path: string): boolean {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
}

/** What a run would do to one store, read-only; a store with no database previews empty. */
export async function previewCleanup(target: CleanupTarget, options: CleanupRunOptions): Promise<CleanupPreview> {
  const { readPlanEntries, messageFreeKeys } = await import("./cleanup_apply.ts");
  let entries: PlanEntry[] = [];
  let messageFree = new Set<string>();
  const present = exists(target.path);
  if (present) {
    const { DatabaseSync } = await import("node:sqlite");
    const db = new DatabaseSync(target.path, { readOnly: true });
    try {
      const hasNodes = db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'session_nodes'").get();
      if (hasNodes) {
        entries = readPlanEntries(db);
        if (options.fixMissing) messageFree = messageFreeKeys(db, entries);
      }
    } finally {
      db.close();
    }
  }
  const plan = planCleanup(entries, {
    agentId: target.agentId,
    // The preview shows what maintenance would do even in `warn` mode, as the reference's does.
    maintenance: options.maintenance,
    now: Date.now(),
    activeKey: options.activeKey,
    fixMissing: options.fixMissing ? { messageFree } : undefined,
    fixDmScope: options.fixDmScope ? { dmScopeMain: options.dmScopeMain } : undefined,
  });
  const { artifacts, disk } = present ? await measure(target, options) : {
    artifacts: { scannedFiles: 0, removedFiles: 0, freedBytes: 0, olderThanMs: options.maintenance.pruneAfterMs },
    disk: null,
  };
  const c = plan.counts;
  const wouldMutate = Object.values(c).some((n) => n > 0);
  return {
    summary: {
      agentId: target.agentId,
      storePath: target.path,
      mode: options.mode,
      dryRun: true,
      beforeCount: plan.beforeCount,
      afterCount: plan.afterCount,
      ...c,
      unreferencedArtifacts: artifacts,
      diskBudget: disk,
      wouldMutate,
    },
    entries,
    actions: plan.actions,
  };
}

/**
 * Cleans one store for real through `store` (the gateway's, or one the CLI opened), in one transaction,
 * then publishes the removed transcripts' archives. An archive file that could not be written stays
 * pending in its row (the transcript is kept) and is thrown after the commit. Answers the summary and the
 * plan it applied.
 */
export async function applyCleanup(
  store: SessionStore,
  target: CleanupTarget,
  options: CleanupRunOptions,
): Promise<{ summary: CleanupSummary; plan: CleanupPlan | undefined }> {
  const { applyCleanup: apply } = await import("./cleanup_apply.ts");
  const outcome = await store.maintainArchiving(target.agentId, (db, archive) =>
    apply(db, {
      agentId: target.agentId,
      maintenance: planMaintenance(options),
      now: Date.now(),
      activeKey: options.activeKey,
      busy: options.busy,
      fixMissing: options.fixMissing,
      fixDmScope: options.fixDmScope ? { dmScopeMain: options.dmScopeMain } : undefined,
    }, archive));
  if (outcome?.publishError) throw outcome.publishError;
  const counts = outcome?.result.counts ??
    { missing: 0, dmScopeRetired: 0, modelRunPruned: 0, archived: 0, capArchived: 0, pruned: 0, capped: 0 };
  const after = outcome?.result.afterCount ?? 0;
  const { artifacts: scanned, disk } = outcome ? await measure(target, options) : { artifacts: undefined, disk: null };
  // In `warn` mode the reference's real run scans no artifacts (recorded: scannedFiles 0 with a file there).
  const artifacts = scanned && options.mode === "enforce"
    ? scanned
    : { scannedFiles: 0, removedFiles: 0, freedBytes: 0, olderThanMs: options.maintenance.pruneAfterMs };
  return {
    summary: {
      agentId: target.agentId,
      storePath: target.path,
      mode: options.mode,
      dryRun: false,
      beforeCount: outcome?.result.beforeCount ?? 0,
      afterCount: after,
      ...counts,
      unreferencedArtifacts: artifacts,
      diskBudget: disk,
      wouldMutate: Object.values(counts).some((n) => n > 0),
      applied: true,
      appliedCount: after,
    },
    plan: outcome?.result,
  };
}

/** A store that failed after others were cleaned, as the reference's `partialError` names it. */
export interface CleanupFailure {
  agentId: string;
  storePath: string;
  message: string;
  lifecycleCommitted: boolean;
}

/** A failed run that cleaned no store: the reference's `Session cleanup failed for agent '<id>': …`. */
export class SessionsCleanupError extends Error {
  constructor(readonly failure: CleanupFailure, options: { cause: unknown }) {
    super(failure.message, options);
    this.name = "SessionsCleanupError";
  }
}

/**
 * Cleans each target in turn with `applyOne`; a failing store stops the run. Throws
 * {@link SessionsCleanupError} when the first store fails, else answers the cleaned stores and the failure.
 */
export async function cleanTargets(
  targets: readonly CleanupTarget[],
  applyOne: (target: CleanupTarget) => Promise<CleanupSummary>,
): Promise<{ summaries: CleanupSummary[]; failure?: CleanupFailure }> {
  const summaries: CleanupSummary[] = [];
  for (const target of targets) {
    try {
      summaries.push(await applyOne(target));
    } catch (error) {
      const failure: CleanupFailure = {
        agentId: target.agentId,
        storePath: target.path,
        message: `Session cleanup failed for agent '${target.agentId}': ${
          error instanceof Error ? error.message : String(error)
        }`,
        // Our run is one transaction: only the publishing after its commit can fail with it committed.
        lifecycleCommitted: error instanceof ArchivesPendingError,
      };
      if (summaries.length === 0) throw new SessionsCleanupError(failure, { cause: error });
      return { summaries, failure };
    }
  }
  return { summaries };
}

/** The JSON document of a run: one store's summary, or `{allAgents, mode, dryRun, stores, partialError?}`. */
export function cleanupJson(
  mode: "enforce" | "warn",
  dryRun: boolean,
  summaries: CleanupSummary[],
  failure?: CleanupFailure,
): unknown {
  if (summaries.length === 1 && !failure) return summaries[0];
  return {
    allAgents: true,
    mode,
    dryRun,
    stores: summaries,
    ...(failure
      ? {
        partialError: {
          failingAgentId: failure.agentId,
          failingStorePath: failure.storePath,
          message: failure.message,
          lifecycleCommitted: failure.lifecycleCommitted,
        },
      }
      : {}),
  };
}
