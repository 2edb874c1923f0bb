// `openclaw sessions cleanup` on this host's agent databases, for the CLI (which may not reach into
// sessions/ itself) and the gateway's `sessions.cleanup`: the preview (read-only, nothing written) and the
// real run (SessionStore.maintainArchiving: one transaction per store, removed sessions' transcripts
// archived as a delete archives them and published after the commit), each summarised in the reference's
// JSON shape. Artifact pruning and disk-budget eviction are measured, never acted on: this gateway keeps
// transcripts in the database, and no file here is an unreferenced artifact it may remove.
import type { SessionMaintenance } from "../config/session_maintenance.ts";
import type { CleanupAction, PlanEntry } from "../sessions/cleanup_plan.ts";

/** One agent store to clean: its agent, its database file, and the state dir that holds it. */
export interface CleanupTarget {
  agentId: string;
  path: string;
  stateDir: string;
}

/** The flags and settings of one run. */
export interface CleanupRunOptions {
  maintenance: SessionMaintenance;
  mode: "enforce" | "warn";
  activeKey?: string | undefined;
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

/** One store's summary, in the reference's key order. */
export interface CleanupSummary {
  agentId: string;
  storePath: string;
  mode: "enforce" | "warn";
  dryRun: boolean;
  beforeCount: number;
  afterCount: number;
  missing: number;
  dmScopeRetired: number;
  modelRunPruned: number;
  archived: number;
  capArchived: number;
  pruned: number;
  capped: number;
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
  const dir = `${target.stateDir}/agents/${target.agentId}/sessions`;
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
    const db = (await Promise.all(["", "-wal", "-shm"].map((s) => sizeOf(`${target.path}${s}`))))
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

/** The maintenance the plan applies: in `warn` mode only the `--fix-*` removals act. */
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
  const { planCleanup } = await import("../sessions/cleanup_plan.ts");
  const { readPlanEntries, messageFreeKeys } = await import("../sessions/cleanup_apply.ts");
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
    maintenance: planMaintenance(options),
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
 * Cleans one store for real, in one transaction, then publishes the removed transcripts' archives.
 * An archive file that could not be written stays pending in its row (the transcript is kept) and is
 * rethrown after the commit.
 */
export async function applyCleanupLocally(target: CleanupTarget, options: CleanupRunOptions): Promise<CleanupSummary> {
  const { SessionStore } = await import("../sessions/store.ts");
  const { applyCleanup } = await import("../sessions/cleanup_apply.ts");
  const { openAgentDb } = await import("../state/agent_db.ts");
  const store = new SessionStore(target.stateDir, { openDb: () => openAgentDb(target.stateDir, target.agentId) });
  try {
    const outcome = await store.maintainArchiving(target.agentId, (db, archive) =>
      applyCleanup(db, {
        agentId: target.agentId,
        maintenance: planMaintenance(options),
        now: Date.now(),
        activeKey: options.activeKey,
        fixMissing: options.fixMissing,
        fixDmScope: options.fixDmScope ? { dmScopeMain: options.dmScopeMain } : undefined,
      }, archive));
    if (outcome?.publishError) throw outcome.publishError;
    const counts = outcome?.result.counts ??
      { missing: 0, dmScopeRetired: 0, modelRunPruned: 0, archived: 0, capArchived: 0, pruned: 0, capped: 0 };
    const after = outcome?.result.afterCount ?? 0;
    const { artifacts, disk } = outcome ? await measure(target, options) : {
      artifacts: { scannedFiles: 0, removedFiles: 0, freedBytes: 0, olderThanMs: options.maintenance.pruneAfterMs },
      disk: null,
    };
    return {
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
    };
  } finally {
    await store.close();
  }
}
