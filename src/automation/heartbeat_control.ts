// What cron jobs and hooks ask of the heartbeat: main-session work is a system event queued for
// the session's next heartbeat turn, and a wake asks for that turn now.

/** A heartbeat outcome, as the `heartbeat` event and `last-heartbeat` carry it. */
export interface HeartbeatOutcome {
  ts: number;
  status: "sent" | "skipped" | "failed" | "ok-empty" | "ok-token";
  reason?: string;
  message?: string;
  preview?: string;
  /** Set when a heartbeat turn ran and answered; a skipped heartbeat has none, as in the reference. */
  hasMedia?: boolean;
  durationMs: number;
  [key: string]: unknown;
}

/** A system event waiting for a session's next heartbeat turn. */
export interface SystemEventInput {
  text: string;
  /** The agent whose main session gets it; the default agent when absent. */
  agentId?: string | undefined;
  /** A session other than the agent's main one. */
  sessionKey?: string | undefined;
}

/** The heartbeat as cron and hooks use it. */
export interface HeartbeatControl {
  /** Queues a system event for the next heartbeat turn; an identical queued text coalesces. */
  enqueue(event: SystemEventInput): "queued" | "coalesced";
  /** Asks for a heartbeat turn now (joining one already running) and resolves with its outcome. */
  runNow(
    input: { reason: string; agentId?: string | undefined; sessionKey?: string | undefined },
  ): Promise<HeartbeatOutcome>;
}
