// The durable inbound queue of the channel accounts: the reference's `channel_ingress_events` table of the
// global state database (`state/openclaw.sqlite`), rows keyed and shaped as OpenClaw 2026.9.6 writes them
// (channels/telegram/transports.md, plugins/sdk-channel-plugins/durable-ingress.md): one queue per
// channel account named `["<channel>","<accountId>"]`, a message `pending` on receipt, `claimed` while it is
// being answered, then a `completed` tombstone (payload scrubbed, identity kept) that rejects a redelivery of
// the same event id for 30 days or the newest 1,000 per account.
import type { DatabaseSync, StatementSync } from "node:sqlite";
import { immediate } from "../state/immediate.ts";

/** How long completed and failed rows are kept (the reference's fleet convention). */
export const INGRESS_RETENTION_MS = 30 * 24 * 60 * 60 * 1000;
/** How many completed (and, apart, failed) rows an account's queue keeps. */
export const INGRESS_MAX_ENTRIES = 1000;

/** One account's queue, as the reference names it: the JSON pair `["<channel>","<accountId>"]`. */
export interface IngressQueueName {
  channel: string;
  accountId: string;
}

/** A message taken from the queue to be answered. */
export interface IngressClaim {
  eventId: string;
  payload: unknown;
  claimToken: string;
  receivedAt: number;
  attempts: number;
}

/** What `accept` found: a new message (now claimed by the caller), or one this queue has seen before. */
export type AcceptResult =
  | { kind: "accepted"; claim: IngressClaim }
  | { kind: "duplicate"; status: "pending" | "claimed" | "completed" | "failed" };

interface Row {
  "event_id": string;
  status: string;
  "payload_json": string;
  "claim_token": string | null;
  "received_at": number;
  attempts: number;
}

const queueName = (q: IngressQueueName): string => JSON.stringify([q.channel, q.accountId]);

function parsed(row: Row): unknown {
  try {
    return JSON.parse(row.payload_json);
  } catch {
    return undefined;
  }
}

/**
 * The queue's SQL, synchronous on one connection (node:sqlite): each change is one IMMEDIATE transaction,
 * so the reference's CLI or gateway on the same state dir never sees half of it. `owner` names this process
 * in `claim_owner` as the reference does (its pid).
 */
export class IngressQueue {
  #db: DatabaseSync;
  #owner: string;
  #now: () => number;
  #statements = new Map<string, StatementSync>();

  constructor(db: DatabaseSync, options: { owner: string; now?: () => number }) {
    this.#db = db;
    this.#owner = options.owner;
    this.#now = options.now ?? Date.now;
  }

