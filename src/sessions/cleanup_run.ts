// `openclaw sessions cleanup` over agent stores, for the CLI (through server/local_sessions_cleanup.ts)
// and the gateway's `sessions.cleanup`: the preview (read-only, nothing written) and the real run
// (SessionStore.maintainArchiving: one transaction per store, removed sessions' transcripts archived as a
// delete archives them and published after the commit), each summarised in the reference's JSON shape.
// After the entries, as the reference: unreferenced artifacts of the sessions directory are pruned
// (session_artifacts.ts) and the disk budget enforced (disk_budget.ts).
import type { DatabaseSync } from "node:sqlite";
import type { SessionMaintenance } from "../config/session_maintenance.ts";
import {
  type CleanupAction,
  type CleanupPlan,
  planCleanup,
  type PlanCounts,
  type PlanEntry,
  removes,
} from "./cleanup_plan.ts";
import { ArchivesPendingError } from "./archive_errors.ts";
import type { SessionStore } from "./store.ts";
import {
  type ArtifactEntry,
  type ArtifactsSummary,
  entryArtifactPaths,
  pruneUnreferencedArtifacts,
} from "./session_artifacts.ts";
import {
  type BudgetTarget,
  budgetWouldMutate,
  type DiskBudgetSummary,
  enforceDiskBudget,
  inspectDiskBudget,
} from "./disk_budget.ts";

export type { ArtifactsSummary } from "./session_artifacts.ts";
export type { DiskBudgetSummary } from "./disk_budget.ts";

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

/** The agent's sessions directory (beside its `agent/` directory) and its database, as the budget counts them. */
function budgetTarget(target: CleanupTarget): BudgetTarget {
  const dir = target.path.slice(0, target.path.lastIndexOf("/"));
  const parent = dir.slice(0, dir.lastIndexOf("/"));
  // An agent database (`agents/<id>/agent/…`) has its sessions directory beside its `agent/` directory;
  // any other store, the directory it is in (the reference's rule).
  const sessionsDir = dir.endsWith("/agent") ? `${parent}/sessions` : dir;
  return { agentId: target.agentId, dbPath: target.path, sessionsDir };
}

function noArtifacts(options: CleanupRunOptions): ArtifactsSummary {
  return { scannedFiles: 0, removedFiles: 0, freedBytes: 0, olderThanMs: options.maintenance.pruneAfterMs };
}

function budgetLimits(options: CleanupRunOptions) {
  const { maxDiskBytes, highWaterBytes } = options.maintenance;
  return maxDiskBytes !== null && highWaterBytes !== null ? { maxDiskBytes, highWaterBytes } : undefined;
}

/**
 * What the store's rows reference, for the artifact rule: each readable entry, and each row's current
 * session id besides (an entry this gateway cannot read still keeps its files).
 */
function artifactEntries(db: DatabaseSync): { key: string; entries: ArtifactEntry[] }[] {
  const rows = db.prepare("SELECT session_key AS key, current_session_id AS id, entry_json AS json FROM session_nodes")
    .all() as { key: string; id: string; json: string }[];
  return rows.map((row) => {
    let entry: ArtifactEntry = {};
    try {
      const parsed: unknown = JSON.parse(row.json);
      if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)) entry = parsed as ArtifactEntry;
    } catch {
      // unreadable: its current session id below still counts
    }
    return { key: row.key, entries: [entry, { sessionId: row.id }] };
  });
}

/** The removals whose files the preview leaves to the entry's own removal, as the reference excludes them. */
const EXCLUDED_REMOVALS = new Set<CleanupAction>(["prune-model-run", "prune-stale", "cap-overflow", "retire-dm-scope"]);

/** The maintenance a real run applies: in `warn` mode only the `--fix-*` removals act. */
function planMaintenance(options: CleanupRunOptions) {
  const m = options.maintenance;
  return options.mode === "warn"
    ? { ...m, pruneAfterMs: 0, archiveDashboardAfterMs: null, maxEntries: Number.POSITIVE_INFINITY }
    : m;
}

function dirNames(dir: string): string[] {
  try {
    return Array.from(Deno.readDirSync(dir)).filter((e) => e.isFile).map((e) => e.name);
  } catch {
    return [];
  }
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
  let rows: { key: string; entries: ArtifactEntry[] }[] = [];
  let evictable = false;
  const present = exists(target.path);
  const where = budgetTarget(target);
  if (present) {
    const { DatabaseSync } = await import("node:sqlite");
    const db = new DatabaseSync(target.path, { readOnly: true });
    try {
      const hasNodes = db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'session_nodes'").get();
      if (hasNodes) {
        entries = readPlanEntries(db);
        if (options.fixMissing) messageFree = messageFreeKeys(db, entries);
        rows = artifactEntries(db);
        evictable = budgetWouldMutate(db, dirNames(where.sessionsDir));
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
  const kept = rows.filter((r) => !removes(plan.actions.get(r.key) ?? "keep"));
  const exclude = new Set(
    rows.filter((r) => EXCLUDED_REMOVALS.has(plan.actions.get(r.key) ?? "keep"))
      .flatMap((r) => r.entries.flatMap((e) => entryArtifactPaths(where.sessionsDir, e))),
  );
  const artifacts = await pruneUnreferencedArtifacts({
    sessionsDir: where.sessionsDir,
    entries: kept.flatMap((r) => r.entries),
    olderThanMs: options.maintenance.pruneAfterMs,
    dryRun: true,
    exclude,
  });
  const limits = budgetLimits(options);
  const disk = present && limits ? await inspectDiskBudget(where, limits) : null;
  const c = plan.counts;
  const wouldMutate = Object.values(c).some((n) => n > 0) || artifacts.removedFiles > 0 ||
    (disk !== null && disk.overBudget && options.mode === "enforce" && evictable);
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
  const where = budgetTarget(target);
  // In `warn` mode the reference's real run scans no artifacts (recorded: scannedFiles 0 with a file there).
  const rows = outcome && options.mode === "enforce"
    ? await store.maintain(target.agentId, artifactEntries)
    : undefined;
  const artifacts = rows
    ? await pruneUnreferencedArtifacts({
      sessionsDir: where.sessionsDir,
      entries: rows.flatMap((r) => r.entries),
      olderThanMs: options.maintenance.pruneAfterMs,
      dryRun: false,
    })
    : noArtifacts(options);
  const limits = budgetLimits(options);
  const disk = outcome && limits ? await enforceDiskBudget(store, where, limits, options.mode) : null;
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
      wouldMutate: Object.values(counts).some((n) => n > 0) || artifacts.removedFiles > 0 ||
        (disk !== null &&
          (disk.removedFiles > 0 || disk.removedEntries > 0 || disk.totalBytesAfter < disk.totalBytesBefore)),
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
