// What an MCP server's failures mean: its backoff, when it counts as failed, and the state status
// views show. Pure, so the manager keeps the lifecycle and this keeps the policy.

/** Where a configured server stands, for status views and tests. */
export interface McpServerStatus {
  name: string;
  /**
   * `backoff`: it failed lately and waits before the next request may retry it; `failed`: it
   * failed {@link MCP_MAX_FAILURES} (or the configured count of) times in a row and waits out a long pause (or a
   * config change); `reconnecting`: it dropped and the next request reconnects it.
   */
  state: "idle" | "connecting" | "connected" | "reconnecting" | "backoff" | "failed" | "disabled" | "skipped";
  /** Tools it offers (after its `toolFilter`), once listed. */
  toolCount: number;
  /** The stdio child's process id while connected. */
  pid?: number | undefined;
  /** Why it failed or was skipped last. */
  lastError?: string | undefined;
  /** How many times it was reconnected after its transport closed. */
  reconnects: number;
  /** Consecutive failures (start, listing, or a connection that closed before it proved stable). */
  failures?: number | undefined;
  /** No request retries it before this time (epoch ms). */
  retryAt?: number | undefined;
}

/** A server marked failed: what the gateway records for status views. */
export interface McpFailedMark {
  name: string;
  fingerprint: string;
  failures: number;
  lastError?: string | undefined;
  retryAt: number;
}

const BACKOFF_START_MS = 1_000;
const BACKOFF_MAX_MS = 30_000;
/** How long a listed connection must stay up before its server's failure count is forgiven. */
export const MCP_STABLE_MS = 60_000;
/** Consecutive failures after which a server is marked failed. */
export const MCP_MAX_FAILURES = 5;
/** A failed server is left alone this long (or until its config changes). */
export const MCP_FAILED_PAUSE_MS = 5 * 60_000;

/** The wait after the `failures`-th failure in a row: 1 s, doubling, at most 30 s. */
export function mcpBackoffMs(failures: number): number {
  return Math.min(BACKOFF_MAX_MS, BACKOFF_START_MS * 2 ** Math.max(0, failures - 1));
}

/** The state a status view shows for a server the manager holds. */
export function mcpServerState(slot: {
  connecting: boolean;
  connected: boolean;
  listed: boolean;
  dropped: boolean;
  failures: number;
  /** Its retry time is still ahead. */
  waiting: boolean;
  maxFailures: number;
}): McpServerStatus["state"] {
  if (slot.connecting) return "connecting";
  if (slot.failures >= slot.maxFailures) return "failed";
  if (slot.connected && slot.listed) return "connected";
  if (slot.dropped && !slot.waiting) return "reconnecting";
  if (slot.failures > 0) return "backoff";
  return slot.connected ? "connected" : "idle";
}
