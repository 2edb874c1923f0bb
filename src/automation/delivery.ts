// Delivering a run's answer to a chat: cron jobs (`delivery.mode: "announce"`), heartbeats
// (`heartbeat.target`) and hook runs (`deliver: true`) all send through one function, so "last"
// (the chat the session last talked on) means the same everywhere.

/** Where an answer goes: a channel and a chat in it, or `last`. */
export interface DeliveryTarget {
  /** A channel id (`irc`, `telegram`, ...) or `last`. */
  channel: string;
  /** The chat in that channel; absent with `last` (taken from the session's last route). */
  to?: string | undefined;
  accountId?: string | undefined;
  threadId?: string | number | undefined;
}

/** How a delivery went. */
export interface DeliveryReport {
  status: "delivered" | "not-delivered";
  /** Why it was not delivered (no route known for `last`, channel not running, send failed). */
  error?: string | undefined;
  /** The route it went to (or would have), once resolved. */
  channel?: string | undefined;
  to?: string | undefined;
  accountId?: string | undefined;
}

/** Sends `text` to `target`; `last` resolves from the session's last route. Never throws. */
export type DeliverReply = (input: {
  target: DeliveryTarget;
  text: string;
  agentId: string;
  sessionKey: string;
}) => Promise<DeliveryReport>;
