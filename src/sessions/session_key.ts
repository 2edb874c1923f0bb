// A client's session key as the store keeps it. Clients may send a bare key ("main", "work"): the reference
// qualifies it with the agent that owns it (`agent:<id>:<key>`, lowercased), so "main" and "agent:main:main" are
// one session, and every event and row carries the qualified key (measured, tests/fixtures/bare_session_keys/).

/** Keys that name no agent's session, kept as they are (lowercased), as the reference's store keeps them. */
const UNSCOPED = new Set(["global", "unknown"]);

/**
 * `key` as the store keeps it for agent `agentId`: an agent-scoped key (`agent:…`) as sent, `global` and
 * `unknown` lowercased, any other key lowercased under `agent:<agentId>:`.
 */
export function qualifiedSessionKey(key: string, agentId: string): string {
  if (key.startsWith("agent:")) return key;
  const lowered = key.toLowerCase();
  return UNSCOPED.has(lowered) ? lowered : `agent:${agentId}:${lowered}`;
}
