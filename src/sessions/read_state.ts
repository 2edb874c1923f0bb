// A session's read and pin state as the reference keeps it in the session entry (`lastReadAt`,
// `markedUnreadAt`, `pinnedAt`): what `sessions.patch {unread, pinned}` changes, and whether a row is
// unread (the reference's deriveSessionUnread). Recorded: tests/fixtures/session_read_state/.
import type { SessionRow } from "./session_row.ts";

/** What a patch asks of the read and pin state. */
export interface ReadStateChange {
  unread?: boolean | undefined;
  pinned?: boolean | undefined;
}

/** The entry fields a change sets (a number) or removes (null); a field it leaves alone is absent. */
export type ReadStateUpdate = Partial<Record<"lastReadAt" | "markedUnreadAt" | "pinnedAt", number | null>>;

/** Sub-agent sessions (`agent:<id>:subagent:…`): the reference pins their parent, never them. */
const SUBAGENT_KEY = /^(?:subagent:|agent:[^:]+:subagent:)/u;

/** Whether a session may be pinned: not a sub-agent's, as the reference's isPinnableSessionEntry. */
export function isPinnable(key: string): boolean {
  return !SUBAGENT_KEY.test(key.trim().toLowerCase());
}

/** Whether a row is pinned: it has a pin time and may hold one. */
export function isPinned(row: Pick<SessionRow, "key" | "pinnedAt"> | undefined): boolean {
  return row?.pinnedAt !== undefined && isPinnable(row.key);
}

/**
 * Whether a session is unread, as the reference derives it: marked unread, or a person turned to it
 * (`lastInteractionAt`) after it was last read (never read: after it was created). The entry's
 * `lastActivityAt` does not count here: this gateway moves it on every write (answers too), where the
 * reference's chat turns leave it unset (docs/compatibility.md).
 */
export function isUnread(
  row: Pick<SessionRow, "lastReadAt" | "createdAt" | "markedUnreadAt" | "lastInteractionAt"> | undefined,
): boolean {
  if (!row) return false;
  if (row.markedUnreadAt !== undefined) return true;
  const baseline = row.lastReadAt ?? row.createdAt;
  return baseline !== undefined && (row.lastInteractionAt ?? 0) > baseline;
}

/**
 * The entry fields a change sets, as the reference's patch does: a pin keeps its first time, an unpin
 * removes it; marking unread moves `markedUnreadAt` past the last mark; marking read records the time
 * and drops the mark.
 */
export function readStateUpdate(
  row: Pick<SessionRow, "markedUnreadAt" | "pinnedAt">,
  change: ReadStateChange,
  now: number,
): ReadStateUpdate {
  const update: ReadStateUpdate = {};
  if (change.pinned === true && row.pinnedAt === undefined) update.pinnedAt = now;
  if (change.pinned === false) update.pinnedAt = null;
  if (change.unread === true) update.markedUnreadAt = Math.max(now, (row.markedUnreadAt ?? 0) + 1);
  if (change.unread === false) {
    update.lastReadAt = now;
    update.markedUnreadAt = null;
  }
  return update;
}
