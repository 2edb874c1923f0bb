// Compactions in `chat.history`: each `compaction` entry of the transcript shows where it happened as
// the reference's marker message (`role: "system"`, text "Compaction", `__openclaw.kind: "compaction"`),
// which its Control UI draws as a divider with the tokens saved.
import type { SessionStore } from "../../sessions/store.ts";
import { fromCompactionEvent } from "../../sessions/compaction_entry.ts";

/** The marker message of one compaction, as the reference projects the entry for clients. */
export function compactionMarker(json: string): Record<string, unknown> | undefined {
  const entry = fromCompactionEvent(json);
  if (!entry) return undefined;
  return {
    role: "system",
    content: [{ type: "text", text: "Compaction" }],
    timestamp: entry.timestamp,
    __openclaw: {
      kind: "compaction",
      id: entry.id,
      ...(entry.runId ? { runId: entry.runId } : {}),
      tokensBefore: entry.tokensBefore,
      ...(entry.tokensAfter !== undefined ? { tokensAfter: entry.tokensAfter } : {}),
    },
  };
}

/**
 * The history page with the compaction markers that fall inside it: `views` are the messages from
 * position `first` (0-based, in the whole transcript) on; a marker goes before the first message
 * written after its compaction, or last when none was.
 */
export async function withCompactionMarkers(
  sessions: SessionStore,
  key: { sessionKey: string; agentId: string },
  views: Record<string, unknown>[],
  first: number,
): Promise<Record<string, unknown>[]> {
  const entries = await sessions.entries(key.sessionKey, key.agentId, "compaction");
  if (entries.length === 0) return views;
  const out = [...views];
  // From the last, so earlier insertions do not shift the positions still to place.
  for (const { json, messagesBefore } of [...entries].reverse()) {
    const at = messagesBefore - first;
    if (at < 0 || at > views.length) continue;
    const marker = compactionMarker(json);
    if (marker) out.splice(at, 0, marker);
  }
  return out;
}
