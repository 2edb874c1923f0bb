// What `openclaw sessions cleanup` does to each session of one agent's store, decided as the reference's
// store maintenance decides it (store-maintenance, cleanup-service), in its order:
// 1. `--fix-missing`: sessions whose transcript holds no message go (`prune-missing`);
// 2. `--fix-dm-scope` with `session.dmScope` main: per-peer direct-DM rows go (`retire-dm-scope`);
// 3. only when unarchived entries exceed `maxEntries`: model-run probes older than a day go;
// 4. dashboards inactive past `archiveDashboardAfter` are archived in place (`stale-dashboard`);
// 5. past `pruneAfter`: synthetic sessions go (`prune-stale`), any other is archived (`age-retention`);
// 6. unarchived entries over `maxEntries`, least recently active first: synthetic ones go
//    (`cap-overflow`), the others are archived (`active-session-cap`).
// Preserved sessions (maintenance_keys.ts) are never touched. Pure: the caller reads and writes.
import {
  activityAt,
  isModelRunKey,
  isPreserved,
  isStaleDirectKey,
  isSyntheticKey,
  type MaintenanceEntry,
  parseAgentKey,
  type PreserveOptions,
} from "./maintenance_keys.ts";

/** The action column of the reference's dry-run table. */
export type CleanupAction =
  | "keep"
  | "prune-missing"
  | "retire-dm-scope"
  | "prune-model-run"
  | "archive-dashboard"
  | "archive-age"
  | "archive-cap"
  | "prune-stale"
  | "cap-overflow";

/** The archive reason an in-place archive writes into the entry, by action. */
export const ARCHIVE_REASONS = {
  "archive-dashboard": "stale-dashboard",
  "archive-age": "age-retention",
  "archive-cap": "active-session-cap",
} as const;

/** What the plan reads of the maintenance settings. */
export interface PlanMaintenance {
  pruneAfterMs: number;
  archiveDashboardAfterMs: number | null;
  maxEntries: number;
  modelRunPruneAfterMs: number;
  preserveRecentMs: number | null;
}

/** One stored session, in the store's order (by key). */
export interface PlanEntry {
  key: string;
  entry: MaintenanceEntry;
}

/** The run's inputs besides the entries. */
export interface PlanOptions {
  agentId: string;
  maintenance: PlanMaintenance;
  now: number;
  activeKey?: string | undefined;
  /** Whether a run is in flight on a session: such a session is never touched. */
  busy?: ((key: string) => boolean) | undefined;
  /** `--fix-missing`, with the keys whose transcript holds no message. */
  fixMissing?: { messageFree: ReadonlySet<string> } | undefined;
  /** `--fix-dm-scope` (acts only when `session.dmScope` is `main`). */
  fixDmScope?: { dmScopeMain: boolean } | undefined;
}

/** The counts of the reference's summary. */
export interface PlanCounts {
  missing: number;
  dmScopeRetired: number;
  modelRunPruned: number;
  archived: number;
  capArchived: number;
  pruned: number;
  capped: number;
}

/** Each key's action (keys not named keep), the counts, and the rows before and after. */
export interface CleanupPlan {
  actions: Map<string, CleanupAction>;
  counts: PlanCounts;
  beforeCount: number;
  afterCount: number;
}

/** Whether an action removes the session (the others archive it in place or keep it). */
export function removes(action: CleanupAction): boolean {
  return action !== "keep" && !(action in ARCHIVE_REASONS);
}

function hasNoTranscriptIdentity(key: string, entry: MaintenanceEntry): boolean {
  const file = entry.sessionFile;
  return entry.initializationPending === true ||
    entry.sessionId === key && (typeof file !== "string" || !file.trim());
}

