import type { DatabaseSync } from "node:sqlite";
import type { StateDbAccess } from "./state_write_fence.ts";
import { getLogger, type Logger } from "../log/logger.ts";
import { immediate } from "./immediate.ts";
import {
  insertLegacyChannelPairing,
  markLegacyChannelPairingImported,
  readLegacyChannelPairing,
} from "./pairing_import.ts";

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

/** The reference's key for a channel or account: lowercased, path characters replaced. */
export function pairingKey(value: string): string {
  return value.trim().toLowerCase().replace(/[\\/:*?"<>|]/g, "_").replace(/\.\./g, "_");
}

type Row = Record<string, unknown>;

function requestOf(row: Row): PairingRequest {
  let meta: Record<string, string> = {};
  try {
    meta = row.meta_json ? JSON.parse(String(row.meta_json)) : {};
  } catch {
    // Another writer's malformed meta reads as none rather than hiding the request.
  }
  const { accountId: _account, ...rest } = meta;
  return {
    id: String(row.request_id),
    code: String(row.code),
    accountId: String(row.account_id),
    createdAt: String(row.created_at),
    lastSeenAt: String(row.last_seen_at),
    meta: rest,
  };
}

/**
 * DM pairing state in the reference's tables of the global state database:
 * `channel_pairing_requests` (pending senders and their codes) and `channel_pairing_allow_entries`
 * (approved senders per account), keyed and shaped as OpenClaw 2026.9.6 writes them, so its
 * `openclaw pairing list` sees our requests and the reverse. The gateway and the CLI both change
 * them, each from its own connection: every read-modify-write is one IMMEDIATE transaction.
 * The earlier `credentials/<channel>-*.json` files are imported once per channel (kept as
 * `.migrated`).
 */
export class PairingStore {
  #stateDir: string;
  #open: () => Promise<DatabaseSync>;
  #db: Promise<DatabaseSync> | undefined;
  #closed = false;
  #imported = new Set<string>();
  #log: Logger;
  #access: StateDbAccess;

  /**
   * `open` shares the gateway's connection (the gateway closes it); without it the store opens its own
   * on first use (node:sqlite loads only then: a gateway with no pairable channel never pays for it)
   * and {@link close} closes it, through the ownership fence for `options.access` (default: an unsupervised
   * write). A failed open is not kept: the next call tries again.
   */
  constructor(
    stateDir: string,
    open?: () => Promise<DatabaseSync>,
    options: { log?: Logger; access?: StateDbAccess } = {},
  ) {
    this.#stateDir = stateDir;
    this.#access = options.access ?? "write";
    this.#log = options.log ?? getLogger("gateway/pairing");
    this.#open = open ?? (() => this.#ownDatabase());
  }

  #ownDatabase(): Promise<DatabaseSync> {
    if (this.#closed) {
      return Promise.reject(new Error("Cannot read the DM pairing store: it is closed (the gateway is stopping)"));
    }
    if (!this.#db) {
      const opening = import("./state_db.ts").then((m) => m.openStateDb(this.#stateDir, this.#access));
      opening.catch(() => {
        if (this.#db === opening) this.#db = undefined;
      });
      this.#db = opening;
    }
    return this.#db;
  }

  async #database(channel: string): Promise<DatabaseSync> {
    const db = await this.#open();
    const key = pairingKey(channel);
    if (!this.#imported.has(key)) {
      this.#imported.add(key);
      this.#importLegacy(db, channel, key);
    }
    return db;
  }

  /**
   * Imports the channel's earlier JSON files: all read first, inserted in one transaction, renamed to
   * `.migrated` only after it commits. A file that cannot be read stays in place and is logged; the
   * others are imported. A failed insert leaves every file in place for the next start.
   */
  #importLegacy(db: DatabaseSync, channel: string, key: string): void {
    const legacy = readLegacyChannelPairing(this.#stateDir, channel);
    for (const problem of legacy.problems) this.#log.warn(`DM pairing import: ${problem}`);
    if (legacy.files.length === 0) return;
    try {
      immediate(db, () => insertLegacyChannelPairing(db, key, legacy));
    } catch (error) {
      this.#imported.delete(key);
      throw error;
    }
    for (const problem of markLegacyChannelPairingImported(legacy)) this.#log.warn(`DM pairing import: ${problem}`);
  }

  #pending(db: DatabaseSync, channel: string, now: number): PairingRequest[] {
    const rows = db.prepare(
      "SELECT * FROM channel_pairing_requests WHERE channel_key = ? ORDER BY created_at, account_id, request_id",
    ).all(pairingKey(channel)) as Row[];
    return rows.map(requestOf).filter((r) => now - Date.parse(r.createdAt) < PAIRING_TTL_MS);
  }

  #deleteRequest(db: DatabaseSync, channel: string, request: PairingRequest): void {
    db.prepare("DELETE FROM channel_pairing_requests WHERE channel_key = ? AND account_id = ? AND request_id = ?")
      .run(pairingKey(channel), request.accountId, request.id);
  }

  /** Approved senders of one account. */
  async allowed(channel: string, accountId: string): Promise<string[]> {
    const rows = (await this.#database(channel)).prepare(
      "SELECT entry FROM channel_pairing_allow_entries WHERE channel_key = ? AND account_id = ? ORDER BY sort_order, entry",
    ).all(pairingKey(channel), pairingKey(accountId)) as Row[];
    return rows.map((r) => String(r.entry));
  }

  /** Unexpired pending requests, optionally of one account. */
  async list(channel: string, accountId?: string): Promise<PairingRequest[]> {
    const pending = this.#pending(await this.#database(channel), channel, Date.now());
    const account = accountId === undefined ? undefined : pairingKey(accountId);
    return account ? pending.filter((r) => r.accountId === account) : pending;
  }

  /**
   * Records a request for a sender. `created` is true only for a new request (the one time the
   * bot answers with the code); a sender already waiting, or an account at its cap, gets none.
   */
  async upsert(
    channel: string,
    input: { id: string; accountId: string; meta: Record<string, string> },
  ): Promise<{ created: boolean; code?: string }> {
    const db = await this.#database(channel);
    const accountId = pairingKey(input.accountId);
    return immediate(db, (): { created: boolean; code?: string } => {
      const now = Date.now();
      const at = new Date(now).toISOString();
      const pending = this.#pending(db, channel, now);
      const existing = pending.find((r) => r.id === input.id && r.accountId === accountId);
      if (existing) {
        db.prepare(
          "UPDATE channel_pairing_requests SET last_seen_at = ? WHERE channel_key = ? AND account_id = ? AND request_id = ?",
        ).run(at, pairingKey(channel), accountId, input.id);
        return { created: false };
      }
      if (pending.filter((r) => r.accountId === accountId).length >= PAIRING_MAX_PENDING) return { created: false };
      const taken = new Set(pending.map((r) => r.code));
      let code = newCode();
      while (taken.has(code)) code = newCode();
      // An expired request of the same sender still holds the key: replace it.
      db.prepare(
        "INSERT OR REPLACE INTO channel_pairing_requests (channel_key, account_id, request_id, code, created_at, last_seen_at, meta_json) VALUES (?, ?, ?, ?, ?, ?, ?)",
      ).run(pairingKey(channel), accountId, input.id, code, at, at, JSON.stringify({ ...input.meta, accountId }));
      return { created: true, code };
    });
  }

  /** The unexpired pending request with this code (as typed: any case, spaces around), optionally of one account. */
  async find(channel: string, code: string, accountId?: string): Promise<PairingRequest | undefined> {
    const pending = this.#pending(await this.#database(channel), channel, Date.now());
    return withCode(pending, code, accountId && pairingKey(accountId));
  }

  /** Approves a pending code: the sender joins the account's allowlist. Undefined when no such code. */
  async approve(channel: string, code: string, accountId?: string): Promise<PairingRequest | undefined> {
    const db = await this.#database(channel);
    return immediate(db, () => {
      const found = withCode(this.#pending(db, channel, Date.now()), code, accountId && pairingKey(accountId));
      if (!found) return undefined;
      const key = pairingKey(channel);
      const next = db.prepare(
        "SELECT COALESCE(MAX(sort_order) + 1, 0) AS n FROM channel_pairing_allow_entries WHERE channel_key = ? AND account_id = ?",
      ).get(key, found.accountId) as { n: number };
      db.prepare(
        "INSERT OR IGNORE INTO channel_pairing_allow_entries (channel_key, account_id, entry, sort_order, updated_at) VALUES (?, ?, ?, ?, ?)",
      ).run(key, found.accountId, found.id, next.n, Date.now());
      this.#deleteRequest(db, channel, found);
      return found;
    });
  }

  /** Removes a pending request without approving it (the sender may ask again). */
  async dismiss(channel: string, accountId: string, id: string): Promise<PairingRequest | undefined> {
    const db = await this.#database(channel);
    const account = pairingKey(accountId);
    return immediate(db, () => {
      const found = this.#pending(db, channel, Date.now()).find((r) =>
        r.accountId === account && (r.id === id || r.code === id.toUpperCase())
      );
      if (found) this.#deleteRequest(db, channel, found);
      return found;
    });
  }

  /** Closes the store's own connection, if it opened one; a store given `open` leaves it to its owner. */
  async close(): Promise<void> {
    this.#closed = true;
    const db = this.#db;
    this.#db = undefined;
    (await db?.catch(() => undefined))?.close();
  }
}
