// What the heartbeat (heartbeat_service.ts) needs from the gateway: its settings, agents, the run
// engine, delivery and the session store, each read per use so a reload applies.
import type { HeartbeatConfigView } from "../config/heartbeat_settings.ts";
import type { DeliverReply } from "./delivery.ts";
import type { HeartbeatOutcome } from "./heartbeat_control.ts";
import type { HeartbeatRunRequest, HeartbeatRunResult } from "./heartbeat_turn.ts";

/** An agent as the heartbeat needs it. */
export interface HeartbeatAgent {
  id: string;
  workspace: string;
  /** Why no turn can run for it (no model configured), or undefined. */
  unrunnable?: { reason: string; message: string } | undefined;
}

/** What the heartbeat needs from the gateway. */
export interface HeartbeatServiceDeps {
  /** The heartbeat settings in force (read per use, so a reload applies). */
  settings(): HeartbeatConfigView;
  agents(): { defaultAgentId: string; agents: readonly HeartbeatAgent[] };
  ownerAllowFrom(): readonly string[];
  run(request: HeartbeatRunRequest): Promise<HeartbeatRunResult>;
  /** Starts `sessionKey` afresh (an isolated heartbeat session). */
  resetSession(sessionKey: string, agentId: string): Promise<void>;
  deliver: DeliverReply;
  busy(sessionKey: string): boolean;
  /** Whether the session has a chat on record for `last` (absent: assume it has). */
  hasLastRoute?: ((sessionKey: string, agentId: string) => Promise<boolean>) | undefined;
  /** The chat `last` resolves to, for `directPolicy: block` (absent: not checked). */
  lastRoute?:
    | ((sessionKey: string, agentId: string) => Promise<{ channel: string; to: string } | undefined>)
    | undefined;
  emit(outcome: HeartbeatOutcome): void;
  /** The workspace's `HEARTBEAT.md`, or undefined when there is none. */
  readScratch?: ((path: string) => Promise<string | undefined>) | undefined;
  warn?: ((message: string) => void) | undefined;
  info?: ((message: string) => void) | undefined;
  now?: (() => number) | undefined;
}

/** A file's text, or undefined when it does not exist. */
export async function readIfPresent(path: string): Promise<string | undefined> {
  try {
    return await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
}
