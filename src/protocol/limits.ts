/** Limits a connection enforces; `hello-ok.policy` advertises the post-auth ones. */
export interface ConnectionLimits {
  /** Largest frame before `connect` succeeds (the reference: 64 KiB). */
  maxPreAuthPayload: number;
  /** Largest frame after `connect` (`policy.maxPayload`). */
  maxPayload: number;
  /** Outbound backlog past which a slow client is dropped (`policy.maxBufferedBytes`). */
  maxBufferedBytes: number;
  /** Time a client has to send `connect` after the challenge. */
  handshakeTimeoutMs: number;
}

/** The default limits, as measured on the reference gateway. */
export const DEFAULT_LIMITS: ConnectionLimits = {
  maxPreAuthPayload: 65_536,
  maxPayload: 26_214_400,
  maxBufferedBytes: 52_428_800,
  handshakeTimeoutMs: 15_000,
};
