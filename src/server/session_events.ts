// The session events the reference's clients subscribe to: `sessions.changed` (a run started or
// ended, a session was reset, patched or deleted) to `sessions.subscribe` connections, and
// `session.message` (a message reached the transcript) to those and to the session's
// `sessions.messages.subscribe` connections. Nobody else receives them.
import type { WrittenMessage } from "../agent/runs.ts";
import { messageOf } from "../log/error_text.ts";
import type { Logger } from "../log/logger.ts";
import type { Hub } from "../protocol/hub.ts";
import { messageView, sessionRowView, type SessionViewContext } from "../rpc/methods/session_view.ts";
import type { SessionRow, SessionStore } from "../sessions/store.ts";
import { isDisplayedMessage } from "../automation/heartbeat_display.ts";

/** What the session events read: the store, the hub that delivers them and the view context. */
export interface SessionEventsDeps {
  hub: Hub;
  sessions: SessionStore;
  view(): Promise<SessionViewContext>;
  log: Logger;
  /** The agent's heartbeat prompt: its heartbeat turns' prompts are not shown (absent: the default prompt's). */
  heartbeatPrompt?: ((agentId: string) => string) | undefined;
}

/** How a session changed, as `sessions.changed` says it: a run's phase, or a reason. */
export type SessionChange = { phase: string; runId: string } | { reason: string };

/** The row snapshot every session event carries: the row's fields at top level and as `session`. */
function snapshot(ctx: SessionViewContext, key: string, agentId: string, row: SessionRow | undefined) {
  const session = sessionRowView(ctx, key, agentId, row);
  const { key: _key, ...flat } = session;
  // The event's own fields say an absent pin or unread mark as null, as the reference's do (recorded:
  // tests/fixtures/session_read_state/); the row under `session` leaves them out.
  return { ...flat, pinnedAt: flat.pinnedAt ?? null, markedUnreadAt: flat.markedUnreadAt ?? null, session };
}

/** Builds and delivers the session events of one gateway. */
export class SessionEvents {
  #deps: SessionEventsDeps;

  constructor(deps: SessionEventsDeps) {
    this.#deps = deps;
  }

  async #row(key: string, agentId: string): Promise<SessionRow | undefined> {
    return await this.#deps.sessions.get(key, agentId);
  }

  /** A session changed: tells the `sessions.subscribe` connections, with the row as it is now. */
  async changed(key: string, agentId: string, change: SessionChange): Promise<void> {
    const { hub } = this.#deps;
    const to = hub.sessionSubscriptions.sessionSubscribers();
    if (to.size === 0) return;
    const deleted = "reason" in change && change.reason === "delete";
    const row = deleted ? undefined : await this.#row(key, agentId);
    const view = await this.#deps.view();
    // A run that has ended is no longer active, though its engine may not have noted it yet.
    const ended = "phase" in change && change.phase !== "start" ? change.runId : undefined;
    const ctx = ended
      ? { ...view, activeRunIds: (k: string) => view.activeRunIds(k).filter((id) => id !== ended) }
      : view;
    hub.sendTo(to, "sessions.changed", {
      sessionKey: key,
      agentId,
      ...change,
      ts: Date.now(),
      ...(deleted ? {} : snapshot(ctx, key, agentId, row)),
    });
  }

  /** A message reached a transcript: tells that session's subscribers. */
  async message(written: WrittenMessage): Promise<void> {
    const { hub } = this.#deps;
    if (!isDisplayedMessage(written.message, this.#deps.heartbeatPrompt?.(written.agentId))) {
      await this.#hiddenMessage(written);
      return;
    }
    const to = hub.sessionSubscriptions.messageSubscribers(written.sessionKey);
    if (to.size === 0) return;
    const row = await this.#row(written.sessionKey, written.agentId);
    const message = messageView(written.message, written.seq, written.sessionId);
    hub.sendTo(to, "session.message", {
      sessionKey: written.sessionKey,
      // Whether the sender owns the gateway, as the reference says it beside the key (`mcp serve` reads it).
      ...(written.message.senderIsOwner !== undefined ? { senderIsOwner: written.message.senderIsOwner } : {}),
      agentId: written.agentId,
      message,
      messageId: (message.__openclaw as { id: string }).id,
      messageSeq: written.seq,
      ...snapshot(await this.#deps.view(), written.sessionKey, written.agentId, row),
    });
  }

  /**
   * A message clients are not shown (a heartbeat prompt or acknowledgement): as the reference does,
   * `sessions.subscribe` connections hear that the session changed (phase `message`), with no message.
   */
  async #hiddenMessage(written: WrittenMessage): Promise<void> {
    const { hub } = this.#deps;
    const to = hub.sessionSubscriptions.sessionSubscribers();
    if (to.size === 0) return;
    const row = await this.#row(written.sessionKey, written.agentId);
    hub.sendTo(to, "sessions.changed", {
      sessionKey: written.sessionKey,
      agentId: written.agentId,
      phase: "message",
      ts: Date.now(),
      messageId: written.message.id ?? `${written.sessionId}:${written.seq}`,
      messageSeq: written.seq,
      ...snapshot(await this.#deps.view(), written.sessionKey, written.agentId, row),
    });
  }

  /** Reads the run phases out of the `agent` events the runs emit: start, end and error change the session. */
  fromAgentEvent(payload: Record<string, unknown>): void {
    if (payload.stream !== "lifecycle") return;
    const data = payload.data as { phase?: unknown } | undefined;
    const phase = data?.phase;
    if (phase !== "start" && phase !== "end" && phase !== "error") return;
    const { sessionKey, agentId, runId } = payload;
    if (typeof sessionKey !== "string" || typeof agentId !== "string" || typeof runId !== "string") return;
    this.#deliver(this.changed(sessionKey, agentId, { phase, runId }));
  }

  /** Runs a delivery in the background; a failure (the store unreadable) is logged, never thrown at the run. */
  #deliver(task: Promise<void>): void {
    task.catch((error) => this.#deps.log.warn(`session event not delivered: ${messageOf(error)}`));
  }

  /** {@link message} in the background, for the run engine's `onMessage`. */
  messageLater(written: WrittenMessage): void {
    this.#deliver(this.message(written));
  }

  /** {@link changed} in the background, for the RPC methods that reset, patch or delete a session. */
  changedLater(key: string, agentId: string, reason: string): void {
    this.#deliver(this.changed(key, agentId, { reason }));
  }
}