/** Plans one store's cleanup. */
export function planCleanup(entries: readonly PlanEntry[], options: PlanOptions): CleanupPlan {
  const { maintenance: m, now } = options;
  const actions = new Map<string, CleanupAction>();
  const live = new Map(entries.map((e) => [e.key, e.entry]));
  const counts: PlanCounts = {
    missing: 0,
    dmScopeRetired: 0,
    modelRunPruned: 0,
    archived: 0,
    capArchived: 0,
    pruned: 0,
    capped: 0,
  };
  const act = (key: string, action: CleanupAction) => {
    actions.set(key, action);
    if (removes(action)) live.delete(key);
  };
  const activeKey = options.activeKey?.trim().toLowerCase();
  if (options.fixMissing) {
    for (const [key, entry] of live) {
      if ((entry.modelSelectionLocked === true || entry.archivedAt !== undefined)) continue;
      if (parseAgentKey(key) && hasNoTranscriptIdentity(key, entry)) continue;
      if (!entry.sessionId && parseAgentKey(key)) continue;
      if (entry.sessionId && !options.fixMissing.messageFree.has(key)) continue;
      act(key, "prune-missing");
      counts.missing += 1;
    }
  }
  if (options.fixDmScope?.dmScopeMain) {
    for (const [key, entry] of live) {
      if (entry.archivedAt !== undefined || key.trim().toLowerCase() === activeKey) continue;
      if (!isStaleDirectKey(key, options.agentId)) continue;
      act(key, "retire-dm-scope");
      counts.dmScopeRetired += 1;
    }
  }
  const preserve: PreserveOptions = {
    preserveKeys: new Set(activeKey ? [activeKey] : []),
    busy: options.busy,
    preserveRecentMs: m.preserveRecentMs,
    now,
  };
  const unarchived = () => [...live.values()].filter((e) => e.archivedAt === undefined).length;
  const candidates = () => [...live].filter(([key, entry]) => !isPreserved(key, entry, preserve));
  const archive = (key: string, action: keyof typeof ARCHIVE_REASONS) => {
    // The live copy is marked so later phases see it archived, as the reference's working image does.
    live.set(key, { ...live.get(key), archivedAt: now });
    actions.set(key, action);
    counts.archived += 1;
  };
  if (unarchived() > m.maxEntries && m.modelRunPruneAfterMs > 0) {
    for (const [key, entry] of candidates()) {
      if (!isModelRunKey(key) || typeof entry.updatedAt !== "number") continue;
      if (entry.updatedAt >= now - m.modelRunPruneAfterMs) continue;
      act(key, "prune-model-run");
      counts.modelRunPruned += 1;
    }
  }
  if (m.archiveDashboardAfterMs !== null && m.archiveDashboardAfterMs > 0) {
    for (const [key, entry] of candidates()) {
      if (!parseAgentKey(key)?.rest.startsWith("dashboard:")) continue;
      const at = activityAt(entry);
      if (at <= 0 || at >= now - m.archiveDashboardAfterMs) continue;
      archive(key, "archive-dashboard");
    }
  }
  if (m.pruneAfterMs > 0) {
    for (const [key, entry] of candidates()) {
      if (typeof entry.updatedAt !== "number" || entry.updatedAt >= now - m.pruneAfterMs) continue;
      if (isSyntheticKey(key)) {
        act(key, "prune-stale");
        counts.pruned += 1;
      } else archive(key, "archive-age");
    }
  }
  const overflow = unarchived() - Math.max(0, m.maxEntries);
  if (overflow > 0) {
    const eligible = candidates().filter(([, entry]) => entry.archivedAt === undefined).toReversed();
    const victims = eligible.toSorted(([, a], [, b]) => activityAt(a) - activityAt(b)).slice(0, overflow);
    for (const [key] of victims) {
      if (isSyntheticKey(key)) {
        act(key, "cap-overflow");
        counts.capped += 1;
      } else {
        archive(key, "archive-cap");
        counts.capArchived += 1;
      }
    }
  }
  // The summary's `archived` counts dashboards and age; cap archives are `capArchived`.
  counts.archived -= counts.capArchived;
  return { actions, counts, beforeCount: entries.length, afterCount: live.size };
}
