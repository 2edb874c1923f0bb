import { ConfigError } from "../config/errors.ts";
import { writeTextAtomic } from "../config/write.ts";

/** A DM sender waiting for the owner's approval. */
export interface PairingRequest {
  /** The sender id the approval admits. */
  id: string;
  code: string;
  accountId: string;
  createdAt: string;
  lastSeenAt: string;
  meta: Record<string, string>;
}

/** The request a typed code names: codes are matched trimmed and uppercased, as the reference prints them. */
function withCode(pending: PairingRequest[], code: string, accountId?: string): PairingRequest | undefined {
  const wanted = code.trim().toUpperCase();
  return pending.find((r) => r.code === wanted && (!accountId || r.accountId === accountId));
}

/** The reference's pairing code alphabet: uppercase, without the ambiguous 0, O, 1 and I. */
const CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
const CODE_LENGTH = 8;
/** A pending request lives one hour. */
export const PAIRING_TTL_MS = 3_600_000;
/** At most this many pending requests per channel account; more are ignored until one ends. */
export const PAIRING_MAX_PENDING = 3;

function newCode(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(CODE_LENGTH));
  return [...bytes].map((b) => CODE_ALPHABET[b % CODE_ALPHABET.length]).join("");
}

/**
 * DM pairing state under `<stateDir>/credentials/`, in the reference's file layout:
 * `<channel>-pairing.json` holds pending requests and `<channel>-<accountId>-allowFrom.json` the
 * approved senders. The gateway and the CLI both change these files, so every read-modify-write
 * holds an exclusive flock on `<channel>-pairing.lock` and replaces files atomically (0600).
 */
export class PairingStore {
  #dir: string;

  constructor(stateDir: string) {
    this.#dir = `${stateDir}/credentials`;
  }

  #pendingPath(channel: string): string {
    return `${this.#dir}/${channel}-pairing.json`;
  }

  #allowPath(channel: string, accountId: string): string {
    return `${this.#dir}/${channel}-${accountId}-allowFrom.json`;
  }

  async #locked<T>(channel: string, body: () => Promise<T>): Promise<T> {
    await Deno.mkdir(this.#dir, { recursive: true, mode: 0o700 });
    const lock = await Deno.open(`${this.#dir}/${channel}-pairing.lock`, {
      read: true,
      write: true,
      create: true,
      mode: 0o600,
    });
    try {
      await lock.lock(true);
      return await body();
    } finally {
      lock.close();
    }
  }

  async #readJson<T>(path: string, key: string, fallback: T): Promise<T> {
    let text: string;
    try {
      text = await Deno.readTextFile(path);
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return fallback;
      throw error;
    }
    try {
      // Kept: the file is this store's own (or the reference's, same layout); checking each entry's
      // shape here would reject files the reference writes differently, a change for another issue.
      return (JSON.parse(text) as Record<string, T>)[key] ?? fallback;
    } catch (error) {
      throw new ConfigError(
        `Cannot read the pairing store ${path}: it is not valid JSON. Fix or remove the file (senders will need to pair again)`,
        { cause: error },
      );
    }
  }

  async #pending(channel: string, now: number): Promise<PairingRequest[]> {
    const all = await this.#readJson<PairingRequest[]>(this.#pendingPath(channel), "requests", []);
    return all.filter((r) => now - Date.parse(r.createdAt) < PAIRING_TTL_MS);
  }

  async #writePending(channel: string, requests: PairingRequest[]): Promise<void> {
    await writeTextAtomic(this.#pendingPath(channel), JSON.stringify({ version: 1, requests }, null, 2) + "\n");
  }

  /** Approved senders of one account. */
  allowed(channel: string, accountId: string): Promise<string[]> {
    return this.#readJson<string[]>(this.#allowPath(channel, accountId), "allowFrom", []);
  }

  /** Unexpired pending requests, optionally of one account. */
  async list(channel: string, accountId?: string): Promise<PairingRequest[]> {
    const pending = await this.#pending(channel, Date.now());
    return accountId ? pending.filter((r) => r.accountId === accountId) : pending;
  }

  /**
   * Records a request for a sender. `created` is true only for a new request (the one time the
   * bot answers with the code); a sender already waiting, or an account at its cap, gets none.
   */
  upsert(
    channel: string,
    input: { id: string; accountId: string; meta: Record<string, string> },
  ): Promise<{ created: boolean; code?: string }> {
    return this.#locked(channel, async () => {
      const now = Date.now();
      const pending = await this.#pending(channel, now);
      const existing = pending.find((r) => r.id === input.id && r.accountId === input.accountId);
      if (existing) {
        existing.lastSeenAt = new Date(now).toISOString();
        await this.#writePending(channel, pending);
        return { created: false };
      }
      if (pending.filter((r) => r.accountId === input.accountId).length >= PAIRING_MAX_PENDING) {
        return { created: false };
      }
      const taken = new Set(pending.map((r) => r.code));
      let code = newCode();
      while (taken.has(code)) code = newCode();
      const at = new Date(now).toISOString();
      pending.push({ id: input.id, code, accountId: input.accountId, createdAt: at, lastSeenAt: at, meta: input.meta });
      await this.#writePending(channel, pending);
      return { created: true, code };
    });
  }

  /** The unexpired pending request with this code (as typed: any case, spaces around), optionally of one account. */
  async find(channel: string, code: string, accountId?: string): Promise<PairingRequest | undefined> {
    return withCode(await this.#pending(channel, Date.now()), code, accountId);
  }

  /** Approves a pending code: the sender joins the account's allowlist. Undefined when no such code. */
  approve(channel: string, code: string, accountId?: string): Promise<PairingRequest | undefined> {
    return this.#locked(channel, async () => {
      const pending = await this.#pending(channel, Date.now());
      const found = withCode(pending, code, accountId);
      if (!found) return undefined;
      const allowPath = this.#allowPath(channel, found.accountId);
      const allowFrom = await this.#readJson<string[]>(allowPath, "allowFrom", []);
      if (!allowFrom.includes(found.id)) allowFrom.push(found.id);
      await writeTextAtomic(allowPath, JSON.stringify({ version: 1, allowFrom }, null, 2) + "\n");
      await this.#writePending(channel, pending.filter((r) => r !== found));
      return found;
    });
  }

  /** Removes a pending request without approving it (the sender may ask again). */
  dismiss(channel: string, accountId: string, id: string): Promise<PairingRequest | undefined> {
    return this.#locked(channel, async () => {
      const pending = await this.#pending(channel, Date.now());
      const found = pending.find((r) => r.accountId === accountId && (r.id === id || r.code === id.toUpperCase()));
      if (!found) return undefined;
      await this.#writePending(channel, pending.filter((r) => r !== found));
      return found;
    });
  }
}
