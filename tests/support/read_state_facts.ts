// The read and pin state of a session as the reference's clients see it (a `sessions.list` row, a
// `sessions.changed` event, a `sessions.patch` answer's entry, the stored entry), in a form two gateways'
// runs can be compared by: times become "<ts>", absent fields stay absent, null stays null.

/** The fields of the read and pin state, as the reference names them. */
export const READ_STATE_FIELDS = ["unread", "lastReadAt", "markedUnreadAt", "pinned", "pinnedAt"] as const;

/** The entry's times `unread` compares with `lastReadAt` (or, never read, `createdAt`). */
const BASELINE_FIELDS = ["createdAt", "lastInteractionAt", "lastActivityAt"] as const;

/** A time (milliseconds since 1970, or any number this large) becomes "<ts>"; other values stay. */
function shape(value: unknown): unknown {
  return typeof value === "number" && value > 1_000_000_000_000 ? "<ts>" : value;
}

/** The read-state fields an object carries, times shaped. */
export function readStateOf(from: Record<string, unknown> | undefined): Record<string, unknown> {
  const facts: Record<string, unknown> = {};
  for (const field of READ_STATE_FIELDS) {
    if (from && field in from && from[field] !== undefined) facts[field] = shape(from[field]);
  }
  return facts;
}

/** The stored session entry's read-state fields and the promoted columns the reference indexes them by. */
export function storedReadState(
  entryJson: string,
  columns: { pinned_at: number | null; last_read_at: number | null },
): Record<string, unknown> {
  const entry = JSON.parse(entryJson) as Record<string, unknown>;
  return {
    entry: readStateOf(entry),
    // What `unread` is derived from besides the read state: which of these times the entry holds.
    times: BASELINE_FIELDS.filter((f) => typeof entry[f] === "number"),
    pinned_at: shape(columns.pinned_at),
    last_read_at: shape(columns.last_read_at),
  };
}
