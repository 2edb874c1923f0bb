import { SIGNATURES, StartupError } from "./guards.ts";
import { processExists, processStartTime } from "./port_owner.ts";

/** What a lock file records about its owner. */
export interface LockRecord {
  pid: number;
  /** Kernel start time of the owner, so a recycled pid is not mistaken for it. */
  startTime: number | null;
  createdAt: string;
  configPath: string;
  stateDir: string;
  port: number;
}

/** The lock file of a state dir: one gateway per state dir. */
export function lockPath(stateDir: string): string {
  return `${stateDir}/gateway.lock`;
}

/** True while the process a lock record names is still the one that wrote it. */
export function lockOwnerAlive(
  record: Pick<LockRecord, "pid" | "startTime">,
): boolean {
  if (!processExists(record.pid)) return false;
  if (record.startTime === null) return true;
  const now = processStartTime(record.pid);
  return now === undefined || now === record.startTime;
}

/**
 * Ownership of a state dir, held from start to stop. Created with O_EXCL so two gateways racing
 * cannot both win; a lock whose owner died (even by SIGKILL) is reclaimed on the next start.
 */
export class InstanceLock {
  #path: string;
  #record: LockRecord;
  #released = false;

  private constructor(path: string, record: LockRecord) {
    this.#path = path;
    this.#record = record;
  }

  /** Acquires the lock or throws `gateway already running (pid N)`. */
  static async acquire(
    input: { stateDir: string; configPath: string; port: number },
  ): Promise<InstanceLock> {
    await Deno.mkdir(input.stateDir, { recursive: true, mode: 0o700 });
    const path = lockPath(input.stateDir);
    const record: LockRecord = {
      pid: Deno.pid,
      startTime: processStartTime(Deno.pid) ?? null,
      createdAt: new Date().toISOString(),
      configPath: input.configPath,
      stateDir: input.stateDir,
      port: input.port,
    };
    // The record is written in full to a private file, then hard-linked into place: link()
    // fails if the lock exists, so a reader never sees a half-written lock it might reclaim.
    const draft = `${path}.${Deno.pid}.tmp`;
    await Deno.writeTextFile(draft, `${JSON.stringify(record)}\n`, {
      mode: 0o600,
    });
    try {
      // Two attempts: the second follows reclaiming a stale lock.
      for (let attempt = 0; attempt < 2; attempt++) {
        try {
          await Deno.link(draft, path);
          return new InstanceLock(path, record);
        } catch (error) {
          if (!(error instanceof Deno.errors.AlreadyExists)) throw error;
        }
        const owner = await readLock(path);
        if (owner && owner.pid !== Deno.pid && lockOwnerAlive(owner)) {
          throw new StartupError(
            `${SIGNATURES.alreadyRunning(owner.pid)}; it owns ${input.stateDir} (port ${owner.port}). ` +
              "Stop it with `openclaw gateway stop`, or run this one with its own --profile or OPENCLAW_STATE_DIR.",
            { kind: "conflict" },
          );
        }
        // The owner is gone (crash, SIGKILL, reboot) or the file is unreadable: reclaim it.
        await Deno.remove(path).catch(() => {});
      }
    } finally {
      await Deno.remove(draft).catch(() => {});
    }
    throw new StartupError(
      `Cannot take the gateway lock ${path}: another process keeps recreating it. Check for a second gateway on ${input.stateDir}`,
      { kind: "conflict" },
    );
  }

  /** The record this process wrote. */
  get record(): LockRecord {
    return this.#record;
  }

  /** Removes the lock file if it is still ours. Safe to call twice. */
  async release(): Promise<void> {
    if (this.#released) return;
    this.#released = true;
    const current = await readLock(this.#path);
    if (current?.pid === this.#record.pid) {
      await Deno.remove(this.#path).catch(() => {});
    }
  }
}

/** Reads a lock file; undefined when missing or unreadable. */
export async function readLock(path: string): Promise<LockRecord | undefined> {
  try {
    const parsed = JSON.parse(await Deno.readTextFile(path));
    return typeof parsed?.pid === "number" ? parsed as LockRecord : undefined;
  } catch {
    return undefined;
  }
}
