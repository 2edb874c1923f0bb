// Emits the observation events of the internal hooks (`message:*`, `session:patch`) without waiting for them,
// as the reference's fireAndForgetHook does: the turn, the send or the patch never waits on a handler, and a
// handler that throws is logged by the dispatcher (`Hook error [message:received]: ...`) and nothing else.
import { createInternalHookEvent, type InternalHookEmitter, type InternalHookEventType } from "./internal_hooks.ts";
import {
  type InboundHookFacts,
  messagePreprocessedContext,
  messageReceivedContext,
  messageSentContext,
  messageTranscribedContext,
  type SentHookFacts,
} from "./message_hook_context.ts";

/** Starts one event's handlers and returns at once; the context is built only when a handler listens. */
export function observeInternalHook(
  hooks: InternalHookEmitter | undefined,
  event: { type: InternalHookEventType; action: string; sessionKey: string },
  context: () => Record<string, unknown>,
): void {
  if (!hooks?.listens(event.type, event.action)) return;
  // The dispatcher catches each handler's error; nothing is left to reject.
  void hooks.trigger(createInternalHookEvent(event.type, event.action, event.sessionKey, context()));
}

/** An accepted inbound message: `message:received`. */
export function emitMessageReceived(
  hooks: InternalHookEmitter | undefined,
  sessionKey: string,
  facts: InboundHookFacts,
): void {
  observeInternalHook(hooks, { type: "message", action: "received", sessionKey }, () => messageReceivedContext(facts));
}

/**
 * The message passed preprocessing (its files and links read, or nothing to read): `message:transcribed` when an
 * audio transcript came out of it, then `message:preprocessed`.
 */
export function emitMessagePreprocessed(
  hooks: InternalHookEmitter | undefined,
  sessionKey: string,
  facts: InboundHookFacts,
  cfg: unknown,
): void {
  if (facts.transcript) {
    observeInternalHook(
      hooks,
      { type: "message", action: "transcribed", sessionKey },
      () => messageTranscribedContext(facts, cfg),
    );
  }
  observeInternalHook(
    hooks,
    { type: "message", action: "preprocessed", sessionKey },
    () => messagePreprocessedContext(facts, cfg),
  );
}

/** A channel reported how one reply went: `message:sent` (`success`, and `error` when it failed). */
export function emitMessageSent(
  hooks: InternalHookEmitter | undefined,
  sessionKey: string,
  facts: SentHookFacts,
): void {
  observeInternalHook(hooks, { type: "message", action: "sent", sessionKey }, () => messageSentContext(facts));
}
