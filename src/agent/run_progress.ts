// A run's progress so far (its tool calls, their activity items, its usage), kept as the reference keeps it for
// `chat.history`'s `inFlightRun.events`: a page loaded mid-run replays these through its live-event handler and
// shows the run's tool rows; the live events that follow carry the same tool call ids, so nothing shows twice.
// Loaded with a run's first turn, never at start-up.

/** One `agent` event as the snapshot keeps it. */
export interface ProgressEvent {
  runId: string;
  seq: number;
  stream: string;
  ts: number;
  data: Record<string, unknown>;
  sessionKey?: string;
  agentId?: string;
}

/**
 * A run's kept events (oldest first, each with its JSON size), their total size, the last `seq` taken, and whether
 * its start-up status is the latest kept (its next answer text replaces it).
 */
export interface RunProgress {
  kept: { event: ProgressEvent; bytes: number }[];
  bytes: number;
  lastSeq: number;
  starting?: boolean;
}

/**
 * How much of a tool call is kept: all of it for a `chat.send` run; its phase, name and id only for a run
 * other than the chat's own (an `agent` or channel run), as the reference's embedded-run recovery keeps.
 */
export type ProgressMode = "full" | "summary";

/** The reference's caps: 50 events, 128 KiB in all, 64 KiB one (a tool event over it is kept without its payload). */
const MAX_EVENTS = 50;
const MAX_BYTES = 131072;
const MAX_EVENT_BYTES = 65536;
const TOOL_PHASES = new Set(["start", "input_delta", "update", "result"]);
const TOOL_PAYLOADS = ["args", "partialResult", "diff", "result"];
/** The reference's start-up phases a snapshot keeps until the run shows a tool call or text. */
const STARTUP_PHASES = new Set([
  "preparing_workspace",
  "naming_worktree",
  "creating_worktree",
  "running_setup",
  "provisioning_environment",
  "preparing_context",
  "memory_flushing",
  "starting_model",
  // A run waiting to ask its model again: the reference's snapshot shows this status until the retry starts.
  "retrying",
]);

/** A trimmed string field, or "". */
function trimmed(value: unknown): string {
  return typeof value === "string" ? value.trim() : "";
}

/** A tool event's data as kept: its phase's payload only (none in summary mode); absent fields dropped. */
function toolData(data: Record<string, unknown>, phase: string, mode: ProgressMode): Record<string, unknown> {
  const base = {
    phase,
    name: typeof data.name === "string" ? data.name : undefined,
    toolCallId: trimmed(data.toolCallId),
  };
  if (mode === "summary") return base;
  if (phase === "start") return { ...base, args: data.args };
  if (phase === "update") return { ...base, partialResult: data.partialResult };
  if (phase === "input_delta") return { ...base, diff: data.diff };
  return { ...base, approvalReviewOutcome: data.approvalReviewOutcome, isError: data.isError, result: data.result };
}

/** The event as JSON-safe data and its UTF-8 size, or undefined when it is over the one-event cap. */
function captured(event: ProgressEvent): { event: ProgressEvent; bytes: number } | undefined {
  const json = JSON.stringify(event);
  const bytes = new TextEncoder().encode(json).length;
  // A copy, so the kept event is what was sent then, whatever later holds the same objects.
  return bytes > MAX_EVENT_BYTES ? undefined : { event: JSON.parse(json), bytes };
}

/**
 * The run's progress after one `agent` event, as the reference records it: a tool event replaces the call's
 * earlier event of the same phase (its start, all of the call's earlier events), an activity item its
 * earlier state, a usage event the earlier usage (merged); a `chat.send` run's start-up status (`run_status`)
 * replaces the earlier one until a tool call or item is kept, and its first answer text after one replaces it
 * with a bare `assistant` event (`data: {}`: the run is answering); events of other streams, and any not newer than
 * the last taken, change nothing. Past 50 events or 128 KiB the oldest go (a tool call's events together;
 * usage stays).
 */
