// The reference's `compaction` transcript entry: a summary that replaces, for the model, every message
// before `firstKeptEntryId`. The messages stay in the transcript; only the model's view changes.
import { isJsonObject } from "../log/json_object.ts";

/** A compaction as the transcript keeps it. */
export interface CompactionEntry {
  /** The entry's id in the session tree. */
  id: string;
  summary: string;
  /** The first message the model still sees after the summary. */
  firstKeptEntryId: string;
  /** The context's tokens before and (estimated) after. */
  tokensBefore: number;
  tokensAfter?: number | undefined;
  timestamp: number;
  /** The run that compacted (an automatic compaction's run, a manual one's operation id). */
  runId?: string | undefined;
}

/** The entry's JSON as the reference writes it (`type`, `id`, `parentId`, `timestamp`, `summary`, ...). */
export function compactionEvent(entry: CompactionEntry, parentId: string | null): string {
  return JSON.stringify({
    type: "compaction",
    id: entry.id,
    parentId,
    timestamp: new Date(entry.timestamp).toISOString(),
    summary: entry.summary,
    firstKeptEntryId: entry.firstKeptEntryId,
    tokensBefore: entry.tokensBefore,
    ...(entry.tokensAfter !== undefined ? { tokensAfter: entry.tokensAfter } : {}),
    fromHook: false,
    ...(entry.runId ? { __openclaw: { runId: entry.runId } } : {}),
  });
}

/** A stored `compaction` entry, whoever wrote it; undefined for anything else. */
export function fromCompactionEvent(json: string): CompactionEntry | undefined {
  let event: unknown;
  try {
    event = JSON.parse(json);
  } catch {
    return undefined;
  }
  if (!isJsonObject(event) || event.type !== "compaction") return undefined;
  const { id, summary, firstKeptEntryId, tokensBefore, tokensAfter, timestamp } = event;
  if (typeof id !== "string" || typeof summary !== "string" || typeof firstKeptEntryId !== "string") return undefined;
  const at = typeof timestamp === "string" ? Date.parse(timestamp) : NaN;
  const meta = isJsonObject(event.__openclaw) ? event.__openclaw : {};
  return {
    id,
    summary,
    firstKeptEntryId,
    tokensBefore: typeof tokensBefore === "number" && Number.isFinite(tokensBefore) ? tokensBefore : 0,
    ...(typeof tokensAfter === "number" && Number.isFinite(tokensAfter) ? { tokensAfter } : {}),
    timestamp: Number.isFinite(at) ? at : 0,
    ...(typeof meta.runId === "string" ? { runId: meta.runId } : {}),
  };
}
