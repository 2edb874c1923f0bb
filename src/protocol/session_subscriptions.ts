// Who asked for which session events: `sessions.subscribe` (every session's changes) and
// `sessions.messages.subscribe` (one session's messages). A connection's subscriptions end with
// it (the hub drops them when it leaves) or on the matching unsubscribe.

/** The subscriptions of all connections, by connection id. */
export class SessionSubscriptions {
  #sessions = new Set<string>();
  #messages = new Map<string, Set<string>>();

  /** `sessions.subscribe`: this connection receives `sessions.changed` for every session. */
  subscribeSessions(connId: string): void {
    this.#sessions.add(connId);
  }

  /** Stops `sessions.changed` for this connection. */
  unsubscribeSessions(connId: string): void {
    this.#sessions.delete(connId);
  }

  /** `sessions.messages.subscribe`: this connection receives `session.message` for one session key. */
  subscribeMessages(connId: string, key: string): void {
    const set = this.#messages.get(key) ?? new Set<string>();
    set.add(connId);
    this.#messages.set(key, set);
  }

  /** `sessions.messages.unsubscribe`. */
  unsubscribeMessages(connId: string, key: string): void {
    const set = this.#messages.get(key);
    if (!set) return;
    set.delete(connId);
    if (set.size === 0) this.#messages.delete(key);
  }

  /** Connections subscribed to every session's changes. */
  sessionSubscribers(): ReadonlySet<string> {
    return this.#sessions;
  }

  /** Connections subscribed to one session's messages, plus those subscribed to all sessions. */
  messageSubscribers(key: string): Set<string> {
    return new Set([...this.#sessions, ...(this.#messages.get(key) ?? [])]);
  }

  /** Forgets a connection that closed. */
  drop(connId: string): void {
    this.#sessions.delete(connId);
    for (const key of [...this.#messages.keys()]) this.unsubscribeMessages(connId, key);
  }
}
