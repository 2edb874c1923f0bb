// The reference's view of who runs a gateway on a state dir: while this gateway runs it also holds the
// reference's two lock files (reference_lock_format.ts), so the reference's `agent --local`, `models status
// --probe` and `gateway run` see it and refuse as they do beside one of their own; and a start of this gateway
// beside a live reference gateway is refused. Our own flock (instance_lock.ts) stays what excludes another of
// ours; these files are claimed by exclusive create, as the reference claims them, and a dead owner's are taken
// over as it takes them over. Costs a hash, a realpath and two exclusive creates when no lock is there; a
// process probe (a spawn) only when one is.
import { delay } from "../async/delay.ts";
import { SIGNATURES } from "./guards.ts";
import { probeProcess, type ProcessFacts } from "../state/process_probe.ts";
import {
  configHashOf,
  gatewayLockPayload,
  lockFileText,
  lockVerdict,
  ownerStatus,
  parseLockPayload,
  REFERENCE_LOCK_STALE_MS,
  type ReferenceLockPaths,
  referenceLockPaths,
  type ReferenceLockPayload,
} from "./reference_lock_format.ts";
import { StartupError } from "./startup_error.ts";

/** Reads of an unparsable fresh lock (its writer between create and write) before it counts as held. */
const UNREADABLE_RETRIES = 10;
const RETRY_DELAY_MS = 50;

/** Where the reference looks for the locks of `stateDir` with `configPath`, as it resolves them. */
export async function resolveReferenceLockPaths(input: { stateDir: string; configPath: string }): Promise<
  ReferenceLockPaths & { stateDir: string }
> {
  // The reference names the directory after the state dir's real path (macOS: /tmp is /private/tmp).
  const stateDir = await Deno.realPath(input.stateDir).catch(() => input.stateDir);
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(input.configPath)));
  let uid: number | null = null;
  try {
    uid = Deno.uid();
  } catch {
    // No uid (Windows, or --allow-sys withheld): the reference then uses `openclaw/`.
  }
  return { ...referenceLockPaths({ stateDir, configHash: configHashOf(digest), uid }), stateDir };
}

/**
 * Who the reference's gateway lock of `stateDir` names (the config lock first, as the reference reads them), without
 * judging whether that process lives: a gateway takes it afresh with a new owner id at each restart in place.
 */
export async function readReferenceLockOwner(
  input: { stateDir: string; configPath: string },
): Promise<{ pid: number; ownerId: string | undefined; port: number | undefined } | undefined> {
  const paths = await resolveReferenceLockPaths(input);
  for (const path of [paths.configLock, paths.stateLock]) {
    const text = await Deno.readTextFile(path).catch(() => undefined);
    const payload = text === undefined ? undefined : parseLockPayload(text);
    if (payload && (payload.role ?? "gateway") === "gateway") {
      return { pid: payload.pid, ownerId: payload.ownerId, port: payload.port };
    }
  }
  return undefined;
}

/** A lock file found in place, and how its owner was judged. */
interface FoundLock {
  path: string;
  text: string;
  payload: ReferenceLockPayload | undefined;
  verdict: "held" | "stale" | "retry";
}

