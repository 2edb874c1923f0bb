import type { InFlightRunSnapshot } from "../../agent/in_flight_run.ts";

/** The reference's cap on one `chat.history` answer's messages (6 MiB), when `maxBytes` asks for no less. */
export const CHAT_HISTORY_MAX_BYTES = 6 * 1024 * 1024;

/** The UTF-8 size of a value's JSON text, as the reference measures history answers. */
export function jsonUtf8Bytes(value: unknown): number {
  return new TextEncoder().encode(JSON.stringify(value)).length;
}

/**
 * The snapshot cut to what fits beside `messagesBytes` of messages in `maxBytes`, as the reference
 * bounds it: whole when it fits; otherwise its id with empty text, then `startedAt` and then the text
 * added back each when it still fits (the text is never cut mid-way: partial text would read as the
 * whole answer so far).
 */
export function boundInFlightRun(
  snapshot: InFlightRunSnapshot | undefined,
  budget: { messagesBytes: number; maxBytes: number },
): InFlightRunSnapshot | undefined {
  if (!snapshot) return undefined;
  const fits = (candidate: InFlightRunSnapshot) => budget.messagesBytes + jsonUtf8Bytes(candidate) <= budget.maxBytes;
  if (fits(snapshot)) return snapshot;
  let bounded: InFlightRunSnapshot = {
    runId: snapshot.runId,
    text: "",
    ...(snapshot.sessionAbortable ? { sessionAbortable: true } : {}),
  };
  if (snapshot.startedAt !== undefined) {
    const candidate = { ...bounded, startedAt: snapshot.startedAt };
    if (fits(candidate)) bounded = candidate;
  }
  if (snapshot.text) {
    const candidate = { ...bounded, text: snapshot.text };
    if (fits(candidate)) bounded = candidate;
  }
  return bounded;
}
