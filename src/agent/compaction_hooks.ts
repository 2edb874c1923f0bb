// `session:compact:before` and `session:compact:after`, as the reference's compaction runs them: awaited around
// the compaction work, each handler's error logged by the dispatcher, and what the handlers pushed to
// `event.messages` handed to the caller's notice callback (which owns delivering it) when there is one.
import { createInternalHookEvent, type InternalHookEmitter } from "./internal_hooks.ts";

/** Where the replies handlers push go: the phase and the non-blank messages, in order. */
export type CompactionHookMessages = (phase: "before" | "after", messages: string[]) => Promise<void> | void;

/** The facts `session:compact:before` reports. */
export interface CompactionBeforeFacts {
  sessionId: string | undefined;
  /** The messages the compaction looks at and their estimated tokens. */
  messageCount: number;
  tokenCount: number | undefined;
  /** The session's messages before anything was left out, and their tokens. */
  messageCountOriginal: number;
  tokenCountOriginal: number | undefined;
}

/** The facts `session:compact:after` reports. */
export interface CompactionAfterFacts {
  sessionId: string | undefined;
  /** The messages the model sees after the compaction (the summary and the kept tail). */
  messageCount: number;
  tokensBefore: number | undefined;
  tokensAfter: number | undefined;
  compactedCount: number;
  summaryLength: number | undefined;
  firstKeptEntryId: string | undefined;
}

async function run(
  hooks: InternalHookEmitter | undefined,
  action: "compact:before" | "compact:after",
  sessionKey: string,
  context: () => Record<string, unknown>,
  onMessages: CompactionHookMessages | undefined,
): Promise<void> {
  if (!hooks?.listens("session", action)) return;
  const event = createInternalHookEvent("session", action, sessionKey, context());
  await hooks.trigger(event);
  const messages = event.messages.filter((message) => typeof message === "string" && message.trim().length > 0);
  if (messages.length > 0) await onMessages?.(action === "compact:before" ? "before" : "after", messages);
}

/** Before the compaction work starts (after the checks that find nothing to do). */
export function compactionBefore(
  hooks: InternalHookEmitter | undefined,
  sessionKey: string,
  facts: CompactionBeforeFacts,
  onMessages?: CompactionHookMessages,
): Promise<void> {
  return run(hooks, "compact:before", sessionKey, () => ({
    sessionId: facts.sessionId,
    missingSessionKey: false,
    messageCount: facts.messageCount,
    tokenCount: facts.tokenCount,
    messageCountOriginal: facts.messageCountOriginal,
    tokenCountOriginal: facts.tokenCountOriginal,
  }), onMessages);
}

/** After a compaction that wrote its summary. */
export function compactionAfter(
  hooks: InternalHookEmitter | undefined,
  sessionKey: string,
  facts: CompactionAfterFacts,
  onMessages?: CompactionHookMessages,
): Promise<void> {
  return run(hooks, "compact:after", sessionKey, () => ({
    sessionId: facts.sessionId,
    missingSessionKey: false,
    messageCount: facts.messageCount,
    tokenCount: facts.tokensAfter,
    compactedCount: facts.compactedCount,
    summaryLength: facts.summaryLength,
    tokensBefore: facts.tokensBefore,
    tokensAfter: facts.tokensAfter,
    firstKeptEntryId: facts.firstKeptEntryId,
  }), onMessages);
}
