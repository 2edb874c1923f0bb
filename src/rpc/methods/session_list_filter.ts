// The `sessions.list` filters the reference's clients send, applied to our sessions. Some name
// features this gateway lacks (spawned sub-sessions, dashboard boards, other owners):
// they match no session here, as the reference would find none.
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
}

/** The one owner every session here has (see GATEWAY_OWNER). */
const OWNER_ID = "gateway-owner";

/** Whether a session passes the filters of a `sessions.list` request. */
export function matchesListFilter(row: SessionRow, f: SessionListFilter, now: number): boolean {
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
