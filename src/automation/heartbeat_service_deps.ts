// What the heartbeat (heartbeat_service.ts) needs from the gateway: its settings, agents, the run
// engine, delivery and the session store, each read per use so a reload applies.
import { openIfExists, readInto } from "../state/open_if_exists.ts";
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
  /**
   * The agent's heartbeat monitor in the cron store, as the reference keeps it (`heartbeat:<agentId>`): its
   * scratch text (undefined: none) is the turn's checklist and `HEARTBEAT.md` is not read; undefined without
   * a monitor row, when the workspace file is.
   */
  monitor?: ((agentId: string) => { content: string | undefined } | undefined) | undefined;
  warn?: ((message: string) => void) | undefined;
  info?: ((message: string) => void) | undefined;
  now?: (() => number) | undefined;
}

/** The most of `HEARTBEAT.md` a turn reads: the reference caps its monitor scratch at 256 KiB. */
export const SCRATCH_MAX_BYTES = 256 * 1024;

/**
 * A file's text, at most `SCRATCH_MAX_BYTES` of it (cut on a character boundary, `truncated` set),
 * or undefined when it does not exist: a huge HEARTBEAT.md is never read whole on every tick.
 */
export async function readScratchCapped(
  path: string,
  maxBytes = SCRATCH_MAX_BYTES,
): Promise<{ text: string; truncated: boolean } | undefined> {
  const file = await openIfExists(path);
  if (!file) return undefined;
  try {
    const buffer = new Uint8Array(maxBytes + 1);
    const filled = await readInto(file, buffer);
    const truncated = filled > maxBytes;
    let end = Math.min(filled, maxBytes);
    // Back off a UTF-8 continuation byte run so the cut never splits a character.
    if (truncated) { while (end > 0 && (buffer[end]! & 0xc0) === 0x80) end--; }
    return { text: new TextDecoder().decode(buffer.subarray(0, end)), truncated };
  } finally {
    file.close();
  }
}

/** A file's text (capped at `SCRATCH_MAX_BYTES`, `warn` told when cut), or undefined when it does not exist. */
export async function readIfPresent(
  path: string,
  warn?: ((message: string) => void) | undefined,
): Promise<string | undefined> {
  const read = await readScratchCapped(path);
  if (read?.truncated) {
    warn?.(`heartbeat: ${path} is larger than 256 KiB; only its first 256 KiB is read (trim it)`);
  }
  return read?.text;
}
