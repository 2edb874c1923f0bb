// The session entry's `fallbackNotice`, as the reference writes it: the model fallback the session's notices last
// announced (agent/fallback_notice.ts decides when it changes).

/** A session on a fallback model: the model it selected, the one answering, and why it moved. */
export interface FallbackNoticeState {
  kind: "active";
  /** `provider/model` the session selected. */
  selectedModel: string;
  /** `provider/model` that answered instead. */
  activeModel: string;
  /** The notice's reason summary ("HTTP 503: Service Unavailable"). */
  reason?: string | undefined;
}

/** The entry's `fallbackNotice` when it is one (written by either gateway); undefined for anything else. */
export function fallbackNoticeOf(value: unknown): FallbackNoticeState | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const { selectedModel, activeModel, reason } = value as Record<string, unknown>;
  if (typeof selectedModel !== "string" || typeof activeModel !== "string") return undefined;
  return { kind: "active", selectedModel, activeModel, ...(typeof reason === "string" ? { reason } : {}) };
}
