// Who receives a run's `tool`-stream `agent` events. Tool arguments and results can carry what a
// command printed, so, as the reference does, they go only to connections that declared the
// `tool-events` capability and started (or, by chat.send, joined) the run, never to every reader.

/** Per run, the connections that asked for its tool events. */
export class ToolEventRecipients {
  #runs = new Map<string, Set<string>>();

  /** `connId` receives the tool events of `runId` from now on. */
  add(runId: string, connId: string): void {
    let set = this.#runs.get(runId);
    if (!set) this.#runs.set(runId, set = new Set());
    set.add(connId);
  }

  /** The connections receiving the tool events of `runId` (empty when none asked). */
  get(runId: string): ReadonlySet<string> {
    return this.#runs.get(runId) ?? new Set();
  }

  /** The run ended: no more tool events come for it. */
  endRun(runId: string): void {
    this.#runs.delete(runId);
  }

  /** A connection left: it receives nothing more. */
  drop(connId: string): void {
    for (const [runId, set] of this.#runs) {
      set.delete(connId);
      if (set.size === 0) this.#runs.delete(runId);
    }
  }
}

/** The capability a client declares at `connect` to receive tool events (the reference's name). */
export const TOOL_EVENTS_CAP = "tool-events";
