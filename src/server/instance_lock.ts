import { delay } from "../async/delay.ts";
import { SIGNATURES, StartupError } from "./guards.ts";

/** What a lock file records about its owner (informational: the flock is what excludes). */
export interface LockRecord {
  pid: number;
  createdAt: string;
  configPath: string;
  stateDir: string;
  port: number;
}

/** The lock file of a state dir: one gateway per state dir. */
export function lockPath(stateDir: string): string {
  return `${stateDir}/gateway.lock`;
}

/** The refusal of a start on a state dir another gateway holds, naming it from its lock file. */
async function lockedError(path: string, stateDir: string): Promise<StartupError> {
  const owner = await readLock(path);
  return new StartupError(
    `${SIGNATURES.alreadyRunning(owner?.pid ?? 0)}; it owns ${stateDir}${owner ? ` (port ${owner.port})` : ""}. ` +
      "Stop it with `openclaw gateway stop`, or run this one with its own --profile or OPENCLAW_STATE_DIR.",
    { kind: "locked" },
  );
}

/**
 * Ownership of a state dir, held from start to stop as an exclusive `flock` on the lock file.
 * The kernel drops the flock when its holder dies, even by SIGKILL, so a stale file left by a
 * crash is simply taken over; no pid guessing, which pid reuse would fool.
 */
export class InstanceLock {
  #path: string;
  #file: Deno.FsFile;
  #released = false;

  private constructor(path: string, file: Deno.FsFile) {
    this.#path = path;
    this.#file = file;
  }

  /** Acquires the lock or throws `gateway already running (pid N)`. */
  static async acquire(input: { stateDir: string; configPath: string; port: number }): Promise<InstanceLock> {
    await Deno.mkdir(input.stateDir, { recursive: true, mode: 0o700 });
    const path = lockPath(input.stateDir);
    const record: LockRecord = {
      pid: Deno.pid,
      createdAt: new Date().toISOString(),
      configPath: input.configPath,
      stateDir: input.stateDir,
      port: input.port,
    };
    for (let attempt = 0; attempt < 3; attempt++) {
      const file = await Deno.open(path, { read: true, write: true, create: true, mode: 0o600 });
      if (!await file.tryLock(true)) {
        file.close();
        throw await lockedError(path, input.stateDir);
      }
      // A previous owner may have unlinked the file between our open and our flock; then we
      // hold a lock on an orphaned inode and must open the path again.
      const [held, current] = await Promise.all([file.stat(), Deno.stat(path).catch(() => undefined)]);
      if (!current || current.ino !== held.ino) {
        file.close();
        continue;
      }
      await file.truncate(0);
      await file.write(new TextEncoder().encode(`${JSON.stringify(record)}\n`));
      return new InstanceLock(path, file);
    }
    throw new StartupError(
      `Cannot take the gateway lock ${path}: it keeps being replaced. Check for another gateway on ${input.stateDir}`,
      { kind: "locked" },
    );
  }

  /**
   * Throws the refusal {@link acquire} would when another gateway holds `stateDir`, without taking the lock
   * or writing anything (a start refused for another reason asks this first, as the reference does).
   */
  static async assertFree(stateDir: string): Promise<void> {
    const path = lockPath(stateDir);
    let file: Deno.FsFile;
    try {
      file = await Deno.open(path, { read: true });
    } catch {
      return;
    }
    try {
      if (await file.tryLock(true)) return;
    } finally {
      file.close();
    }
    throw await lockedError(path, stateDir);
  }

  /** Removes the lock file and drops the flock. Safe to call twice. */
  async release(): Promise<void> {
    if (this.#released) return;
    this.#released = true;
    await Deno.remove(this.#path).catch(() => {});
    this.#file.close();
  }
}

/** Whether a parsed lock file holds a whole record, as `InstanceLock` writes it. */
function isLockRecord(value: unknown): value is LockRecord {
  if (typeof value !== "object" || value === null) return false;
  const record: Partial<Record<keyof LockRecord, unknown>> = value;
  return typeof record.pid === "number" && typeof record.port === "number" &&
    typeof record.createdAt === "string" && typeof record.configPath === "string" &&
    typeof record.stateDir === "string";
}

/** Reads a lock file; undefined when missing or unreadable. */
export async function readLock(path: string): Promise<LockRecord | undefined> {
  try {
    const parsed = JSON.parse(await Deno.readTextFile(path));
    return isLockRecord(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The live owner of a state dir, or undefined when no process holds its flock. A record left by a
 * crash names a pid that may since belong to anything, so only a held lock's record is returned
 * (`record` undefined: held, but its record could not be read). The probe takes a shared lock
 * and drops it at once; it never blocks and never writes.
 */
export async function lockOwner(stateDir: string): Promise<{ record: LockRecord | undefined } | undefined> {
  const path = lockPath(stateDir);
  let file: Deno.FsFile;
  try {
    file = await Deno.open(path, { read: true });
  } catch {
    return undefined;
  }
  try {
    if (await file.tryLock(false)) {
      await file.unlock();
      return undefined;
    }
  } finally {
    file.close();
  }
  // The owner writes its record right after taking the lock: a read in between sees it empty.
  for (let attempt = 0; attempt < 20; attempt++) {
    const record = await readLock(path);
    if (record) return { record };
    await delay(50);
  }
  return { record: undefined };
}
