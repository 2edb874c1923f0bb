// The internal hooks dispatcher: handlers the gateway loaded (bundled or from HOOK.md directories) run on
// the events the gateway emits (`command:new`, `gateway:startup`...). One instance per gateway, owned by
// its composition root; emitters receive it and ask `listens()` first, so with no hook loaded an event
// costs one map lookup and its context is never built.
import type { Logger } from "../log/logger.ts";

/** The event families the reference emits (a handler may subscribe to a bare family). */
export type InternalHookEventType = "command" | "session" | "agent" | "gateway" | "message";

/** One event, shaped as the reference's `createInternalHookEvent` makes it. */
export interface InternalHookEvent {
  type: InternalHookEventType;
  action: string;
  /** The session the event concerns; Gateway events use a Gateway key (`gateway:startup`). */
  sessionKey: string;
  context: Record<string, unknown>;
  /** When the event object was created. */
  timestamp: Date;
  /** Replies a handler pushes; only some producers deliver them (`/new` and `/reset` in a chat). */
  messages: string[];
}

/** A loaded handler: the reference awaits its promise and ignores what it returns. */
export type InternalHookHandler = (event: InternalHookEvent) => unknown;

/** One subscription: an event key (`command` or `command:new`) and its handler. */
export interface InternalHookRegistration {
  event: string;
  handler: InternalHookHandler;
}

/** The event keys the reference's core emits; other subscriptions are registered but warned about. */
export const KNOWN_INTERNAL_HOOK_EVENTS: readonly string[] = [
  "command",
  "session",
  "agent",
  "gateway",
  "message",
  "agent:bootstrap",
  "command:new",
  "command:reset",
  "command:stop",
  "gateway:pre-restart",
  "gateway:shutdown",
  "gateway:startup",
  "message:preprocessed",
  "message:received",
  "message:sent",
  "message:transcribed",
  "session:auto-reset",
  "session:compact:after",
  "session:compact:before",
  "session:patch",
];

/** A new event with an empty `messages` list and the current time, as the reference creates them. */
export function createInternalHookEvent(
  type: InternalHookEventType,
  action: string,
  sessionKey: string,
  context: Record<string, unknown> = {},
): InternalHookEvent {
  return { type, action, sessionKey, context, timestamp: new Date(), messages: [] };
}

/** The dispatcher's view an emitter needs: whether anyone listens, and running the handlers. */
export interface InternalHookEmitter {
  listens(type: InternalHookEventType, action: string): boolean;
  trigger(event: InternalHookEvent): Promise<void>;
}

/**
 * The loaded handlers by event key. A reload replaces the whole set at once (`replace`); an event already
 * dispatching keeps the handler list it started with.
 */
export class InternalHooks implements InternalHookEmitter {
  #handlers = new Map<string, InternalHookHandler[]>();
  #log: Pick<Logger, "error">;

  constructor(log: Pick<Logger, "error">) {
    this.#log = log;
  }

  /** Installs a new generation of registrations in place of the current one. */
  replace(registrations: readonly InternalHookRegistration[]): void {
    const next = new Map<string, InternalHookHandler[]>();
    for (const { event, handler } of registrations) next.set(event, [...(next.get(event) ?? []), handler]);
    this.#handlers = next;
  }

  /** The event keys with at least one handler. */
  eventKeys(): string[] {
    return [...this.#handlers.keys()];
  }

  /** Whether a family or exact handler is registered for this event. */
  listens(type: InternalHookEventType, action: string): boolean {
    return this.#handlers.has(type) || this.#handlers.has(`${type}:${action}`);
  }

  /**
   * Runs the family handlers, then the exact ones, each awaited in registration order. A handler's error is
   * logged (the reference's `Hook error [type:action]: message`) and the later handlers still run.
   */
  async trigger(event: InternalHookEvent): Promise<void> {
    const handlers = this.#handlers;
    const all = [...(handlers.get(event.type) ?? []), ...(handlers.get(`${event.type}:${event.action}`) ?? [])];
    for (const handler of all) {
      try {
        await handler(event);
      } catch (error) {
        this.#log.error(
          `Hook error [${event.type}:${event.action}]: ${error instanceof Error ? error.message : error}`,
        );
      }
    }
  }
}
