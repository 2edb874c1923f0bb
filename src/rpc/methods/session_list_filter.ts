// The `sessions.list` filters the reference's clients send, applied to our sessions. Some name
// features this gateway lacks (spawned sub-sessions, dashboard boards, other owners):
// they match no session here, as the reference would find none.
import { isPinned } from "../../sessions/read_state.ts";
import type { SessionRow } from "../../sessions/store.ts";

/** The filter fields of `sessions.list` params this gateway can answer. */
export interface SessionListFilter {
  activeMinutes?: number | undefined;
  label?: string | undefined;
  search?: string | undefined;
  spawnedBy?: string | undefined;
  archived?: boolean | "all" | undefined;
  boardFace?: "chat" | "dashboard" | undefined;
  creatorId?: string | undefined;
  ownerId?: string | undefined;
  /** The reference 2026.9.6's newer filters (src/rpc/protocol_overlay.ts). */
  activeOnly?: boolean | undefined;
  excludeSubagents?: boolean | undefined;
  excludeCron?: boolean | undefined;
  excludeSystem?: boolean | undefined;
  pinned?: boolean | undefined;
  hasBoard?: boolean | undefined;
  projectId?: string | undefined;
  workspaceDir?: string | undefined;
  group?: string | undefined;
}

/** The reference's cron display keys: `cron:…` and `agent:<id>:cron:…` (automation roots and their runs). */
const CRON_KEY = /^(?:cron:|agent::*[^:]+:+cron:+[^:])/u;
/** Sub-agent sessions: `subagent:…` and `agent:<id>:subagent:…`. */
const SUBAGENT_KEY = /^(?:subagent:|agent:[^:]+:subagent:)/u;

/**
 * Whether a session passes the newer filters. Sessions here record no dashboard board, project,
 * workspace, sidebar group nor system provenance: a filter asking for one matches none, as the
 * reference finds none, and `excludeSystem` keeps every session (the reference keeps rows without provenance).
 */
function matchesNewerFilter(row: SessionRow, f: SessionListFilter, active: (row: SessionRow) => boolean): boolean {
  const key = row.key.trim().toLowerCase();
  if (f.excludeCron === true && CRON_KEY.test(key)) return false;
  if (f.excludeSubagents === true && SUBAGENT_KEY.test(key)) return false;
  if (f.pinned !== undefined && isPinned(row) !== f.pinned) return false;
  if (f.hasBoard === true) return false;
  if (f.projectId !== undefined || f.workspaceDir !== undefined) return false;
  if (f.group !== undefined && f.group !== "") return false;
  return f.activeOnly !== true || active(row);
}

/** The one owner every session here has (see GATEWAY_OWNER). */
const OWNER_ID = "gateway-owner";

/**
 * Whether a session passes the filters of a `sessions.list` request; `active` tells whether it has
 * running or queued work now (`activeOnly`).
 */
export function matchesListFilter(
  row: SessionRow,
  f: SessionListFilter,
  now: number,
  active: (row: SessionRow) => boolean = () => false,
): boolean {
  if (!matchesNewerFilter(row, f, active)) return false;
  // No session here is spawned by another or a dashboard board.
  if (f.spawnedBy !== undefined || f.boardFace === "dashboard") return false;
  // Archived sessions leave the default list: `archived: true` lists only them, `"all"` both.
  if (f.archived !== "all" && (row.archivedAt !== undefined) !== (f.archived === true)) return false;
  if (f.creatorId !== undefined && f.creatorId !== OWNER_ID) return false;
  if (f.ownerId !== undefined && f.ownerId !== OWNER_ID) return false;
  if (f.activeMinutes !== undefined && row.updatedAt < now - f.activeMinutes * 60_000) return false;
  if (f.label !== undefined && row.label !== f.label) return false;
  const needle = f.search?.trim().toLowerCase();
  if (needle && ![row.key, row.label ?? ""].some((text) => text.toLowerCase().includes(needle))) return false;
  return true;
}
