import { type ProgressEvent, progressEvents, type RunProgress } from "./run_progress.ts";

/** A run still streaming, as `chat.history` shows it so a page loaded mid-run can show the text so far and Stop. */
export interface InFlightRunSnapshot {
  runId: string;
  /** The answer as the run's chat deltas carry it so far ("" before the first one). */
  text: string;
  /** When the run was accepted (a `chat.send` run) or began executing (any other run), in ms. */
  startedAt?: number | undefined;
  /** Set for a run other than the chat's own (`agent`, a channel's): a Stop by session key reaches it. */
  sessionAbortable?: boolean | undefined;
  /** The run's progress so far (its tool calls, their activity items, its usage), oldest first; absent when none. */
  events?: ProgressEvent[] | undefined;
}

/** What the run registry keeps of a run for the in-flight snapshot. */
export interface LiveRun {
  runId: string;
  sessionKey: string;
  state: "running" | "done";
  controller: AbortController;
  /** Started by `chat.send` (the chat's own run), not by `agent`, a channel or a schedule. */
  chatSend: boolean;
  /**
   * Never shown in flight: a heartbeat's or cron job's turn (its live text is not the chat's: a heartbeat's
   * deltas never reach clients) or a stateless HTTP call (its stream is its caller's alone).
   */
  unlisted?: boolean | undefined;
  acceptedAt: number;
  /** When its turn began (it waited behind the session's earlier runs until then). */
  executingAt?: number | undefined;
  /** The latest chat delta's message: kept by reference, so a delta costs no copy. */
  message?: { content: readonly { text?: string }[] } | undefined;
  /** Its progress events so far (run_progress.ts), recorded as they are sent. */
  progress?: RunProgress | undefined;
}

/** The text a run's latest chat delta showed. */
function textOf(run: LiveRun): string {
  return run.message?.content[0]?.text ?? "";
}

/**
 * The session's in-flight run as the reference picks it: the newest `chat.send` run still running and
 * not stopped (by acceptance time, then run id); failing that, the run executing on the session (an
 * `agent` or channel run), marked `sessionAbortable`. Queued, stopped and unlisted runs are left out.
 */
export function inFlightRunOf(runs: Iterable<LiveRun>, sessionKey: string): InFlightRunSnapshot | undefined {
  let best: LiveRun | undefined;
  let executing: LiveRun | undefined;
  for (const run of runs) {
    if (run.state !== "running" || run.sessionKey !== sessionKey || run.controller.signal.aborted) continue;
    if (run.unlisted) continue;
    if (!run.chatSend) {
      if (run.executingAt !== undefined) executing = run;
      continue;
    }
    const newer = !best || run.acceptedAt > best.acceptedAt ||
      (run.acceptedAt === best.acceptedAt && run.runId > best.runId);
    if (newer) best = run;
  }
  if (best) return { runId: best.runId, text: textOf(best), startedAt: best.acceptedAt, ...eventsOf(best) };
  if (!executing) return undefined;
  return {
    runId: executing.runId,
    text: textOf(executing),
    startedAt: executing.executingAt,
    sessionAbortable: true,
    ...eventsOf(executing),
  };
}

/** The run's progress events as the snapshot carries them: none, no field. */
function eventsOf(run: LiveRun): { events?: ProgressEvent[] } {
  const events = progressEvents(run.progress);
  return events.length ? { events } : {};
}
