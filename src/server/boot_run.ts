// One `boot-md` turn: the boot prompt runs as an agent turn in a throwaway session
// (`agent:<id>:boot:boot-<time>-<id8>`, as the reference names it), delivered nowhere, and the session is
// removed afterwards whatever the turn did.
import type { AgentRuns } from "../agent/runs.ts";
import { getLogger } from "../log/logger.ts";
import type { SessionStore } from "../sessions/store.ts";

/** The reference's boot session id: `boot-<ISO time with - for : and .>-<8 hex>`. */
export function bootSessionId(now: Date = new Date()): string {
  const stamp = now.toISOString().replace(/[:.]/g, "-").replace("T", "_").replace("Z", "");
  return `boot-${stamp}-${crypto.randomUUID().slice(0, 8)}`;
}

/** Runs the turn and removes its session; a failed turn throws (the hook logs it). */
export async function runBootTurn(
  deps: { runs: Pick<AgentRuns, "start">; sessions: Pick<SessionStore, "delete"> },
  agentId: string,
  prompt: string,
): Promise<void> {
  const sessionId = bootSessionId();
  const sessionKey = `agent:${agentId}:boot:${sessionId}`;
  try {
    const started = deps.runs.start({ agentId, sessionKey, message: prompt, idempotencyKey: sessionId });
    if (started.kind === "in_flight") return;
    const outcome = started.kind === "done" ? started.outcome : await started.done;
    if (outcome.status === "error") throw new Error(outcome.error ?? "the boot turn failed");
  } finally {
    try {
      await deps.sessions.delete(sessionKey, agentId, { deleteTranscript: true });
    } catch (error) {
      getLogger("gateway/boot").error(`boot: failed to clean up session: ${String(error)}`);
    }
  }
}