/** Reads and judges the lock file at `path`; undefined when there is none. */
async function inspect(path: string): Promise<FoundLock | undefined> {
  let text: string;
  let mtimeMs: number | undefined;
  try {
    const [read, info] = await Promise.all([Deno.readTextFile(path), Deno.stat(path)]);
    text = read;
    mtimeMs = info.mtime?.getTime();
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
  const payload = parseLockPayload(text);
  let facts: ProcessFacts | undefined;
  // Our own pid needs no probe: ownerStatus counts it a leftover of ours.
  if (payload?.pid && payload.pid !== Deno.pid) facts = await probeProcess(payload.pid);
  const status = payload?.pid
    ? ownerStatus(payload, facts, { linux: Deno.build.os === "linux", ownPid: Deno.pid })
    : undefined;
  return { path, text, payload, verdict: lockVerdict({ payload, status, nowMs: Date.now(), mtimeMs }) };
}

/** The refusal of a start on a state dir whose reference lock a live process holds, naming it. */
function heldError(found: FoundLock, stateDir: string): StartupError {
  const owner = found.payload;
  const role = owner?.role ?? "gateway";
  const fix = "Stop it with `openclaw gateway stop`, or run this one with its own --profile or OPENCLAW_STATE_DIR.";
  if (!owner?.pid) {
    return new StartupError(
      `Cannot start the gateway: ${found.path} names no owner yet another process is writing it. ` +
        `Retry in a moment; if it stays, remove it once no OpenClaw process uses ${stateDir}`,
      // Passing (its writer is mid-write): a supervisor may retry, so not the no-retry exit.
      { kind: "conflict" },
    );
  }
  if (role === "gateway") {
    return new StartupError(
      `${SIGNATURES.alreadyRunning(owner.pid)}; it owns ${stateDir}` +
        `${owner.port ? ` (port ${owner.port})` : ""}, by its lock ${found.path}. ${fix}`,
      { kind: "locked" },
    );
  }
  const what = role === "agent-embedded"
    ? `another embedded OpenClaw state writer is active (pid ${owner.pid})`
    : `state directory is locked by ${role} (pid ${owner.pid})`;
  return new StartupError(
    `Cannot start the gateway: ${what}; it owns ${stateDir} by its lock ${found.path}. Wait for it to finish or stop it, then start the gateway again`,
    { kind: "locked" },
  );
}

/** Judges the lock at `path`, reading an unparsable fresh one again a few times (its writer is mid-write). */
async function settle(path: string): Promise<FoundLock | undefined> {
  let found = await inspect(path);
  for (let attempt = 0; found?.verdict === "retry" && attempt < UNREADABLE_RETRIES; attempt++) {
    await delay(RETRY_DELAY_MS);
    found = await inspect(path);
  }
  return found;
}

/**
 * Removes a stale lock under the reference's reclaim guard (`<lock>.reclaim`, a directory), and only if it still
 * holds what was judged: another reclaimer may have replaced it meanwhile. False when the guard is taken.
 */
async function reclaim(found: FoundLock): Promise<boolean> {
  const guard = `${found.path}.reclaim`;
  try {
    await Deno.mkdir(guard);
  } catch (error) {
    if (!(error instanceof Deno.errors.AlreadyExists)) throw error;
    // A guard left by a reclaimer that died: as old as a stale lock, it is removed and the next attempt takes it.
    const info = await Deno.stat(guard).catch(() => undefined);
    if (info?.mtime && Date.now() - info.mtime.getTime() > REFERENCE_LOCK_STALE_MS) {
      await Deno.remove(guard).catch(() => {});
    }
    return false;
  }
  try {
    const current = await Deno.readTextFile(found.path).catch(() => undefined);
    if (current === found.text) await Deno.remove(found.path).catch(() => {});
    return true;
  } finally {
    await Deno.remove(guard).catch(() => {});
  }
}

/**
 * The reference's gateway locks of one state dir, held by this gateway from start to stop. Released on stop; after
 * a crash the files stay, naming a dead pid (or a pid whose start time no longer matches), and the next owner of
 * either kind takes them over.
 */
export class ReferenceLock {
  #held: { path: string; text: string }[];
  #released = false;
  #identity: { pid: number; ownerId: string; port: number };

  private constructor(
    held: { path: string; text: string }[],
    identity: { pid: number; ownerId: string; port: number },
  ) {
    this.#held = held;
    this.#identity = identity;
  }

  /** What the reference reads of this lock to name its owner (a restart request's target); none once released. */
  get identity(): { pid: number; ownerId: string; port: number } | undefined {
    return this.#released ? undefined : this.#identity;
  }

  /**
   * Claims both locks (the state lock first, as the reference does) for this gateway on `port`, or throws the
   * refusal naming their live owner. `startTime` is this process's (process_probe.ts `ownStartTime`): with it the
   * reference knows this gateway without reading its argv, which under `deno run` it would not accept.
   */
  static async acquire(input: {
    stateDir: string;
    configPath: string;
    port: number;
    startTime: number | undefined;
  }): Promise<ReferenceLock> {
    const paths = await resolveReferenceLockPaths(input);
    await Deno.mkdir(paths.dir, { recursive: true, mode: 0o700 });
    const identity = { pid: Deno.pid, ownerId: crypto.randomUUID(), port: input.port };
    const payload = gatewayLockPayload({
      pid: identity.pid,
      ownerId: identity.ownerId,
      createdAt: new Date().toISOString(),
      configPath: input.configPath,
      stateDir: paths.stateDir,
      port: input.port,
      startTime: input.startTime,
    });
    const held: { path: string; text: string }[] = [];
    try {
      for (const path of [paths.stateLock, paths.configLock]) {
        // Each file its own token, as the reference's sidecar locks have.
        const text = lockFileText(payload, crypto.getRandomValues(new Uint8Array(16)));
        await claim(path, text, paths.stateDir);
        held.push({ path, text });
      }
    } catch (error) {
      await new ReferenceLock(held, identity).release();
      throw error;
    }
    return new ReferenceLock(held, identity);
  }

  /**
   * Throws the refusal {@link acquire} would when a live process holds the reference's locks of `stateDir`, without
   * claiming or removing anything (a start refused for another reason asks this first, as the reference does).
   */
  static async assertFree(input: { stateDir: string; configPath: string }): Promise<void> {
    const paths = await resolveReferenceLockPaths(input);
    for (const path of [paths.configLock, paths.stateLock]) {
      const found = await settle(path);
      if (found && found.verdict !== "stale") throw heldError(found, paths.stateDir);
    }
  }

  /** Removes the lock files this gateway still holds (a file another owner has since put there is left). Safe to call twice. */
  async release(): Promise<void> {
    if (this.#released) return;
    this.#released = true;
    for (const { path, text } of this.#held.toReversed()) {
      const current = await Deno.readTextFile(path).catch(() => undefined);
      if (current === text) await Deno.remove(path).catch(() => {});
    }
  }
}

/** Creates `path` holding `text` exclusively; a stale lock in the way is taken over, a held one refuses. */
async function claim(path: string, text: string, stateDir: string): Promise<void> {
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      await Deno.writeTextFile(path, text, { createNew: true, mode: 0o600 });
      return;
    } catch (error) {
      if (!(error instanceof Deno.errors.AlreadyExists)) throw error;
    }
    const found = await settle(path);
    if (!found) continue;
    if (found.verdict !== "stale") throw heldError(found, stateDir);
    if (!await reclaim(found)) await delay(RETRY_DELAY_MS);
  }
  throw new StartupError(
    `Cannot take the reference gateway lock ${path}: it keeps being replaced. Check for another gateway on ${stateDir}`,
    // Another claimant racing this one, or a reclaim guard a dead reclaimer left (gone within 30 s): retryable.
    { kind: "conflict" },
  );
}