  /** A prepared statement, compiled once per connection: compiling was about a third of the queue's SQL time per message. */
  #sql(text: string): StatementSync {
    let statement = this.#statements.get(text);
    if (!statement) {
      statement = this.#db.prepare(text);
      this.#statements.set(text, statement);
    }
    return statement;
  }

  /**
   * Stores a received message and claims it for the caller in one transaction; a message whose event id the
   * queue already holds (pending, being answered, answered, or failed) is a duplicate and is not stored again.
   */
  accept(
    q: IngressQueueName,
    eventId: string,
    payload: unknown,
    laneKey: string | undefined,
    receivedAt?: number,
  ): AcceptResult {
    const db = this.#db;
    const name = queueName(q);
    return immediate(db, () => {
      const existing = this.#sql(
        "SELECT status FROM channel_ingress_events WHERE queue_name = ? AND event_id = ?",
      ).get(name, eventId) as { status: string } | undefined;
      if (existing) {
        const status = existing.status as "pending" | "claimed" | "completed" | "failed";
        return { kind: "duplicate", status };
      }
      const now = this.#now();
      // The envelope's own receipt time, when it carries one, as the reference writes both from one clock read.
      const received = receivedAt ?? now;
      const token = crypto.randomUUID();
      this.#sql(
        `INSERT INTO channel_ingress_events (queue_name, event_id, channel_id, account_id, status, lane_key,
           payload_json, received_at, updated_at, claim_token, claim_owner, claimed_at, attempts)
         VALUES (?, ?, ?, ?, 'claimed', ?, ?, ?, ?, ?, ?, ?, 0)`,
      ).run(
        name,
        eventId,
        q.channel,
        q.accountId,
        laneKey ?? null,
        JSON.stringify(payload),
        received,
        now,
        token,
        this.#owner,
        now,
      );
      return { kind: "accepted", claim: { eventId, payload, claimToken: token, receivedAt: received, attempts: 0 } };
    });
  }

  /**
   * Claims every message still waiting, oldest first: the pending ones, and those a previous process claimed
   * but never finished (it stopped or crashed mid-answer; `live` are the claims this process holds now).
   */
  claimWaiting(q: IngressQueueName, live: ReadonlySet<string>): IngressClaim[] {
    const db = this.#db;
    const name = queueName(q);
    return immediate(db, () => {
      const rows = this.#sql(
        `SELECT event_id, status, payload_json, claim_token, received_at, attempts FROM channel_ingress_events
         WHERE queue_name = ? AND status IN ('pending', 'claimed') ORDER BY received_at, event_id`,
      ).all(name) as unknown as Row[];
      const now = this.#now();
      const claims: IngressClaim[] = [];
      const claim = this.#sql(
        `UPDATE channel_ingress_events SET status = 'claimed', claim_token = ?, claim_owner = ?, claimed_at = ?,
           updated_at = ?, attempts = ? WHERE queue_name = ? AND event_id = ?`,
      );
      for (const row of rows) {
        if (row.status === "claimed" && row.claim_token && live.has(row.claim_token)) continue;
        const payload = parsed(row);
        if (payload === undefined) {
          this.#failRow(name, row.event_id, "corrupt_payload", null, now);
          continue;
        }
        // A claim left over from an earlier process counts as one attempt, as the reference's recovery does.
        const attempts = row.status === "claimed" ? row.attempts + 1 : row.attempts;
        const token = crypto.randomUUID();
        claim.run(token, this.#owner, now, now, attempts, name, row.event_id);
        claims.push({ eventId: row.event_id, payload, claimToken: token, receivedAt: row.received_at, attempts });
      }
      return claims;
    });
  }

  /** The message was answered: its row becomes a tombstone (payload scrubbed, the event id kept). */
  complete(q: IngressQueueName, claim: IngressClaim): boolean {
    const now = this.#now();
    return this.#changed(
      `UPDATE channel_ingress_events SET status = 'completed', completed_at = ?, payload_json = 'null',
         metadata_json = NULL, claim_token = NULL, claim_owner = NULL, claimed_at = NULL, last_attempt_at = NULL,
         last_error = NULL, updated_at = ? WHERE queue_name = ? AND event_id = ? AND status = 'claimed' AND claim_token = ?`,
      now,
      now,
      queueName(q),
      claim.eventId,
      claim.claimToken,
    );
  }

  /** The answer was interrupted (the gateway is stopping): the message waits for the next start. */
  release(q: IngressQueueName, claim: IngressClaim, error: string | undefined): boolean {
    const now = this.#now();
    return this.#changed(
      `UPDATE channel_ingress_events SET status = 'pending', claim_token = NULL, claim_owner = NULL, claimed_at = NULL,
         attempts = attempts + 1, last_attempt_at = ?, last_error = ?, updated_at = ?
       WHERE queue_name = ? AND event_id = ? AND status = 'claimed' AND claim_token = ?`,
      now,
      error ?? null,
      now,
      queueName(q),
      claim.eventId,
      claim.claimToken,
    );
  }

  /** The message will never be answered (`reason` says why); its payload is kept for `resubmit`-style tools. */
  fail(q: IngressQueueName, claim: IngressClaim, reason: string, message: string | null): boolean {
    return immediate(this.#db, () => this.#failRow(queueName(q), claim.eventId, reason, message, this.#now()));
  }

  #failRow(name: string, eventId: string, reason: string, message: string | null, now: number): boolean {
    const result = this.#sql(
      `UPDATE channel_ingress_events SET status = 'failed', failed_at = ?, failed_reason = ?, last_error = ?,
         claim_token = NULL, claim_owner = NULL, claimed_at = NULL, updated_at = ?
       WHERE queue_name = ? AND event_id = ? AND status IN ('pending', 'claimed')`,
    ).run(now, reason, message, now, name, eventId);
    return Number(result.changes) > 0;
  }

  /** Drops completed and failed rows past the retention window or beyond the newest `maxEntries` of each. */
  prune(q: IngressQueueName, maxEntries: number = INGRESS_MAX_ENTRIES): number {
    const db = this.#db;
    const name = queueName(q);
    const cutoff = this.#now() - INGRESS_RETENTION_MS;
    return immediate(db, () => {
      let deleted = 0;
      for (const [status, at] of [["completed", "completed_at"], ["failed", "failed_at"]] as const) {
        deleted += Number(
          this.#sql(`DELETE FROM channel_ingress_events WHERE queue_name = ? AND status = ? AND ${at} < ?`)
            .run(name, status, cutoff).changes,
        );
        deleted += Number(
          this.#sql(
            `DELETE FROM channel_ingress_events WHERE queue_name = ? AND status = ? AND event_id IN (
               SELECT event_id FROM channel_ingress_events WHERE queue_name = ? AND status = ?
               ORDER BY updated_at DESC, event_id DESC LIMIT -1 OFFSET ?)`,
          ).run(name, status, name, status, maxEntries).changes,
        );
      }
      return deleted;
    });
  }

  #changed(sql: string, ...params: (string | number | null)[]): boolean {
    return immediate(this.#db, () => Number(this.#sql(sql).run(...params).changes) > 0);
  }
}