export function recordProgress(
  progress: RunProgress | undefined,
  event: Record<string, unknown>,
  mode: ProgressMode,
): RunProgress | undefined {
  const data = (event.data ?? {}) as Record<string, unknown>;
  const phase = typeof data.phase === "string" ? data.phase : "";
  const toolCallId = trimmed(data.toolCallId);
  const itemId = trimmed(data.itemId) || trimmed(data.id);
  const isTool = event.stream === "tool" && toolCallId !== "" && TOOL_PHASES.has(phase);
  const isItem = event.stream === "item" && itemId !== "";
  const isUsage = event.stream === "usage";
  const isStartup = mode === "full" && event.stream === "run_status" && STARTUP_PHASES.has(phase);
  const isAssistant = event.stream === "assistant" && progress?.starting === true;
  if (!isTool && !isItem && !isUsage && !isStartup && !isAssistant) return progress;
  const next = progress ?? { kept: [], bytes: 0, lastSeq: 0 };
  const seq = event.seq as number;
  if (seq <= next.lastSeq) return next;
  next.lastSeq = seq;
  const removeWhere = (drop: (kept: ProgressEvent) => boolean) => {
    next.kept = next.kept.filter((k) => {
      if (!drop(k.event)) return true;
      next.bytes -= k.bytes;
      return false;
    });
  };
  const previousUsage = isUsage ? next.kept.find((k) => k.event.stream === "usage")?.event : undefined;
  if (isStartup && next.kept.some((k) => k.event.stream === "tool" || k.event.stream === "item")) return next;
  // Any of these ends the start-up: its status (or the bare answer event that replaced it) goes.
  if (!isUsage) removeWhere((e) => e.stream === "run_status" || e.stream === "assistant");
  next.starting = isStartup || (next.starting === true && isUsage);
  if (isUsage) removeWhere((e) => e.stream === "usage");
  else if (isItem) removeWhere((e) => e.stream === "item" && e.data.itemId === itemId);
  else if (isTool) {
    removeWhere((e) =>
      e.stream === "tool" && e.data.toolCallId === toolCallId &&
      (phase === "start" || e.data.phase === phase)
    );
  }
  const stored: Record<string, unknown> = isTool
    ? toolData(data, phase, mode)
    : isAssistant
    ? {}
    : isUsage
    ? { ...previousUsage?.data, ...data }
    : { ...data };
  for (const key of Object.keys(stored)) if (stored[key] === undefined) delete stored[key];
  const kept: ProgressEvent = {
    runId: event.runId as string,
    seq,
    stream: event.stream as string,
    ts: event.ts as number,
    data: stored,
    ...(event.sessionKey ? { sessionKey: event.sessionKey as string } : {}),
    ...(event.agentId ? { agentId: event.agentId as string } : {}),
  };
  let taken = captured(kept);
  if (!taken && isTool) {
    // Too big with its payload (a large file read): the call itself still shows.
    for (const key of TOOL_PAYLOADS) delete stored[key];
    taken = captured(kept);
  }
  if (!taken) return next;
  next.kept.push(taken);
  next.bytes += taken.bytes;
  while (next.kept.length > MAX_EVENTS || next.bytes > MAX_BYTES) {
    const oldest = next.kept.find((k) => k.event.stream !== "usage")?.event;
    if (!oldest) break;
    const callId = (oldest.stream === "tool" || oldest.stream === "item") && typeof oldest.data.toolCallId === "string"
      ? oldest.data.toolCallId
      : "";
    removeWhere((e) =>
      callId ? (e.stream === "tool" || e.stream === "item") && e.data.toolCallId === callId : e === oldest
    );
  }
  return next;
}

/** The kept events, oldest first (a new array: the snapshot is answered while the run goes on). */
export function progressEvents(progress: RunProgress | undefined): ProgressEvent[] {
  return progress ? progress.kept.map((k) => k.event) : [];
}
