// A stopped run's events as compared with the reference's recordings (tests/fixtures/inflight/).

/** One recorded or emitted event. */
export type Recorded = { event: string; payload: Record<string, unknown> & { data?: Record<string, unknown> } };

/**
 * A stop's `chat` and lifecycle events reduced to what must match: the kinds and fields, and which share
 * the stop's seq (the chat `aborted` and lifecycle `end` do). The reference re-announces the model after the
 * stop, which moves (or, for an `agent` run, restarts) the seq of its last event: those are left out.
 */
export function stopShape(events: readonly Recorded[]): unknown[] {
  const kept = events.filter((e) =>
    e.event === "chat" || (e.event === "agent" && e.payload.stream === "lifecycle" && e.payload.data?.phase !== "model")
  );
  const first = Number(kept[0]?.payload.seq);
  return kept.map(({ event, payload }) => {
    const { seq, data } = payload;
    const message = payload.message as { content?: unknown; role?: unknown } | undefined;
    return {
      event,
      seq: Number(seq) === first ? "the stop's" : "a later one",
      ...(event === "chat"
        ? {
          state: payload.state,
          stopReason: payload.stopReason,
          message: message && { role: message.role, content: message.content },
        }
        : { data: Object.fromEntries(Object.entries(data!).map(([k, v]) => [k, k.endsWith("At") ? "ms" : v])) }),
    };
  });
}
