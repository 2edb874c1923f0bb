// Where a run's `agent` events go: `tool`-stream events (a tool's arguments and results) only to
// the connections that asked for that run's tool events, everything else to every reader.
import type { Hub } from "../protocol/hub.ts";

/** Sends one `agent` event payload as the reference routes it. */
export function emitAgentEvent(hub: Hub, payload: Record<string, unknown>): void {
  const runId = String(payload.runId);
  if (payload.stream === "tool") {
    const recipients = hub.toolEventRecipients.get(runId);
    if (recipients.size > 0) hub.sendTo(recipients, "agent", payload);
    return;
  }
  hub.broadcast("agent", payload);
  const phase = (payload.data as { phase?: unknown } | undefined)?.phase;
  if (payload.stream === "lifecycle" && (phase === "end" || phase === "error")) hub.toolEventRecipients.endRun(runId);
}
