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
  /** Reads the session counts `health` reports (at once, not deferred). */
  sessionCounts(): Promise<unknown>;
  /** A client's WebSocket handshake is under way (accepted, `connect` not yet answered). */
  handshaking(): boolean;
  log: Logger;
}

/**
 * Arms the gateway's start-up work after listening, in the order it ran before (heartbeat, channels, cron,
 * media prune): begun by the first client served or {@link POST_LISTEN_DELAY_MS}, whichever first (a handshake
 * under way then is waited for, up to {@link POST_LISTEN_MAX_DELAY_MS}). The session counts are read at once:
 * a client connecting as the port accepts gets them in its hello-ok `health`, as before (deferred, it saw 0).
 */
export function postListenStart(services: PostListenServices, delayMs = POST_LISTEN_DELAY_MS): PostListenStart {
  void services.sessionCounts().catch((error) => services.log.error(`session counts failed to load: ${error}`));
  const start = new PostListenStart([
    // First, as the reference's sidecars: a channel message arriving next already meets its hooks.
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
