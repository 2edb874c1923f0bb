import type { Logger } from "../log/logger.ts";
import { PostListenStart } from "./post_listen_start.ts";

/**
 * The bound on how long the start-up work after listening waits for a first client: long enough for a client
 * connecting as the port accepts to get its `hello-ok` first (about 8 ms of CPU, more on a loaded machine),
 * short enough that channels and the cron catch-up begin, in effect, at once.
 */
export const POST_LISTEN_DELAY_MS = 100;

/** The hard bound when a client's handshake is still under way at {@link POST_LISTEN_DELAY_MS}. */
export const POST_LISTEN_MAX_DELAY_MS = 1000;

/** What the gateway starts once it listens, each started by one call. */
export interface PostListenServices {
  heartbeat: { start(): void };
  /** Starts or stops channels to match the config. */
  channels(): void;
  cron: { start(): Promise<void> };
  media: { start(): void };
  /** Loads the internal hooks `hooks.internal` selects (then emits `gateway:startup`); absent: none. */
  internalHooks?: (() => Promise<void>) | undefined;
  /**
   * Reads the session counts the `health` snapshots report (hello-ok's, the events'); the `health` and `status`
   * methods read them afresh themselves.
   */
  sessionCounts(): Promise<unknown>;
  /** A client's WebSocket handshake is under way (accepted, `connect` not yet answered). */
  handshaking(): boolean;
  log: Logger;
}

/**
 * Arms the gateway's start-up work after listening (session counts, internal hooks, heartbeat, channels, cron,
 * media prune, in that order): begun by the first client served or {@link POST_LISTEN_DELAY_MS}, whichever first
 * (a handshake under way then is waited for, up to {@link POST_LISTEN_MAX_DELAY_MS}). The counts are deferred too:
 * read at once, opening the sessions database (SQLite and its module) cost a client connecting as the port accepts
 * 5-8 ms of its hello-ok, and a state dir without sessions 2-3 ms of first failed lookups. Such a client's hello-ok
 * counts no sessions; the read then sends every client a fresh `health` when it finds any (src/server/gateway.ts).
 */
export function postListenStart(services: PostListenServices, delayMs = POST_LISTEN_DELAY_MS): PostListenStart {
  const start = new PostListenStart([
    { name: "session counts", run: () => services.sessionCounts() },
    // Before the channels, as the reference's sidecars: a channel message arriving next already meets its hooks.
    ...(services.internalHooks ? [{ name: "internal hooks", run: services.internalHooks }] : []),
    { name: "heartbeat", run: () => services.heartbeat.start() },
    { name: "channels", run: () => services.channels() },
    { name: "cron", run: () => services.cron.start() },
    { name: "media cleanup", run: () => services.media.start() },
  ], {
    delayMs,
    maxDelayMs: POST_LISTEN_MAX_DELAY_MS,
    busy: () => services.handshaking(),
    error: (message) => services.log.error(message),
  });
  start.arm();
  // For an operator (and tests) reading the debug log: when the deferred work has all begun.
  void start.finished.then(() => {
    if (start.state === "done") {
      services.log.debug("start-up work after listening begun (heartbeat, channels, cron, media)");
    }
  });
  return start;
}
